package dev.hotpath.emulators.datastore.query;

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
import java.util.function.Predicate;

/**
 * A filter tree, validated by {@link FilterValidator}, turned into an entity predicate in one walk,
 * plus what the rest of the query needs to know about it: the per-property element constraints of
 * the top-level conjunction (they pick which array element sorts and projects, like an index scan
 * would) and the validator's {@link FilterValidator.Properties}.
 */
final class CompiledFilter {
  private static final CompiledFilter NONE =
      new CompiledFilter(
          entity -> true, Map.of(), new FilterValidator.Properties(Set.of(), Set.of()));

  private final Predicate<Entity> matcher;
  private final Map<String, Predicate<Value>> elementConstraints;
  private final FilterValidator.Properties properties;

  private CompiledFilter(
      Predicate<Entity> matcher,
      Map<String, Predicate<Value>> elementConstraints,
      FilterValidator.Properties properties) {
    this.matcher = matcher;
    this.elementConstraints = elementConstraints;
    this.properties = properties;
  }

  /** Compiles {@code filter} (may be the default instance: no filter). */
  static CompiledFilter compile(Filter filter, boolean kindless) {
    if (filter.getFilterTypeCase() == Filter.FilterTypeCase.FILTERTYPE_NOT_SET) {
      return NONE;
    }
    FilterValidator.Properties properties = FilterValidator.validate(filter, kindless);
    if (isOr(filter)) {
      return new CompiledFilter(disjunction(filter.getCompositeFilter()), Map.of(), properties);
    }
    Conjunction top = conjunction(List.of(filter));
    return new CompiledFilter(top.matcher(), Map.copyOf(top.elementConstraints()), properties);
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
    return properties.inequality();
  }

  Set<String> equalityProperties() {
    return properties.equality();
  }

  /**
   * A conjunction's predicate, and per property the conjunction of its element tests (all but
   * HAS_ANCESTOR).
   */
  private record Conjunction(
      Predicate<Entity> matcher, Map<String, Predicate<Value>> elementConstraints) {}

  private static boolean isOr(Filter filter) {
    return filter.hasCompositeFilter()
        && filter.getCompositeFilter().getOp() == CompositeFilter.Operator.OR;
  }

  private static Predicate<Entity> matcherOf(Filter filter) {
    return isOr(filter)
        ? disjunction(filter.getCompositeFilter())
        : conjunction(List.of(filter)).matcher();
  }

  private static Predicate<Entity> disjunction(CompositeFilter or) {
    List<Predicate<Entity>> branches = new ArrayList<>();
    or.getFiltersList().forEach(child -> branches.add(matcherOf(child)));
    return entity -> branches.stream().anyMatch(branch -> branch.test(entity));
  }

  /**
   * Within a conjunction, equality and IN filters each need some element to match, while the range,
   * {@code !=} and NOT_IN filters on one property need a single element to satisfy them all (one
   * index range scan), as production documents for array properties.
   */
  private static Conjunction conjunction(List<Filter> children) {
    List<Filter> flat = new ArrayList<>();
    flattenConjunction(children, flat);
    List<Predicate<Entity>> parts = new ArrayList<>();
    Map<String, Predicate<Value>> ranges = new LinkedHashMap<>();
    Map<String, Predicate<Value>> constraints = new LinkedHashMap<>();
    for (Filter child : flat) {
      if (!child.hasPropertyFilter()) {
        parts.add(matcherOf(child));
        continue;
      }
      PropertyFilter leaf = child.getPropertyFilter();
      if (leaf.getOp() == Operator.HAS_ANCESTOR) {
        parts.add(underAncestor(leaf.getValue().getKeyValue().getPathList()));
        continue;
      }
      String property = leaf.getProperty().getName();
      Predicate<Value> test = ElementTest.of(leaf.getOp(), leaf.getValue());
      constraints.merge(property, test, Predicate::and);
      if (ElementTest.isInequality(leaf.getOp())) {
        ranges.merge(property, test, Predicate::and);
      } else {
        parts.add(anyElement(property, test));
      }
    }
    ranges.forEach((property, test) -> parts.add(anyElement(property, test)));
    Predicate<Entity> all =
        parts.size() == 1
            ? parts.get(0)
            : entity -> parts.stream().allMatch(part -> part.test(entity));
    return new Conjunction(all, constraints);
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

  private static Predicate<Entity> underAncestor(List<Key.PathElement> ancestorPath) {
    return entity -> {
      List<Key.PathElement> path = entity.getKey().getPathList();
      return path.size() >= ancestorPath.size()
          && path.subList(0, ancestorPath.size()).equals(ancestorPath);
    };
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
}
