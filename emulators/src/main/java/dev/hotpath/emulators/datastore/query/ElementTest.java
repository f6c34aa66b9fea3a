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

  /**
   * Range, {@code !=} and NOT_IN: within a conjunction one element must pass all of these on a
   * property together (one index range scan), and they imply sort orders.
   */
  static boolean isInequality(PropertyFilter.Operator op) {
    switch (op) {
      case LESS_THAN:
      case LESS_THAN_OR_EQUAL:
      case GREATER_THAN:
      case GREATER_THAN_OR_EQUAL:
      case NOT_EQUAL:
      case NOT_IN:
        return true;
      default:
        return false;
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
