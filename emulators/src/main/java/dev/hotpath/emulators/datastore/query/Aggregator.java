package dev.hotpath.emulators.datastore.query;

import static dev.hotpath.emulators.EmulatorException.invalidArgument;

import com.google.datastore.v1.AggregationQuery;
import com.google.datastore.v1.AggregationQuery.Aggregation;
import com.google.datastore.v1.AggregationResult;
import com.google.datastore.v1.Value;
import com.google.protobuf.NullValue;
import dev.hotpath.emulators.datastore.store.PartitionSnapshot;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * COUNT, SUM and AVG over the rows of a nested query (its filters, orders, cursors, offset and
 * limit apply). As in production, the nested query only yields entities that have indexed values
 * for every SUM/AVG property; SUM and AVG skip non-numeric values and read timestamps as
 * microseconds; SUM stays an integer unless a double is involved or it overflows; AVG is a double,
 * null over no values.
 */
final class Aggregator {
  static final int MAX_AGGREGATIONS = 5;
  private static final String DEFAULT_ALIAS_PREFIX = "property_";

  private Aggregator() {}

  static AggregationResult aggregate(AggregationQuery query, PartitionSnapshot snapshot) {
    if (!query.hasNestedQuery()) {
      throw invalidArgument("an aggregation query needs a nested_query");
    }
    int count = query.getAggregationsCount();
    if (count < 1 || count > MAX_AGGREGATIONS) {
      throw invalidArgument(
          "an aggregation query needs 1 to " + MAX_AGGREGATIONS + " aggregations, got " + count);
    }
    List<String> aliases = aliases(query.getAggregationsList());
    Set<String> properties = aggregatedProperties(query.getAggregationsList());
    QueryPlan plan = QueryPlan.of(query.getNestedQuery(), properties);
    if (plan.isProjection() && !plan.projection.containsAll(properties)) {
      throw invalidArgument(
          "an aggregation over a projection can only use projected properties "
              + plan.projection
              + ", not "
              + properties);
    }
    List<ResultRow> rows =
        ResultWindow.of(plan, RowSource.rows(plan, snapshot)).page(plan.offset, plan.limit);
    AggregationResult.Builder result = AggregationResult.newBuilder();
    for (int i = 0; i < count; i++) {
      result.putAggregateProperties(aliases.get(i), evaluate(query.getAggregations(i), plan, rows));
    }
    return result.build();
  }

  private static List<String> aliases(List<Aggregation> aggregations) {
    List<String> aliases = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    int unnamed = 0;
    for (Aggregation aggregation : aggregations) {
      String alias = aggregation.getAlias();
      if (alias.isEmpty()) {
        alias = DEFAULT_ALIAS_PREFIX + ++unnamed;
      } else if (alias.startsWith("__") && alias.endsWith("__")) {
        throw invalidArgument("aggregation alias '" + alias + "' is reserved");
      }
      if (!seen.add(alias)) {
        throw invalidArgument("aggregation alias '" + alias + "' is used more than once");
      }
      aliases.add(alias);
    }
    return aliases;
  }

  private static Set<String> aggregatedProperties(List<Aggregation> aggregations) {
    Set<String> properties = new LinkedHashSet<>();
    for (Aggregation aggregation : aggregations) {
      switch (aggregation.getOperatorCase()) {
        case COUNT:
          if (aggregation.getCount().hasUpTo() && aggregation.getCount().getUpTo().getValue() < 0) {
            throw invalidArgument(
                "COUNT up_to must be non-negative, got "
                    + aggregation.getCount().getUpTo().getValue());
          }
          break;
        case SUM:
          properties.add(propertyOf(aggregation.getSum().getProperty().getName(), "SUM"));
          break;
        case AVG:
          properties.add(propertyOf(aggregation.getAvg().getProperty().getName(), "AVG"));
          break;
        default:
          throw invalidArgument("an aggregation needs an operator: count, sum or avg");
      }
    }
    return properties;
  }

  private static String propertyOf(String name, String operator) {
    if (name.isEmpty()) {
      throw invalidArgument(operator + " needs a property name");
    }
    if (name.equals(IndexedValues.KEY_PROPERTY)) {
      throw invalidArgument(operator + " cannot aggregate __key__");
    }
    return name;
  }

  private static Value evaluate(Aggregation aggregation, QueryPlan plan, List<ResultRow> rows) {
    switch (aggregation.getOperatorCase()) {
      case COUNT:
        long counted = rows.size();
        if (aggregation.getCount().hasUpTo()) {
          counted = Math.min(counted, aggregation.getCount().getUpTo().getValue());
        }
        return Value.newBuilder().setIntegerValue(counted).build();
      case SUM:
        return sum(plan, rows, aggregation.getSum().getProperty().getName()).sumValue();
      default:
        return sum(plan, rows, aggregation.getAvg().getProperty().getName()).averageValue();
    }
  }

  private static NumericSum sum(QueryPlan plan, List<ResultRow> rows, String property) {
    int projected = plan.projection.indexOf(property);
    NumericSum sum = new NumericSum();
    for (ResultRow row : rows) {
      if (projected >= 0) {
        sum.add(row.projected().get(projected));
      } else {
        IndexedValues.of(row.stored().entity(), property).forEach(sum::add);
      }
    }
    return sum;
  }

  /** A running sum that stays an exact long until a double or an overflow forces a double. */
  private static final class NumericSum {
    private long exact;
    private double approximate;
    private boolean inexact;
    private long values;

    void add(Value value) {
      switch (value.getValueTypeCase()) {
        case INTEGER_VALUE:
          addLong(value.getIntegerValue());
          break;
        case TIMESTAMP_VALUE:
          addLong(ResultEntities.micros(value.getTimestampValue()));
          break;
        case DOUBLE_VALUE:
          approximate += value.getDoubleValue();
          inexact = true;
          values++;
          break;
        default:
          // Non-numeric values (null included) are skipped, as production does.
          break;
      }
    }

    private void addLong(long addend) {
      approximate += addend;
      values++;
      if (!inexact) {
        try {
          exact = Math.addExact(exact, addend);
        } catch (ArithmeticException overflow) {
          inexact = true;
        }
      }
    }

    Value sumValue() {
      return inexact
          ? Value.newBuilder().setDoubleValue(approximate).build()
          : Value.newBuilder().setIntegerValue(exact).build();
    }

    Value averageValue() {
      if (values == 0) {
        return Value.newBuilder().setNullValue(NullValue.NULL_VALUE).build();
      }
      double total = inexact ? approximate : exact;
      return Value.newBuilder().setDoubleValue(total / values).build();
    }
  }
}
