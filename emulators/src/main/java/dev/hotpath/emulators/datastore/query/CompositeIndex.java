package dev.hotpath.emulators.datastore.query;

import java.util.List;

/**
 * A composite index as {@code index.yaml} declares one: a kind, whether it includes ancestors, and
 * its properties in order with their directions.
 */
public record CompositeIndex(String kind, boolean ancestor, List<Property> properties) {

  public CompositeIndex {
    properties = List.copyOf(properties);
  }

  /** One indexed property and its direction. */
  public record Property(String name, boolean descending) {}
}
