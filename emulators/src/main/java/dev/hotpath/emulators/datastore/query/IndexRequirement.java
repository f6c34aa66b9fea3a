package dev.hotpath.emulators.datastore.query;

import com.google.datastore.v1.CompositeFilter;
import com.google.datastore.v1.Filter;
import com.google.datastore.v1.Projection;
import com.google.datastore.v1.PropertyFilter;
import com.google.datastore.v1.PropertyFilter.Operator;
import com.google.datastore.v1.PropertyOrder;
import com.google.datastore.v1.Query;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which composite index a query needs, beyond the built-in single-property indexes Datastore mode
 * maintains. The engine checks it against the {@link CompositeIndexes} it was given (the emulator's
 * {@code --indexes}) and refuses a query whose index is missing with FAILED_PRECONDITION "no
 * matching index found", as production does; query evaluation never looks at indexes.
 *
 * <p>Built-in indexes serve, per the Datastore mode index documentation: kindless queries; queries
 * with only ancestor, equality and {@code __key__} filters; queries whose inequality filters and
 * sort order all name one property; and queries with no filters and one sort order. Everything else
 * needs a composite index: equality properties first, then the sort orders, then the remaining
 * inequality properties, then the remaining projected properties. The filter tree is read as one
 * conjunction, which is exact for AND queries and conservative for OR queries.
 */
public final class IndexRequirement {
  private IndexRequirement() {}

  /** The composite index {@code query} needs, or empty if built-in indexes serve it. */
  public static Optional<CompositeIndex> of(Query query) {
    if (query.getKindCount() != 1) {
      return Optional.empty();
    }
    Shape shape = new Shape(query);
    if (shape.servedByBuiltInIndexes()) {
      return Optional.empty();
    }
    List<CompositeIndex.Property> properties = new ArrayList<>();
    Set<String> included = new LinkedHashSet<>();
    for (String name : shape.equalities) {
      if (included.add(name)) {
        properties.add(new CompositeIndex.Property(name, false));
      }
    }
    for (PropertyOrder order : shape.orders) {
      if (included.add(order.getProperty().getName())) {
        properties.add(
            new CompositeIndex.Property(
                order.getProperty().getName(),
                order.getDirection() == PropertyOrder.Direction.DESCENDING));
      }
    }
    for (String name : shape.inequalities) {
      if (included.add(name)) {
        properties.add(new CompositeIndex.Property(name, false));
      }
    }
    for (String name : shape.projection) {
      if (included.add(name)) {
        properties.add(new CompositeIndex.Property(name, false));
      }
    }
    return Optional.of(new CompositeIndex(query.getKind(0).getName(), shape.ancestor, properties));
  }

  /** The parts of a query that decide which index serves it. */
  private static final class Shape {
    final Set<String> equalities = new TreeSet<>();
    final Set<String> inequalities = new TreeSet<>();
    final List<PropertyOrder> orders = new ArrayList<>();
    final Set<String> projection = new TreeSet<>();
    boolean ancestor;

    Shape(Query query) {
      if (query.hasFilter()) {
        collect(query.getFilter());
      }
      List<PropertyOrder> explicit = query.getOrderList();
      for (int i = 0; i < explicit.size(); i++) {
        PropertyOrder order = explicit.get(i);
        boolean trailingKeyAscending =
            i == explicit.size() - 1
                && isKey(order.getProperty().getName())
                && order.getDirection() != PropertyOrder.Direction.DESCENDING;
        if (!trailingKeyAscending) {
          orders.add(order);
        }
      }
      for (Projection p : query.getProjectionList()) {
        if (!isKey(p.getProperty().getName())) {
          projection.add(p.getProperty().getName());
        }
      }
    }

    boolean servedByBuiltInIndexes() {
      if (orders.isEmpty() && inequalities.isEmpty()) {
        boolean onlyAncestorAndEqualities = projection.isEmpty();
        boolean singlePropertyProjection =
            !ancestor && equalities.isEmpty() && projection.size() <= 1;
        return onlyAncestorAndEqualities || singlePropertyProjection;
      }
      if (ancestor || !equalities.isEmpty()) {
        return false;
      }
      Set<String> named = new TreeSet<>(inequalities);
      orders.forEach(order -> named.add(order.getProperty().getName()));
      named.addAll(projection);
      return named.size() == 1 && orders.size() <= 1 && !named.contains(KEY);
    }

    private void collect(Filter filter) {
      if (filter.hasCompositeFilter()) {
        CompositeFilter composite = filter.getCompositeFilter();
        composite.getFiltersList().forEach(this::collect);
        return;
      }
      PropertyFilter leaf = filter.getPropertyFilter();
      String name = leaf.getProperty().getName();
      if (leaf.getOp() == Operator.HAS_ANCESTOR) {
        ancestor = true;
      } else if (isKey(name)) {
        return;
      } else if (leaf.getOp() == Operator.EQUAL || leaf.getOp() == Operator.IN) {
        equalities.add(name);
      } else {
        inequalities.add(name);
      }
    }

    private static final String KEY = IndexedValues.KEY_PROPERTY;

    private static boolean isKey(String name) {
      return name.equals(KEY);
    }
  }
}
