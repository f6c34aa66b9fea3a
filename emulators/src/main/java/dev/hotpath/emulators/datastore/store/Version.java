package dev.hotpath.emulators.datastore.store;

/**
 * One committed state of one key, newest first: the entity as written at {@code commit}, or a
 * deletion ({@code entity == null}). Older states stay linked only while an open snapshot may still
 * read them; pruning cuts {@code older}.
 */
final class Version {
  final VersionedEntity entity;
  final long commit;
  volatile Version older;

  Version(VersionedEntity entity, long commit, Version older) {
    this.entity = entity;
    this.commit = commit;
    this.older = older;
  }

  /** The state visible to a reader at {@code snapshot}, or null if the key did not exist then. */
  VersionedEntity at(long snapshot) {
    for (Version v = this; v != null; v = v.older) {
      if (v.commit <= snapshot) {
        return v.entity;
      }
    }
    return null;
  }
}
