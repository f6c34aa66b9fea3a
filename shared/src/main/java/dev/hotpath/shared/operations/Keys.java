package dev.hotpath.shared.operations;

import com.google.cloud.datastore.Key;
import com.google.cloud.datastore.PathElement;
import java.util.ArrayList;
import java.util.List;

/** Readable names of keys for messages: {@code Team/red/User/alice}, ids as numbers. */
final class Keys {

  static String describe(Key key) {
    List<String> parts = new ArrayList<>();
    for (PathElement e : path(key)) {
      parts.add(e.getKind());
      parts.add(e.hasId() ? Long.toString(e.getId()) : e.getName());
    }
    return String.join("/", parts);
  }

  /** Ancestors first, then the key's own element. */
  static List<PathElement> path(Key key) {
    List<PathElement> path = new ArrayList<>(key.getAncestors());
    path.add(
        key.hasId()
            ? PathElement.of(key.getKind(), key.getId())
            : PathElement.of(key.getKind(), key.getName()));
    return path;
  }

  private Keys() {}
}
