package dev.hotpath.shared.operations;

import com.google.cloud.datastore.Entity;
import com.google.cloud.datastore.Key;
import com.google.cloud.datastore.Value;
import java.util.Map;
import java.util.Objects;

/**
 * One change of an operation, on one entity: write its properties ({@code insert}, {@code upsert},
 * {@code update}), remove it ({@code delete}), or add {@code by} to one integer property ({@code
 * increment}). Immutable; built by {@link MutationParser}.
 */
public record Mutation(
    Type type, Key key, Map<String, Value<?>> properties, String property, long by) {

  /** The operations of POST /v1/operations, by their JSON names. */
  public enum Type {
    INSERT("insert"),
    UPSERT("upsert"),
    UPDATE("update"),
    DELETE("delete"),
    INCREMENT("increment");

    private final String jsonName;

    Type(String jsonName) {
      this.jsonName = jsonName;
    }

    public String jsonName() {
      return jsonName;
    }
  }

  public Mutation {
    Objects.requireNonNull(type);
    Objects.requireNonNull(key);
    properties = Map.copyOf(properties);
  }

  public static Mutation write(Type type, Key key, Map<String, Value<?>> properties) {
    return new Mutation(type, key, properties, "", 0);
  }

  public static Mutation delete(Key key) {
    return new Mutation(Type.DELETE, key, Map.of(), "", 0);
  }

  public static Mutation increment(Key key, String property, long by) {
    return new Mutation(Type.INCREMENT, key, Map.of(), property, by);
  }

  /** The entity an insert, upsert or update stores (properties in their JSON order). */
  public Entity entity() {
    Entity.Builder entity = Entity.newBuilder(key);
    properties.forEach(entity::set);
    return entity.build();
  }

  /** {@code insert User/alice} — how errors name a mutation. */
  public String describe() {
    return type.jsonName()
        + " "
        + Keys.describe(key)
        + (type == Type.INCREMENT ? "." + property : "");
  }
}
