package dev.hotpath.emulators.datastore.query;

import com.google.datastore.v1.Entity;
import com.google.datastore.v1.Value;
import dev.hotpath.emulators.datastore.store.PartitionSnapshot;
import dev.hotpath.emulators.datastore.store.VersionedEntity;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Turns a snapshot into the sorted, de-duplicated rows of a plan: the matching entities that have
 * every required property, one row per entity (one per combination of projected values for
 * projections), ordered by the plan's effective orders, reduced to the first row per distinct-on
 * group.
 */
final class RowSource {
  private RowSource() {}

  static List<ResultRow> rows(QueryPlan plan, PartitionSnapshot snapshot) {
    List<ResultRow> rows = new ArrayList<>();
    for (VersionedEntity stored : candidates(plan, snapshot)) {
      Entity entity = stored.entity();
      if (!plan.filter.matches(entity)) {
        continue;
      }
      Map<String, List<Value>> values = requiredValues(plan, entity);
      if (values != null) {
        addRows(plan, stored, values, rows);
      }
    }
    rows.sort((a, b) -> RowPositions.compare(plan.orders, a.position(), b.position()));
    return plan.distinctPrefix == 0 ? rows : firstPerDistinctGroup(plan, rows);
  }

  /**
   * What the filter runs over: a kind query confined to an ancestor reads only the kind's keys
   * under it (an index range in production), any other query the whole kind or partition.
   */
  private static Iterable<VersionedEntity> candidates(QueryPlan plan, PartitionSnapshot snapshot) {
    if (plan.kind == null) {
      return snapshot.all();
    }
    return plan.ancestorScope == null
        ? snapshot.ofKind(plan.kind)
        : snapshot.ofKindUnder(plan.kind, plan.ancestorScope);
  }

  /** The usable values of each required property, or null if the entity lacks one. */
  private static Map<String, List<Value>> requiredValues(QueryPlan plan, Entity entity) {
    Map<String, List<Value>> values = new HashMap<>();
    for (String property : plan.requiredProperties) {
      List<Value> usable = usableValues(plan, entity, property);
      if (usable.isEmpty()) {
        return null;
      }
      values.put(property, usable);
    }
    return values;
  }

  /**
   * The elements an index scan would meet for this query: those satisfying the query's top-level
   * constraints on the property when any do, all indexed elements otherwise.
   */
  private static List<Value> usableValues(QueryPlan plan, Entity entity, String property) {
    List<Value> all = IndexedValues.of(entity, property);
    Predicate<Value> constraint = plan.filter.elementConstraint(property);
    if (constraint == null) {
      return all;
    }
    List<Value> satisfying = all.stream().filter(constraint).toList();
    return satisfying.isEmpty() ? all : satisfying;
  }

  private static void addRows(
      QueryPlan plan,
      VersionedEntity stored,
      Map<String, List<Value>> values,
      List<ResultRow> rows) {
    if (!plan.isProjection()) {
      rows.add(new ResultRow(stored, position(plan, stored.entity(), values, Map.of()), List.of()));
      return;
    }
    List<List<Value>> choices = new ArrayList<>();
    for (String property : plan.projection) {
      choices.add(distinctSorted(values.get(property)));
    }
    for (List<Value> combination : combinations(choices)) {
      Map<String, Value> chosen = new HashMap<>();
      for (int i = 0; i < plan.projection.size(); i++) {
        chosen.put(plan.projection.get(i), combination.get(i));
      }
      List<Value> position = new ArrayList<>(position(plan, stored.entity(), values, chosen));
      position.addAll(combination);
      rows.add(new ResultRow(stored, List.copyOf(position), combination));
    }
  }

  /**
   * Sort values: a projected property sorts by the row's own value; any other property by its
   * smallest usable value ascending, its greatest descending (production's rule for arrays).
   */
  private static List<Value> position(
      QueryPlan plan, Entity entity, Map<String, List<Value>> values, Map<String, Value> chosen) {
    List<Value> position = new ArrayList<>(plan.orders.size());
    for (SortOrder order : plan.orders) {
      String property = order.property();
      if (property.equals(IndexedValues.KEY_PROPERTY)) {
        position.add(Value.newBuilder().setKeyValue(entity.getKey()).build());
      } else if (chosen.containsKey(property)) {
        position.add(chosen.get(property));
      } else {
        position.add(extreme(values.get(property), order.descending()));
      }
    }
    return position;
  }

  private static Value extreme(List<Value> values, boolean greatest) {
    Value best = values.get(0);
    for (Value value : values) {
      int comparison = ValueOrder.compare(value, best);
      if (greatest ? comparison > 0 : comparison < 0) {
        best = value;
      }
    }
    return best;
  }

  private static List<Value> distinctSorted(List<Value> values) {
    List<Value> sorted = new ArrayList<>(values);
    sorted.sort(ValueOrder.VALUES);
    List<Value> unique = new ArrayList<>();
    for (Value value : sorted) {
      if (unique.isEmpty() || !ValueOrder.equal(unique.get(unique.size() - 1), value)) {
        unique.add(value);
      }
    }
    return unique;
  }

  private static List<List<Value>> combinations(List<List<Value>> choices) {
    List<List<Value>> combinations = new ArrayList<>();
    combinations.add(List.of());
    for (List<Value> options : choices) {
      List<List<Value>> extended = new ArrayList<>();
      for (List<Value> prefix : combinations) {
        for (Value option : options) {
          List<Value> next = new ArrayList<>(prefix);
          next.add(option);
          extended.add(next);
        }
      }
      combinations = extended;
    }
    return combinations;
  }

  private static List<ResultRow> firstPerDistinctGroup(QueryPlan plan, List<ResultRow> rows) {
    List<ResultRow> firsts = new ArrayList<>();
    List<Value> previous = null;
    for (ResultRow row : rows) {
      List<Value> group = row.position().subList(0, plan.distinctPrefix);
      if (previous == null || RowPositions.compare(plan.orders, group, previous) != 0) {
        firsts.add(row);
        previous = group;
      }
    }
    return firsts;
  }
}
