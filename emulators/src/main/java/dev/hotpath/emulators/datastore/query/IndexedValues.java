package dev.hotpath.emulators.datastore.query;

import com.google.datastore.v1.Entity;
import com.google.datastore.v1.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What an index holds for one property of one entity: each array element separately, values marked
 * {@code exclude_from_indexes} and embedded entities themselves left out, sub-properties of
 * embedded entities reachable by dotted names ({@code address.city}). A query sees exactly these
 * values; an entity with none is invisible to filters and orders on that property.
 */
final class IndexedValues {
  static final String KEY_PROPERTY = "__key__";

  private IndexedValues() {}

  static List<Value> of(Entity entity, String property) {
    if (property.equals(KEY_PROPERTY)) {
      return List.of(Value.newBuilder().setKeyValue(entity.getKey()).build());
    }
    List<Value> found = new ArrayList<>();
    collect(entity.getPropertiesMap(), property, found);
    return found;
  }

  private static void collect(Map<String, Value> properties, String path, List<Value> into) {
    Value direct = properties.get(path);
    if (direct != null) {
      addIndexed(direct, into);
      return;
    }
    // A dotted name reaches into embedded entities; the first segment that names a property wins.
    for (int dot = path.indexOf('.'); dot > 0; dot = path.indexOf('.', dot + 1)) {
      Value head = properties.get(path.substring(0, dot));
      if (head != null) {
        String rest = path.substring(dot + 1);
        for (Value element : elements(head)) {
          if (element.hasEntityValue() && !element.getExcludeFromIndexes()) {
            collect(element.getEntityValue().getPropertiesMap(), rest, into);
          }
        }
        return;
      }
    }
  }

  private static void addIndexed(Value value, List<Value> into) {
    for (Value element : elements(value)) {
      if (!element.getExcludeFromIndexes() && !element.hasEntityValue()) {
        into.add(element);
      }
    }
  }

  private static List<Value> elements(Value value) {
    if (!value.hasArrayValue()) {
      return List.of(value);
    }
    return value.getExcludeFromIndexes() ? List.of() : value.getArrayValue().getValuesList();
  }
}
