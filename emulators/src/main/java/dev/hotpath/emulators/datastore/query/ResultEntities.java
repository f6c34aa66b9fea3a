package dev.hotpath.emulators.datastore.query;

import com.google.datastore.v1.Entity;
import com.google.datastore.v1.EntityResult;
import com.google.datastore.v1.Value;
import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import dev.hotpath.emulators.datastore.store.VersionedEntity;

/** Builds the {@code EntityResult} a row becomes: full entity, key only, or projection. */
final class ResultEntities {
  /** The meaning production attaches to a timestamp projected as microseconds (GD_WHEN). */
  static final int TIMESTAMP_MICROS_MEANING = 18;

  private ResultEntities() {}

  static EntityResult.ResultType typeOf(QueryPlan plan) {
    if (plan.keysOnly) {
      return EntityResult.ResultType.KEY_ONLY;
    }
    return plan.isProjection() ? EntityResult.ResultType.PROJECTION : EntityResult.ResultType.FULL;
  }

  static EntityResult of(QueryPlan plan, ResultRow row, ByteString cursor) {
    VersionedEntity stored = row.stored();
    EntityResult.Builder result = EntityResult.newBuilder().setCursor(cursor);
    switch (typeOf(plan)) {
      case KEY_ONLY:
        return result.setEntity(Entity.newBuilder().setKey(stored.entity().getKey())).build();
      case PROJECTION:
        Entity.Builder projected = Entity.newBuilder().setKey(stored.entity().getKey());
        for (int i = 0; i < plan.projection.size(); i++) {
          projected.putProperties(plan.projection.get(i), projectedValue(row.projected().get(i)));
        }
        return result.setEntity(projected).build();
      default:
        return result
            .setEntity(stored.entity())
            .setVersion(stored.version())
            .setCreateTime(stored.createTime())
            .setUpdateTime(stored.updateTime())
            .build();
    }
  }

  /** Projections return timestamps as microsecond integers, as production does. */
  static Value projectedValue(Value value) {
    if (!value.hasTimestampValue()) {
      return value;
    }
    return Value.newBuilder()
        .setIntegerValue(micros(value.getTimestampValue()))
        .setMeaning(TIMESTAMP_MICROS_MEANING)
        .build();
  }

  static long micros(Timestamp timestamp) {
    return timestamp.getSeconds() * 1_000_000L + timestamp.getNanos() / 1_000;
  }
}
