package dev.hotpath.emulators.datastore.engine;

import com.google.datastore.v1.Key;
import com.google.datastore.v1.Key.PathElement;
import com.google.datastore.v1.PartitionId;
import java.util.regex.Pattern;

/**
 * Checks keys and fills in their partition: every key the engine stores or reads carries the
 * request's project and database and its own namespace, so partitions never mix.
 */
final class KeyRules {
  static final int MAX_PATH = 100;

  /** The limits page: a namespace name matches {@code [A-Za-z\d\.\-_]{1,100}}. */
  private static final Pattern NAMESPACE = Pattern.compile("[A-Za-z\\d.\\-_]{1,100}");

  /** A key whose last element may lack an id or name (insert, upsert, allocateIds). */
  static boolean complete(Key key) {
    return key.getPathCount() > 0
        && key.getPath(key.getPathCount() - 1).getIdTypeCase()
            != PathElement.IdTypeCase.IDTYPE_NOT_SET;
  }

  /**
   * {@code key} checked and with its partition filled in.
   *
   * @param needComplete whether the last path element must have an id or a name
   */
  static Key normalize(Key key, String project, String database, boolean needComplete) {
    PartitionId partition = partition(key.getPartitionId(), project, database);
    if (key.getPathCount() == 0) {
      throw Errors.invalid("a key must have at least one path element");
    }
    if (key.getPathCount() > MAX_PATH) {
      throw Errors.invalid("a key path has more than " + MAX_PATH + " elements");
    }
    for (int i = 0; i < key.getPathCount(); i++) {
      PathElement e = key.getPath(i);
      NameRules.check("kind", e.getKind());
      boolean last = i == key.getPathCount() - 1;
      switch (e.getIdTypeCase()) {
        case ID -> {
          // entity.proto: "Never equal to zero. Values less than zero are discouraged and may not
          // be supported in the future." Discouraged, so still accepted.
          if (e.getId() == 0) {
            throw Errors.invalid("key id must not be zero, in " + Errors.describe(key));
          }
        }
        case NAME -> NameRules.check("key name", e.getName());
        default -> {
          if (!last) {
            throw Errors.invalid("key " + Errors.describe(key) + " has an incomplete ancestor");
          }
          if (needComplete) {
            throw Errors.invalid(
                "key "
                    + Errors.describe(key)
                    + " is incomplete; this call needs a complete key (with an id or a name)");
          }
        }
      }
    }
    return key.getPartitionId().equals(partition)
        ? key
        : key.toBuilder().setPartitionId(partition).build();
  }

  /** The partition of a key or query, checked against the request and filled in. */
  static PartitionId partition(PartitionId given, String project, String database) {
    if (!given.getProjectId().isEmpty() && !given.getProjectId().equals(project)) {
      throw Errors.invalid(
          "mismatched project: the request is for \""
              + project
              + "\" but a key or partition names \""
              + given.getProjectId()
              + "\"");
    }
    if (!given.getDatabaseId().isEmpty() && !given.getDatabaseId().equals(database)) {
      throw Errors.invalid(
          "mismatched database: the request is for \""
              + database
              + "\" but a key or partition names \""
              + given.getDatabaseId()
              + "\"");
    }
    String namespace = given.getNamespaceId();
    if (!namespace.isEmpty() && NameRules.reserved(namespace)) {
      throw Errors.invalid(
          "namespace \"" + namespace + "\" is reserved (names like __x__ belong to Datastore)");
    }
    if (!namespace.isEmpty() && !NAMESPACE.matcher(namespace).matches()) {
      throw Errors.invalid(
          "namespace \"" + namespace + "\" is not 1 to 100 of the characters A-Z a-z 0-9 . - _");
    }
    return PartitionId.newBuilder()
        .setProjectId(project)
        .setDatabaseId(database)
        .setNamespaceId(namespace)
        .build();
  }

  private KeyRules() {}
}
