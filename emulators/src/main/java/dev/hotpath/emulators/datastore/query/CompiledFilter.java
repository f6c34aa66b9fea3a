package dev.hotpath.emulators.datastore.query;

import static dev.hotpath.emulators.EmulatorException.invalidArgument;

import com.google.datastore.v1.CompositeFilter;
import com.google.datastore.v1.Entity;
import com.google.datastore.v1.Filter;
import com.google.datastore.v1.Key;
import com.google.datastore.v1.PropertyFilter;
import com.google.datastore.v1.PropertyFilter.Operator;
import com.google.datastore.v1.Value;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * A validated filter tree turned into an entity predicate, plus what the rest of the query needs to
 * know about it: the per-property element constraints of the top-level conjunction (they pick which
 * array element sorts and projects, like an index scan would), the properties under inequality
 * filters (they imply sort orders) and the properties under equality filters (they cannot be
 * projected).
 */
final class CompiledFilter {
  static final int MAX_IN_VALUES = 30;
  static final int MAX_NOT_IN_VALUES = 10;
  static final int MAX_DISJUNCTIONS = 30;
  static final int MAX_INEQUALITY_PROPERTIES = 10;

  private static final CompiledFilter NONE =
      new CompiledFilter(entity -> true, Map.of(), Set.of(), Set.of());

  private final Predicate<Entity> matcher;
  private final Map<String, Predicate<Value>> elementConstraints;
  private final Set<String> inequalityProperties;
  private final Set<String> equalityProperties;

  private CompiledFilter(
      Predicate<Entity> matcher,
      Map<String, Predicate<Value>> elementConstraints,
      Set<String> inequalityProperties,
      Set<String> equalityProperties) {
    this.matcher = matcher;
    this.elementConstraints = elementConstraints;
    this.inequalityProperties = inequalityProperties;
    this.equalityProperties = equalityProperties;
  }

  /** Compiles {@code filter} (may be the default instance: no filter). */
  static CompiledFilter compile(Filter filter, boolean kindless) {
    if (filter.getFilterTypeCase() == Filter.FilterTypeCase.FILTERTYPE_NOT_SET) {
      return NONE;
    }
    List<PropertyFilter> leaves = new ArrayList<>();
    collectLeaves(filter, leaves);
    validateLeaves(leaves, kindless, containsOr(filter));
    int disjunctions = disjunctionCount(filter);
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
    for (PropertyFilter leaf : leaves) {
      String name = leaf.getProperty().getName();
      if (isInequality(leaf.getOp()) && !name.equals(IndexedValues.KEY_PROPERTY)) {
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
    return new CompiledFilter(
        matcherOf(filter),
        topLevelConstraints(filter),
        Set.copyOf(inequalities),
        Set.copyOf(equalities));
  }

  boolean matches(Entity entity) {
    return matcher.test(entity);
  }

  /** The conjunction of the top-level constraints on {@code property}, or null if none. */
  Predicate<Value> elementConstraint(String property) {
    return elementConstraints.get(property);
  }

  /** Properties (other than {@code __key__}) under range, {@code !=} or NOT_IN filters. */
  Set<String> inequalityProperties() {
    return inequalityProperties;
  }

  Set<String> equalityProperties() {
    return equalityProperties;
  }

  private static boolean isInequality(Operator op) {
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

  private static void collectLeaves(Filter filter, List<PropertyFilter> into) {
    switch (filter.getFilterTypeCase()) {
      case PROPERTY_FILTER:
        into.add(filter.getPropertyFilter());
        return;
      case COMPOSITE_FILTER:
        CompositeFilter composite = filter.getCompositeFilter();
        if (composite.getOp() != CompositeFilter.Operator.AND
            && composite.getOp() != CompositeFilter.Operator.OR) {
          throw invalidArgument("a composite filter needs the operator AND or OR");
        }
        if (composite.getFiltersCount() == 0) {
          throw invalidArgument("a composite filter needs at least one filter");
        }
        for (Filter child : composite.getFiltersList()) {
          collectLeaves(child, into);
        }
        return;
      default:
        throw invalidArgument("a filter needs a property_filter or a composite_filter");
    }
  }

  private static boolean containsOr(Filter filter) {
    if (!filter.hasCompositeFilter()) {
      return false;
    }
    CompositeFilter composite = filter.getCompositeFilter();
    return composite.getOp() == CompositeFilter.Operator.OR
        || composite.getFiltersList().stream().anyMatch(CompiledFilter::containsOr);
  }

  private static void validateLeaves(List<PropertyFilter> leaves, boolean kindless, boolean hasOr) {
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

  /** IN contributes one disjunction per value; AND multiplies, OR adds. */
  private static int disjunctionCount(Filter filter) {
    if (filter.hasPropertyFilter()) {
      PropertyFilter leaf = filter.getPropertyFilter();
      return leaf.getOp() == Operator.IN ? leaf.getValue().getArrayValue().getValuesCount() : 1;
    }
    CompositeFilter composite = filter.getCompositeFilter();
    long total = composite.getOp() == CompositeFilter.Operator.AND ? 1 : 0;
    for (Filter child : composite.getFiltersList()) {
      long count = disjunctionCount(child);
      total = composite.getOp() == CompositeFilter.Operator.AND ? total * count : total + count;
      total = Math.min(total, Integer.MAX_VALUE);
    }
    return (int) total;
  }

  private static Predicate<Entity> matcherOf(Filter filter) {
    if (filter.hasPropertyFilter()) {
      return leafMatcher(filter.getPropertyFilter());
    }
    CompositeFilter composite = filter.getCompositeFilter();
    if (composite.getOp() == CompositeFilter.Operator.OR) {
      List<Predicate<Entity>> branches = new ArrayList<>();
      composite.getFiltersList().forEach(child -> branches.add(matcherOf(child)));
      return entity -> branches.stream().anyMatch(branch -> branch.test(entity));
    }
    return conjunctionMatcher(composite.getFiltersList());
  }

  /**
   * Within a conjunction, equality and IN filters each need some element to match, while the range,
   * {@code !=} and NOT_IN filters on one property need a single element to satisfy them all (one
   * index range scan), as production documents for array properties.
   */
  private static Predicate<Entity> conjunctionMatcher(List<Filter> children) {
    List<Filter> flat = new ArrayList<>();
    flattenConjunction(children, flat);
    List<Predicate<Entity>> parts = new ArrayList<>();
    Map<String, Predicate<Value>> ranges = new LinkedHashMap<>();
    for (Filter child : flat) {
      if (child.hasPropertyFilter() && isInequality(child.getPropertyFilter().getOp())) {
        PropertyFilter leaf = child.getPropertyFilter();
        ranges.merge(
            leaf.getProperty().getName(),
            ElementTest.of(leaf.getOp(), leaf.getValue()),
            Predicate::and);
      } else {
        parts.add(matcherOf(child));
      }
    }
    ranges.forEach((property, test) -> parts.add(anyElement(property, test)));
    return entity -> parts.stream().allMatch(part -> part.test(entity));
  }

  private static void flattenConjunction(List<Filter> children, List<Filter> into) {
    for (Filter child : children) {
      if (child.hasCompositeFilter()
          && child.getCompositeFilter().getOp() == CompositeFilter.Operator.AND) {
        flattenConjunction(child.getCompositeFilter().getFiltersList(), into);
      } else {
        into.add(child);
      }
    }
  }

  private static Predicate<Entity> leafMatcher(PropertyFilter leaf) {
    if (leaf.getOp() == Operator.HAS_ANCESTOR) {
      List<Key.PathElement> ancestorPath = leaf.getValue().getKeyValue().getPathList();
      return entity -> {
        List<Key.PathElement> path = entity.getKey().getPathList();
        return path.size() >= ancestorPath.size()
            && path.subList(0, ancestorPath.size()).equals(ancestorPath);
      };
    }
    return anyElement(leaf.getProperty().getName(), ElementTest.of(leaf.getOp(), leaf.getValue()));
  }

  private static Predicate<Entity> anyElement(String property, Predicate<Value> test) {
    return entity -> {
      for (Value element : IndexedValues.of(entity, property)) {
        if (test.test(element)) {
          return true;
        }
      }
      return false;
    };
  }

  private static Map<String, Predicate<Value>> topLevelConstraints(Filter filter) {
    Map<String, Predicate<Value>> constraints = new LinkedHashMap<>();
    addTopLevelConstraints(filter, constraints);
    return Map.copyOf(constraints);
  }

  private static void addTopLevelConstraints(Filter filter, Map<String, Predicate<Value>> into) {
    if (filter.hasPropertyFilter()) {
      PropertyFilter leaf = filter.getPropertyFilter();
      if (leaf.getOp() != Operator.HAS_ANCESTOR) {
        into.merge(
            leaf.getProperty().getName(),
            ElementTest.of(leaf.getOp(), leaf.getValue()),
            Predicate::and);
      }
    } else if (filter.getCompositeFilter().getOp() == CompositeFilter.Operator.AND) {
      filter.getCompositeFilter().getFiltersList().forEach(f -> addTopLevelConstraints(f, into));
    }
  }
}
