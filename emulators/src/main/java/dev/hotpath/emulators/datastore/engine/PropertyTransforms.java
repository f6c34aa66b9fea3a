package dev.hotpath.emulators.datastore.engine;

import com.google.datastore.v1.ArrayValue;
import com.google.datastore.v1.Entity;
import com.google.datastore.v1.PropertyTransform;
import com.google.datastore.v1.Value;
import com.google.protobuf.NullValue;
import dev.hotpath.emulators.datastore.store.Micros;
import java.util.ArrayList;
import java.util.List;

/**
 * Server-side property transforms of a commit (increment, maximum, minimum, append missing / remove
 * all array elements, request time), applied to the entity a mutation writes, inside the commit,
 * with Firestore's rules: numbers stay integers unless a double is involved, integer increments
 * saturate instead of overflowing, and a property of the wrong type is replaced by the operand.
 *
 * <p>As datastore.proto says: transforms apply "in order, after the operation" (so one property may
 * be transformed twice, the second seeing the first's result); for maximum and minimum "if the
 * operands are equivalent (e.g. 3 and 3.0), the property does not change. 0, 0.0, and -0.0 are all
 * zero", so of a zero stored value and a zero operand the stored value stays; REQUEST_TIME is "the
 * time at which the server processed the request, with millisecond precision".
 */
final class PropertyTransforms {

  /** The entity after the transforms, and each transform's result value in order. */
  record Outcome(Entity entity, List<Value> results) {}

  /** Throws INVALID_ARGUMENT if {@code transforms} cannot be applied whatever the stored data. */
  static void check(List<PropertyTransform> transforms) {
    for (PropertyTransform t : transforms) {
      path(t.getProperty());
      switch (t.getTransformTypeCase()) {
        case INCREMENT -> numeric(t, t.getIncrement());
        case MAXIMUM -> numeric(t, t.getMaximum());
        case MINIMUM -> numeric(t, t.getMinimum());
        case SET_TO_SERVER_VALUE -> {
          if (t.getSetToServerValue() != PropertyTransform.ServerValue.REQUEST_TIME) {
            throw Errors.invalid(
                "transform of \"" + t.getProperty() + "\" names an unknown server value");
          }
        }
        case APPEND_MISSING_ELEMENTS, REMOVE_ALL_FROM_ARRAY -> {}
        default ->
            throw Errors.invalid("transform of \"" + t.getProperty() + "\" has no transform type");
      }
    }
  }

  private static void numeric(PropertyTransform t, Value operand) {
    if (!isNumber(operand)) {
      throw Errors.invalid(
          "transform of \"" + t.getProperty() + "\" needs an integer or double operand");
    }
  }

  static Outcome apply(Entity entity, List<PropertyTransform> transforms, long commitMicros) {
    Entity current = entity;
    List<Value> results = new ArrayList<>(transforms.size());
    for (PropertyTransform t : transforms) {
      List<String> path = path(t.getProperty());
      Value old = get(current, path);
      Value updated = transform(t, old, commitMicros);
      current = set(current, path, 0, updated);
      boolean arrayOp =
          t.getTransformTypeCase() == PropertyTransform.TransformTypeCase.APPEND_MISSING_ELEMENTS
              || t.getTransformTypeCase()
                  == PropertyTransform.TransformTypeCase.REMOVE_ALL_FROM_ARRAY;
      results.add(
          arrayOp ? Value.newBuilder().setNullValue(NullValue.NULL_VALUE).build() : updated);
    }
    return new Outcome(current, results);
  }

  private static Value transform(PropertyTransform t, Value old, long commitMicros) {
    return switch (t.getTransformTypeCase()) {
      case INCREMENT -> isNumber(old) ? add(old, t.getIncrement()) : t.getIncrement();
      case MAXIMUM -> isNumber(old) && compare(old, t.getMaximum()) >= 0 ? old : t.getMaximum();
      case MINIMUM -> isNumber(old) && compare(old, t.getMinimum()) <= 0 ? old : t.getMinimum();
      case SET_TO_SERVER_VALUE ->
          Value.newBuilder()
              .setTimestampValue(Micros.toTimestamp(commitMicros / 1000 * 1000))
              .build();
      case APPEND_MISSING_ELEMENTS -> {
        List<Value> elements = new ArrayList<>(elements(old));
        for (Value v : t.getAppendMissingElements().getValuesList()) {
          if (elements.stream().noneMatch(e -> same(e, v))) {
            elements.add(v);
          }
        }
        yield array(elements);
      }
      case REMOVE_ALL_FROM_ARRAY -> {
        List<Value> elements = new ArrayList<>(elements(old));
        elements.removeIf(
            e -> t.getRemoveAllFromArray().getValuesList().stream().anyMatch(v -> same(e, v)));
        yield array(elements);
      }
      default ->
          throw Errors.invalid("transform of \"" + t.getProperty() + "\" has no transform type");
    };
  }

  private static boolean isNumber(Value v) {
    return v != null
        && (v.getValueTypeCase() == Value.ValueTypeCase.INTEGER_VALUE
            || v.getValueTypeCase() == Value.ValueTypeCase.DOUBLE_VALUE);
  }

  private static double asDouble(Value v) {
    return v.getValueTypeCase() == Value.ValueTypeCase.INTEGER_VALUE
        ? v.getIntegerValue()
        : v.getDoubleValue();
  }

  private static Value add(Value a, Value b) {
    Value.Builder out = a.toBuilder();
    if (a.hasIntegerValue() && b.hasIntegerValue()) {
      long x = a.getIntegerValue();
      long y = b.getIntegerValue();
      long sum = x + y;
      if (((x ^ sum) & (y ^ sum)) < 0) {
        sum = x > 0 ? Long.MAX_VALUE : Long.MIN_VALUE; // saturate, as Firestore does
      }
      return out.setIntegerValue(sum).build();
    }
    return out.setDoubleValue(asDouble(a) + asDouble(b)).build();
  }

  /** Numeric order where 3 equals 3.0 and -0.0 equals 0 (Double.compare would separate both). */
  private static int compare(Value a, Value b) {
    if (a.hasIntegerValue() && b.hasIntegerValue()) {
      return Long.compare(a.getIntegerValue(), b.getIntegerValue());
    }
    double x = asDouble(a);
    double y = asDouble(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }

  private static List<Value> elements(Value v) {
    return v != null && v.hasArrayValue() ? v.getArrayValue().getValuesList() : List.of();
  }

  private static Value array(List<Value> elements) {
    return Value.newBuilder().setArrayValue(ArrayValue.newBuilder().addAllValues(elements)).build();
  }

  /** Equal as data: index flags and meaning do not matter. */
  private static boolean same(Value a, Value b) {
    return a.toBuilder()
        .clearExcludeFromIndexes()
        .clearMeaning()
        .build()
        .equals(b.toBuilder().clearExcludeFromIndexes().clearMeaning().build());
  }

  private static Value get(Entity entity, List<String> path) {
    Value v = entity.getPropertiesMap().get(path.get(0));
    for (int i = 1; i < path.size() && v != null; i++) {
      v = v.hasEntityValue() ? v.getEntityValue().getPropertiesMap().get(path.get(i)) : null;
    }
    return v;
  }

  private static Entity set(Entity entity, List<String> path, int depth, Value value) {
    String name = path.get(depth);
    if (depth == path.size() - 1) {
      return entity.toBuilder().putProperties(name, value).build();
    }
    Value child = entity.getPropertiesMap().get(name);
    Entity inner =
        child != null && child.hasEntityValue()
            ? child.getEntityValue()
            : Entity.getDefaultInstance();
    Value.Builder holder =
        child != null && child.hasEntityValue() ? child.toBuilder() : Value.newBuilder();
    return entity.toBuilder()
        .putProperties(name, holder.setEntityValue(set(inner, path, depth + 1, value)).build())
        .build();
  }

  /** A property path: names separated by dots, each optionally quoted in backticks. */
  static List<String> path(String property) {
    List<String> parts = new ArrayList<>();
    StringBuilder part = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < property.length(); i++) {
      char c = property.charAt(i);
      if (c == '`') {
        quoted = !quoted;
      } else if (c == '\\' && quoted && i + 1 < property.length()) {
        part.append(property.charAt(++i));
      } else if (c == '.' && !quoted) {
        parts.add(part.toString());
        part.setLength(0);
      } else {
        part.append(c);
      }
    }
    if (quoted) {
      throw Errors.invalid("property path \"" + property + "\" has an unclosed backtick");
    }
    parts.add(part.toString());
    for (String p : parts) {
      NameRules.check("property name in transform path \"" + property + "\"", p);
    }
    return parts;
  }

  private PropertyTransforms() {}
}
