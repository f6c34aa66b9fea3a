package dev.hotpath.emulators.datastore.store;

import com.google.datastore.v1.Key;
import java.util.List;

/** What one commit changed, as storage persists and replays it. */
public record CommitRecord(long commit, List<VersionedEntity> written, List<Key> deleted) {
  public CommitRecord {
    written = List.copyOf(written);
    deleted = List.copyOf(deleted);
  }
}
