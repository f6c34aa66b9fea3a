package dev.hotpath.emulators.datastore.query;

import com.google.datastore.v1.PropertyFilter;
import com.google.datastore.v1.Value;
import java.util.List;
import java.util.function.Predicate;

/** The test one property filter applies to one indexed value (one array element). */
final class ElementTest {
  private ElementTest() {}

  static Predicate<Value> of(PropertyFilter.Operator op, Value operand) {
    switch (op) {
      case EQUAL:
        return v -> ValueOrder.equal(v, operand);
      case LESS_THAN:
        return v -> ValueOrder.compare(v, operand) < 0;
      case LESS_THAN_OR_EQUAL:
        return v -> ValueOrder.compare(v, operand) <= 0;
      case GREATER_THAN:
        return v -> ValueOrder.compare(v, operand) > 0;
      case GREATER_THAN_OR_EQUAL:
        return v -> ValueOrder.compare(v, operand) >= 0;
      case NOT_EQUAL:
        return v -> !ValueOrder.equal(v, operand);
      case IN:
        return v -> containsEqual(operand.getArrayValue().getValuesList(), v);
      case NOT_IN:
        return v -> !containsEqual(operand.getArrayValue().getValuesList(), v);
      default:
        throw new IllegalArgumentException("not an element test: " + op);
    }
  }

  private static boolean containsEqual(List<Value> candidates, Value v) {
    for (Value candidate : candidates) {
      if (ValueOrder.equal(candidate, v)) {
        return true;
      }
    }
    return false;
  }
}
