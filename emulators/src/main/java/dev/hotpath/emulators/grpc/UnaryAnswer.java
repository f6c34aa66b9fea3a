package dev.hotpath.emulators.grpc;

import dev.hotpath.emulators.EmulatorException;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Answers one unary gRPC call of an emulator edge: the engine's result, or its {@link
 * EmulatorException} as the gRPC status of the same code, or — for anything else, a bug — {@code
 * INTERNAL}, logged. Shared by the gRPC edges, which only translate.
 */
public final class UnaryAnswer {
  private static final Logger LOG = Logger.getLogger(UnaryAnswer.class.getName());

  public static <T> void answer(StreamObserver<T> response, Supplier<T> call) {
    T result;
    try {
      result = call.get();
    } catch (EmulatorException e) {
      response.onError(
          Status.fromCodeValue(e.code().getNumber())
              .withDescription(e.getMessage())
              .asRuntimeException());
      return;
    } catch (RuntimeException e) {
      LOG.log(Level.SEVERE, "emulator bug in a gRPC call", e);
      response.onError(
          Status.INTERNAL.withDescription("internal error: " + e).asRuntimeException());
      return;
    }
    response.onNext(result);
    response.onCompleted();
  }

  private UnaryAnswer() {}
}
