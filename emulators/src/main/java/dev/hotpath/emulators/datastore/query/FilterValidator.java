package dev.hotpath.emulators.datastore.query;

import static dev.hotpath.emulators.EmulatorException.invalidArgument;

import com.google.datastore.v1.CompositeFilter;
import com.google.datastore.v1.Filter;
import com.google.datastore.v1.Key;
import com.google.datastore.v1.PropertyFilter;
import com.google.datastore.v1.PropertyFilter.Operator;
import com.google.datastore.v1.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Production's rules for a filter tree: well-formed composites and leaves, the IN, NOT_IN,
 * disjunction and inequality-property limits, one ancestor, and the operators that cannot be
 * combined. One walk over the tree checks the composites and gathers the leaves, the disjunction
 * count and whether there is an OR; the checks of the leaves and the limits follow.
 */
final class FilterValidator {
  static final int MAX_IN_VALUES = 30;
  static final int MAX_NOT_IN_VALUES = 10;
  static final int MAX_DISJUNCTIONS = 30;
  static final int MAX_INEQUALITY_PROPERTIES = 10;

  /**
   * What the rest of the query needs to know about a valid filter: the properties (other than
   * {@code __key__}) under range, {@code !=} or NOT_IN filters, which imply sort orders, and those
   * under equality filters, which cannot be projected.
   */
  record Properties(Set<String> inequality, Set<String> equality) {}

  private final List<PropertyFilter> leaves = new ArrayList<>();
  private boolean hasOr;

  private FilterValidator() {}

  /** Refuses {@code filter} (set) if production would, naming the rule it breaks. */
  static Properties validate(Filter filter, boolean kindless) {
    FilterValidator tree = new FilterValidator();
    int disjunctions = tree.walk(filter);
    tree.validateLeaves(kindless);
    if (disjunctions > MAX_DISJUNCTIONS) {
      throw invalidArgument(
          "the filter has "
              + disjunctions
              + " disjunctions in disjunctive normal form; at most "
              + MAX_DISJUNCTIONS
              + " are allowed");
    }
    Set<String> inequalities = new TreeSet<>();
    Set<String> equalities = new TreeSet<>();
    for (PropertyFilter leaf : tree.leaves) {
      String name = leaf.getProperty().getName();
      if (ElementTest.isInequality(leaf.getOp()) && !name.equals(IndexedValues.KEY_PROPERTY)) {
        inequalities.add(name);
      } else if (leaf.getOp() == Operator.EQUAL) {
        equalities.add(name);
      }
    }
    if (inequalities.size() > MAX_INEQUALITY_PROPERTIES) {
      throw invalidArgument(
          "a query may have range or inequality filters on at most "
              + MAX_INEQUALITY_PROPERTIES
              + " properties, this one has "
              + inequalities.size());
    }
    return new Properties(Set.copyOf(inequalities), Set.copyOf(equalities));
  }

  /**
   * Checks the composites under {@code filter}, collects its leaves and returns its number of
   * disjunctions in disjunctive normal form: IN contributes one per value; AND multiplies, OR adds.
   */
  private int walk(Filter filter) {
    switch (filter.getFilterTypeCase()) {
      case PROPERTY_FILTER:
        PropertyFilter leaf = filter.getPropertyFilter();
        leaves.add(leaf);
        return leaf.getOp() == Operator.IN ? leaf.getValue().getArrayValue().getValuesCount() : 1;
      case COMPOSITE_FILTER:
        CompositeFilter composite = filter.getCompositeFilter();
        boolean and = composite.getOp() == CompositeFilter.Operator.AND;
        if (!and && composite.getOp() != CompositeFilter.Operator.OR) {
          throw invalidArgument("a composite filter needs the operator AND or OR");
        }
        if (composite.getFiltersCount() == 0) {
          throw invalidArgument("a composite filter needs at least one filter");
        }
        hasOr |= !and;
        long total = and ? 1 : 0;
        for (Filter child : composite.getFiltersList()) {
          long count = walk(child);
          total = and ? total * count : total + count;
          total = Math.min(total, Integer.MAX_VALUE);
        }
        return (int) total;
      default:
        throw invalidArgument("a filter needs a property_filter or a composite_filter");
    }
  }

  private void validateLeaves(boolean kindless) {
    int notEquals = 0;
    int notIns = 0;
    int ins = 0;
    Key ancestor = null;
    for (PropertyFilter leaf : leaves) {
      String name = leaf.getProperty().getName();
      Operator op = leaf.getOp();
      if (name.isEmpty()) {
        throw invalidArgument("a property filter needs a property name");
      }
      if (op == Operator.OPERATOR_UNSPECIFIED || op == Operator.UNRECOGNIZED) {
        throw invalidArgument("the filter on property '" + name + "' has no operator");
      }
      Value value = leaf.getValue();
      if (value.getValueTypeCase() == Value.ValueTypeCase.VALUETYPE_NOT_SET) {
        throw invalidArgument("the filter on property '" + name + "' has no value");
      }
      if (value.hasArrayValue() && op != Operator.IN && op != Operator.NOT_IN) {
        throw invalidArgument(
            "the "
                + op
                + " filter on property '"
                + name
                + "' cannot take an array value;"
                + " use IN or NOT_IN");
      }
      boolean onKey = name.equals(IndexedValues.KEY_PROPERTY);
      if (kindless && !onKey) {
        throw invalidArgument(
            "kindless queries cannot filter on property values, only on __key__ and ancestors;"
                + " found a filter on '"
                + name
                + "'");
      }
      switch (op) {
        case HAS_ANCESTOR:
          if (!onKey) {
            throw invalidArgument("HAS_ANCESTOR filters apply to __key__, not to '" + name + "'");
          }
          if (!value.hasKeyValue()) {
            throw invalidArgument("the HAS_ANCESTOR filter value must be a key");
          }
          if (ancestor != null
              && !ancestor.getPathList().equals(value.getKeyValue().getPathList())) {
            throw invalidArgument("all disjunctions of a query must have the same ancestor filter");
          }
          ancestor = value.getKeyValue();
          continue;
        case IN:
          ins++;
          requireArray(name, op, value, MAX_IN_VALUES);
          break;
        case NOT_IN:
          notIns++;
          requireArray(name, op, value, MAX_NOT_IN_VALUES);
          break;
        case NOT_EQUAL:
          notEquals++;
          break;
        default:
          break;
      }
      if (onKey) {
        requireKeys(op, value);
      }
    }
    if (notEquals + notIns > 1) {
      throw invalidArgument("a query may have at most one NOT_EQUAL or NOT_IN filter");
    }
    if (notIns > 0 && (ins > 0 || hasOr)) {
      throw invalidArgument("a NOT_IN filter cannot be combined with IN or OR filters");
    }
  }

  private static void requireArray(String name, Operator op, Value value, int max) {
    if (!value.hasArrayValue() || value.getArrayValue().getValuesCount() == 0) {
      throw invalidArgument(
          "the " + op + " filter on property '" + name + "' needs a non-empty array value");
    }
    int count = value.getArrayValue().getValuesCount();
    if (count > max) {
      throw invalidArgument(
          "the "
              + op
              + " filter on property '"
              + name
              + "' has "
              + count
              + " values; at most "
              + max
              + " are allowed");
    }
  }

  private static void requireKeys(Operator op, Value value) {
    List<Value> values =
        value.hasArrayValue() ? value.getArrayValue().getValuesList() : List.of(value);
    for (Value v : values) {
      if (!v.hasKeyValue()) {
        throw invalidArgument("a " + op + " filter on __key__ needs key values");
      }
    }
  }
}
