package dev.hotpath.local.stack;

import java.util.List;
import java.util.Map;

/**
 * One piece of the local stack that {@code up} starts: an emulator, a function, a scheduler. Parts
 * start in order; each may add variables to the environment that later parts (the functions) are
 * given, e.g. the emulator's {@code DATASTORE_EMULATOR_HOST}.
 */
public interface StackPart extends AutoCloseable {

  /** Starts the part. {@code env} holds what earlier parts exported; add what later ones need. */
  void start(Map<String, String> env) throws Exception;

  /** Lines printed once everything runs: where the part listens, how to try it. */
  List<String> banner();

  /** Stops the part; called in reverse start order. */
  @Override
  void close() throws Exception;
}
