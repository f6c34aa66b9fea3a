package dev.hotpath.emulators.datastore.engine;

import com.google.datastore.v1.ArrayValue;
import com.google.datastore.v1.Entity;
import com.google.datastore.v1.Value;
import com.google.protobuf.Timestamp;
import java.util.Map;

/**
 * Checks entity content against Datastore's rules and brings it to stored form (timestamps rounded
 * down to microseconds, as Datastore stores them).
 */
final class EntityRules {
  /**
   * Datastore's maximum entity size (1 MiB minus 4 bytes), measured here as the serialized entity.
   */
  static final int MAX_ENTITY_BYTES = 1_048_572;

  private static final long MIN_SECONDS = -62_135_596_800L; // 0001-01-01T00:00:00Z
  private static final long MAX_SECONDS = 253_402_300_799L; // 9999-12-31T23:59:59Z

  /**
   * The limits page: "Maximum depth of nested entity values: 20" (as Google's emulators count it).
   */
  static final int MAX_NESTING = 20;

  /**
   * The meaning Datastore gives the index values a projection query returns; such a value cannot be
   * written back (Google's emulators: "Projection property cannot be used.").
   */
  private static final int PROJECTION_MEANING = 18;

  /** {@code entity}'s properties checked and normalized; the caller sets the checked key. */
  static Entity properties(Entity entity) {
    return properties(entity, 0);
  }

  private static Entity properties(Entity entity, int nesting) {
    Entity.Builder out = null;
    for (Map.Entry<String, Value> p : entity.getPropertiesMap().entrySet()) {
      NameRules.check("property name", p.getKey());
      Value checked = value(p.getKey(), p.getValue(), false, nesting);
      if (checked != p.getValue()) {
        if (out == null) {
          out = entity.toBuilder();
        }
        out.putProperties(p.getKey(), checked);
      }
    }
    return out == null ? entity : out.build();
  }

  /** Throws INVALID_ARGUMENT when {@code entity} is over the size limit. */
  static void checkSize(Entity entity) {
    int size = entity.getSerializedSize();
    if (size > MAX_ENTITY_BYTES) {
      throw Errors.invalid(
          "entity "
              + Errors.describe(entity.getKey())
              + " is too big: "
              + size
              + " bytes; the maximum entity size is "
              + MAX_ENTITY_BYTES
              + " bytes");
    }
  }

  private static Value value(String property, Value v, boolean inArray, int nesting) {
    if (v.getMeaning() == PROJECTION_MEANING) {
      throw Errors.invalid(
          "property \""
              + property
              + "\" has meaning 18, a projection's index value, which cannot be stored");
    }
    switch (v.getValueTypeCase()) {
      case VALUETYPE_NOT_SET ->
          throw Errors.invalid("property \"" + property + "\" has a value of no type");
      case STRING_VALUE ->
          checkIndexedLength(property, v, NameRules.utf8Length(v.getStringValue()));
      case BLOB_VALUE -> checkIndexedLength(property, v, v.getBlobValue().size());
      case TIMESTAMP_VALUE -> {
        Timestamp t = v.getTimestampValue();
        if (t.getSeconds() < MIN_SECONDS
            || t.getSeconds() > MAX_SECONDS
            || t.getNanos() < 0
            || t.getNanos() > 999_999_999) {
          throw Errors.invalid(
              "property \"" + property + "\" has a timestamp outside 0001-01-01 to 9999-12-31");
        }
        int micros = t.getNanos() / 1000 * 1000;
        if (micros != t.getNanos()) {
          return v.toBuilder().setTimestampValue(t.toBuilder().setNanos(micros)).build();
        }
      }
      case GEO_POINT_VALUE -> {
        double lat = v.getGeoPointValue().getLatitude();
        double lng = v.getGeoPointValue().getLongitude();
        if (!(lat >= -90 && lat <= 90) || !(lng >= -180 && lng <= 180)) {
          throw Errors.invalid(
              "property \""
                  + property
                  + "\" has a geo point outside latitude [-90, 90] / longitude [-180, 180]");
        }
      }
      case KEY_VALUE -> {
        if (!KeyRules.complete(v.getKeyValue())) {
          throw Errors.invalid("property \"" + property + "\" holds an incomplete key");
        }
      }
      case ENTITY_VALUE -> {
        if (nesting + 1 > MAX_NESTING) {
          throw Errors.invalid(
              "property \""
                  + property
                  + "\" nests entity values more than "
                  + MAX_NESTING
                  + " deep");
        }
        Entity nested = properties(v.getEntityValue(), nesting + 1);
        if (nested != v.getEntityValue()) {
          return v.toBuilder().setEntityValue(nested).build();
        }
      }
      case ARRAY_VALUE -> {
        if (inArray) {
          throw Errors.invalid(
              "property \"" + property + "\" holds an array directly inside an array");
        }
        if (v.getExcludeFromIndexes()) {
          throw Errors.invalid(
              "property \""
                  + property
                  + "\": exclude_from_indexes cannot be set on an array value, only on its elements");
        }
        ArrayValue.Builder out = null;
        for (int i = 0; i < v.getArrayValue().getValuesCount(); i++) {
          Value element = v.getArrayValue().getValues(i);
          Value checked = value(property, element, true, nesting);
          if (checked != element) {
            if (out == null) {
              out = v.getArrayValue().toBuilder();
            }
            out.setValues(i, checked);
          }
        }
        if (out != null) {
          return v.toBuilder().setArrayValue(out).build();
        }
      }
      default -> {
        // null, boolean, integer and double values need no checks.
      }
    }
    return v;
  }

  private static void checkIndexedLength(String property, Value v, int bytes) {
    if (!v.getExcludeFromIndexes() && bytes > NameRules.MAX_BYTES) {
      throw Errors.invalid(
          "property \""
              + property
              + "\" is an indexed value longer than "
              + NameRules.MAX_BYTES
              + " bytes; set exclude_from_indexes to store it");
    }
  }

  private EntityRules() {}
}
