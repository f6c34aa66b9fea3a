package dev.hotpath.functions.logging;

import java.util.Optional;

/**
 * What the log records of the request being served on this thread carry: its trace and the
 * execution id. Set by the function boundary for the time it serves a request on its thread.
 *
 * <p>Records logged on other threads on behalf of a request — e.g. by the commit threads, which
 * batch the increments of many requests into one write — carry no trace: they belong to no single
 * request.
 */
public final class RequestLogContext {
  private static final ThreadLocal<RequestLogContext> CURRENT = new ThreadLocal<>();

  private final Optional<TraceContext> trace;
  private final Optional<String> executionId;

  public RequestLogContext(Optional<TraceContext> trace, Optional<String> executionId) {
    this.trace = trace;
    this.executionId = executionId;
  }

  /** The context of the request served on this thread, if any. */
  public static Optional<RequestLogContext> current() {
    return Optional.ofNullable(CURRENT.get());
  }

  /** Makes this the current context on this thread until the returned scope is closed. */
  public Scope enter() {
    RequestLogContext previous = CURRENT.get();
    CURRENT.set(this);
    return () -> {
      if (previous == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(previous);
      }
    };
  }

  public Optional<TraceContext> trace() {
    return trace;
  }

  public Optional<String> executionId() {
    return executionId;
  }

  /** Ends a context's time on its thread. */
  @FunctionalInterface
  public interface Scope extends AutoCloseable {
    @Override
    void close();
  }
}
