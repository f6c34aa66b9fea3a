package dev.hotpath.emulators.datastore.query;

import com.google.datastore.v1.ArrayValue;
import com.google.datastore.v1.CompositeFilter;
import com.google.datastore.v1.Entity;
import com.google.datastore.v1.Filter;
import com.google.datastore.v1.Key;
import com.google.datastore.v1.KindExpression;
import com.google.datastore.v1.PartitionId;
import com.google.datastore.v1.PropertyFilter;
import com.google.datastore.v1.PropertyOrder;
import com.google.datastore.v1.PropertyReference;
import com.google.datastore.v1.Query;
import com.google.datastore.v1.Value;
import com.google.protobuf.NullValue;
import com.google.protobuf.Timestamp;
import dev.hotpath.emulators.datastore.store.PartitionSnapshot;
import dev.hotpath.emulators.datastore.store.VersionedEntity;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builders for protos and an in-memory snapshot, so engine tests read like the queries they run.
 */
final class TestData {
  static final PartitionId PARTITION =
      PartitionId.newBuilder().setProjectId("test-project").build();

  private TestData() {}

  /** A key from alternating kind / id-or-name pairs: key("A", 1, "B", "x"). */
  static Key key(Object... path) {
    Key.Builder key = Key.newBuilder().setPartitionId(PARTITION);
    for (int i = 0; i < path.length; i += 2) {
      Key.PathElement.Builder element = Key.PathElement.newBuilder().setKind((String) path[i]);
      if (path[i + 1] instanceof String name) {
        element.setName(name);
      } else {
        element.setId(((Number) path[i + 1]).longValue());
      }
      key.addPath(element);
    }
    return key.build();
  }

  static Value val(Object o) {
    Value.Builder v = Value.newBuilder();
    if (o == null) {
      return v.setNullValue(NullValue.NULL_VALUE).build();
    } else if (o instanceof Value value) {
      return value;
    } else if (o instanceof Integer || o instanceof Long) {
      return v.setIntegerValue(((Number) o).longValue()).build();
    } else if (o instanceof Double d) {
      return v.setDoubleValue(d).build();
    } else if (o instanceof Boolean b) {
      return v.setBooleanValue(b).build();
    } else if (o instanceof String s) {
      return v.setStringValue(s).build();
    } else if (o instanceof Key k) {
      return v.setKeyValue(k).build();
    } else if (o instanceof Timestamp t) {
      return v.setTimestampValue(t).build();
    } else if (o instanceof Entity e) {
      return v.setEntityValue(e).build();
    } else if (o instanceof List<?> list) {
      ArrayValue.Builder array = ArrayValue.newBuilder();
      list.forEach(element -> array.addValues(val(element)));
      return v.setArrayValue(array).build();
    }
    throw new IllegalArgumentException("no Value for " + o);
  }

  static Value unindexed(Object o) {
    return val(o).toBuilder().setExcludeFromIndexes(true).build();
  }

  static Value array(Object... elements) {
    return val(Arrays.asList(elements));
  }

  /** An entity from a key and alternating property name / value pairs. */
  static Entity entity(Key key, Object... properties) {
    Entity.Builder entity = Entity.newBuilder().setKey(key);
    for (int i = 0; i < properties.length; i += 2) {
      entity.putProperties((String) properties[i], val(properties[i + 1]));
    }
    return entity.build();
  }

  static Filter filter(String property, PropertyFilter.Operator op, Object value) {
    return Filter.newBuilder()
        .setPropertyFilter(
            PropertyFilter.newBuilder()
                .setProperty(PropertyReference.newBuilder().setName(property))
                .setOp(op)
                .setValue(val(value)))
        .build();
  }

  static Filter and(Filter... filters) {
    return composite(CompositeFilter.Operator.AND, filters);
  }

  static Filter or(Filter... filters) {
    return composite(CompositeFilter.Operator.OR, filters);
  }

  private static Filter composite(CompositeFilter.Operator op, Filter... filters) {
    return Filter.newBuilder()
        .setCompositeFilter(
            CompositeFilter.newBuilder().setOp(op).addAllFilters(Arrays.asList(filters)))
        .build();
  }

  static Query.Builder query(String kind) {
    return Query.newBuilder().addKind(KindExpression.newBuilder().setName(kind));
  }

  static PropertyOrder asc(String property) {
    return order(property, PropertyOrder.Direction.ASCENDING);
  }

  static PropertyOrder desc(String property) {
    return order(property, PropertyOrder.Direction.DESCENDING);
  }

  private static PropertyOrder order(String property, PropertyOrder.Direction direction) {
    return PropertyOrder.newBuilder()
        .setProperty(PropertyReference.newBuilder().setName(property))
        .setDirection(direction)
        .build();
  }

  static PropertyReference ref(String property) {
    return PropertyReference.newBuilder().setName(property).build();
  }

  static Timestamp time(long seconds, int nanos) {
    return Timestamp.newBuilder().setSeconds(seconds).setNanos(nanos).build();
  }

  /** The last path element (name, or id as text) of each result, in result order. */
  static List<String> names(com.google.datastore.v1.QueryResultBatch batch) {
    List<String> names = new ArrayList<>();
    for (com.google.datastore.v1.EntityResult result : batch.getEntityResultsList()) {
      List<Key.PathElement> path = result.getEntity().getKey().getPathList();
      Key.PathElement last = path.get(path.size() - 1);
      names.add(
          last.getIdTypeCase() == Key.PathElement.IdTypeCase.NAME
              ? last.getName()
              : Long.toString(last.getId()));
    }
    return names;
  }

  /** A mutable in-memory partition; iteration order is deliberately not key order. */
  static final class Store implements PartitionSnapshot {
    private final Map<Key, VersionedEntity> entities = new LinkedHashMap<>();
    private long version;

    Store put(Entity... batch) {
      for (Entity entity : batch) {
        version++;
        Timestamp at = time(1_700_000_000L + version, 0);
        VersionedEntity previous = entities.get(entity.getKey());
        entities.put(
            entity.getKey(),
            new VersionedEntity(
                entity, version, previous == null ? at : previous.createTime(), at));
      }
      return this;
    }

    Store delete(Key key) {
      entities.remove(key);
      return this;
    }

    @Override
    public Iterable<VersionedEntity> ofKind(String kind) {
      List<VersionedEntity> matching = new ArrayList<>();
      for (VersionedEntity stored : all()) {
        List<Key.PathElement> path = stored.entity().getKey().getPathList();
        if (path.get(path.size() - 1).getKind().equals(kind)) {
          matching.add(stored);
        }
      }
      return matching;
    }

    @Override
    public Iterable<VersionedEntity> ofKindUnder(String kind, List<Key.PathElement> ancestorPath) {
      List<VersionedEntity> matching = new ArrayList<>();
      for (VersionedEntity stored : ofKind(kind)) {
        List<Key.PathElement> path = stored.entity().getKey().getPathList();
        if (path.size() >= ancestorPath.size()
            && path.subList(0, ancestorPath.size()).equals(ancestorPath)) {
          matching.add(stored);
        }
      }
      return matching;
    }

    @Override
    public Iterable<VersionedEntity> all() {
      List<VersionedEntity> reversed = new ArrayList<>(entities.values());
      java.util.Collections.reverse(reversed);
      return reversed;
    }
  }
}
