package dev.hotpath.shared.counters;

import dev.hotpath.shared.validation.Names;

/**
 * A counter's name, checked against {@link Names}' rule when made. {@link CounterService} takes
 * only these, so a name is checked once per request: the Write API makes one from the URL before it
 * reads the body, and a bad name is named first.
 */
public record CounterName(String value) {
  public CounterName {
    Names.check("counter name", value);
  }

  @Override
  public String toString() {
    return value;
  }
}
