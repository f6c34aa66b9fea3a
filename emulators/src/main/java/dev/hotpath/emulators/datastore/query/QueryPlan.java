package dev.hotpath.emulators.datastore.query;

import static dev.hotpath.emulators.EmulatorException.invalidArgument;

import com.google.datastore.v1.CompositeFilter;
import com.google.datastore.v1.Filter;
import com.google.datastore.v1.Key;
import com.google.datastore.v1.PropertyFilter;
import com.google.datastore.v1.PropertyOrder;
import com.google.datastore.v1.PropertyReference;
import com.google.datastore.v1.Query;
import com.google.datastore.v1.Value;
import com.google.protobuf.ByteString;
import com.google.rpc.Code;
import dev.hotpath.emulators.EmulatorException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A validated query, ready to run: its effective sort orders (explicit orders, then the distinct-on
 * and inequality properties they lack, then {@code __key__}), projection, the properties every
 * result must have, and the decoded cursors. Malformed queries fail here with INVALID_ARGUMENT.
 */
final class QueryPlan {
  final String kind;
  final CompiledFilter filter;

  /**
   * The ancestor path every result must lie under (a HAS_ANCESTOR filter that is the whole filter
   * or part of its top-level conjunction), or null when the query is not confined to one.
   */
  final List<Key.PathElement> ancestorScope;

  final List<SortOrder> orders;
  final List<String> projection;
  final boolean keysOnly;
  final int distinctPrefix;
  final Set<String> requiredProperties;
  final int offset;
  final int limit;
  final QueryCursor cursors;
  final List<Value> startPosition;
  final List<Value> endPosition;
  final ByteString startCursor;

  private QueryPlan(Query query, Set<String> extraRequired) {
    if (query.hasFindNearest()) {
      throw new EmulatorException(Code.UNIMPLEMENTED, "find_nearest queries are not supported");
    }
    this.kind = kindOf(query);
    this.filter = CompiledFilter.compile(query.getFilter(), kind == null);
    this.ancestorScope = ancestorScope(query.getFilter());
    List<String> projected = projectionOf(query);
    this.keysOnly = projected.size() == 1 && projected.get(0).equals(IndexedValues.KEY_PROPERTY);
    this.projection =
        projected.stream().filter(p -> !p.equals(IndexedValues.KEY_PROPERTY)).toList();
    for (String property : projection) {
      if (filter.equalityProperties().contains(property)) {
        throw invalidArgument(
            "property '" + property + "' is used in an equality filter and cannot be projected");
      }
    }
    List<String> distinctOn = names(query.getDistinctOnList(), "distinct_on");
    this.orders = effectiveOrders(query, distinctOn);
    this.distinctPrefix = distinctOn.size();
    if (kind == null) {
      for (SortOrder order : orders) {
        if (!order.property().equals(IndexedValues.KEY_PROPERTY) || order.descending()) {
          throw invalidArgument("kindless queries can only be ordered by __key__ ascending");
        }
      }
      if (!projection.isEmpty()) {
        throw invalidArgument("kindless queries can only project __key__");
      }
    }
    Set<String> required = new LinkedHashSet<>();
    orders.forEach(order -> required.add(order.property()));
    required.addAll(projection);
    required.addAll(extraRequired);
    required.remove(IndexedValues.KEY_PROPERTY);
    this.requiredProperties = Set.copyOf(required);
    if (query.getOffset() < 0) {
      throw invalidArgument("offset must be >= 0, got " + query.getOffset());
    }
    this.offset = query.getOffset();
    if (query.hasLimit() && query.getLimit().getValue() < 0) {
      throw invalidArgument("limit must be >= 0, got " + query.getLimit().getValue());
    }
    this.limit = query.hasLimit() ? query.getLimit().getValue() : Integer.MAX_VALUE;
    this.cursors = new QueryCursor(query, orders.size());
    this.startCursor = query.getStartCursor();
    this.startPosition = cursors.decode(query.getStartCursor(), "start_cursor");
    this.endPosition = cursors.decode(query.getEndCursor(), "end_cursor");
  }

  static QueryPlan of(Query query) {
    return new QueryPlan(query, Set.of());
  }

  /** A plan whose results must also have indexed values for {@code extraRequired}. */
  static QueryPlan of(Query query, Set<String> extraRequired) {
    return new QueryPlan(query, extraRequired);
  }

  boolean isProjection() {
    return !projection.isEmpty();
  }

  private static String kindOf(Query query) {
    if (query.getKindCount() > 1) {
      throw invalidArgument("a query may name at most one kind, got " + query.getKindCount());
    }
    if (query.getKindCount() == 0) {
      return null;
    }
    String kind = query.getKind(0).getName();
    if (kind.isEmpty()) {
      throw invalidArgument("the query kind must not be empty");
    }
    if (kind.startsWith("__") && kind.endsWith("__")) {
      throw invalidArgument(
          "kind '" + kind + "' is reserved; metadata queries are not supported by this emulator");
    }
    return kind;
  }

  /**
   * Follows the filter through AND nodes only: under an OR a branch may lack the ancestor filter
   * (validation only requires the branches that have one to agree), so it would not confine the
   * whole query.
   */
  private static List<Key.PathElement> ancestorScope(Filter filter) {
    if (filter.hasPropertyFilter()) {
      PropertyFilter leaf = filter.getPropertyFilter();
      return leaf.getOp() == PropertyFilter.Operator.HAS_ANCESTOR
          ? leaf.getValue().getKeyValue().getPathList()
          : null;
    }
    if (filter.hasCompositeFilter()
        && filter.getCompositeFilter().getOp() == CompositeFilter.Operator.AND) {
      for (Filter child : filter.getCompositeFilter().getFiltersList()) {
        List<Key.PathElement> scope = ancestorScope(child);
        if (scope != null) {
          return scope;
        }
      }
    }
    return null;
  }

  private static List<String> projectionOf(Query query) {
    List<String> names = new ArrayList<>();
    query.getProjectionList().forEach(p -> names.add(p.getProperty().getName()));
    for (String name : names) {
      if (name.isEmpty()) {
        throw invalidArgument("a projection needs a property name");
      }
    }
    if (new LinkedHashSet<>(names).size() != names.size()) {
      throw invalidArgument("a property cannot be projected more than once: " + names);
    }
    return List.copyOf(names);
  }

  private static List<String> names(List<PropertyReference> references, String field) {
    List<String> names = new ArrayList<>();
    for (PropertyReference reference : references) {
      if (reference.getName().isEmpty()) {
        throw invalidArgument(field + " needs property names");
      }
      if (!names.contains(reference.getName())) {
        names.add(reference.getName());
      }
    }
    return names;
  }

  /**
   * Explicit orders come first, but distinct-on properties must lead: the ones the explicit orders
   * lack are inserted after the explicit distinct prefix. Inequality properties not ordered
   * explicitly follow in name order (an inequality filter implies an order), and {@code __key__}
   * ascending breaks the remaining ties.
   */
  private List<SortOrder> effectiveOrders(Query query, List<String> distinctOn) {
    List<SortOrder> explicit = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    for (PropertyOrder order : query.getOrderList()) {
      String name = order.getProperty().getName();
      if (name.isEmpty()) {
        throw invalidArgument("a sort order needs a property name");
      }
      if (order.getDirection() == PropertyOrder.Direction.UNRECOGNIZED) {
        throw invalidArgument("unknown sort direction for property '" + name + "'");
      }
      if (seen.add(name)) {
        explicit.add(
            new SortOrder(name, order.getDirection() == PropertyOrder.Direction.DESCENDING));
      }
    }
    int distinctLead = 0;
    while (distinctLead < explicit.size()
        && distinctOn.contains(explicit.get(distinctLead).property())) {
      distinctLead++;
    }
    if (distinctLead < explicit.size() && distinctLead < distinctOn.size()) {
      throw invalidArgument(
          "distinct_on properties "
              + distinctOn
              + " must all come before other properties in the"
              + " sort orders");
    }
    List<SortOrder> effective = new ArrayList<>(explicit.subList(0, distinctLead));
    for (String name : distinctOn) {
      if (seen.add(name)) {
        effective.add(new SortOrder(name, false));
      }
    }
    effective.addAll(explicit.subList(distinctLead, explicit.size()));
    for (String name : filter.inequalityProperties()) {
      if (seen.add(name)) {
        effective.add(new SortOrder(name, false));
      }
    }
    if (seen.add(IndexedValues.KEY_PROPERTY)) {
      effective.add(new SortOrder(IndexedValues.KEY_PROPERTY, false));
    }
    return List.copyOf(effective);
  }
}
