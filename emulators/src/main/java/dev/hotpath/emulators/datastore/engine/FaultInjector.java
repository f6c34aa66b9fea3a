package dev.hotpath.emulators.datastore.engine;

import com.google.rpc.Code;
import dev.hotpath.emulators.EmulatorException;
import java.util.Random;

/** Draws the injected fault, if any, for each call from the seeded sequence of {@link Faults}. */
final class FaultInjector {
  static final String UNAVAILABLE_MESSAGE = "injected fault: the service is currently unavailable";
  static final String DEADLINE_MESSAGE = "injected fault: deadline exceeded";

  enum Fault {
    NONE,
    UNAVAILABLE,
    DEADLINE_EXCEEDED,
    LOST_RESPONSE
  }

  private record Setting(Faults faults, Random random) {}

  private volatile Setting setting;

  FaultInjector(Faults faults) {
    set(faults);
  }

  /** Installs {@code faults} and restarts their random sequence from its seed. */
  void set(Faults faults) {
    setting = new Setting(faults, new Random(faults.seed()));
  }

  /**
   * The fault for one call; {@code canLoseResponse} is true only for calls that change data, for
   * which a lost response differs from a failure.
   */
  Fault draw(boolean canLoseResponse) {
    Setting s = setting;
    if (!s.faults().any()) {
      return Fault.NONE;
    }
    double r = s.random().nextDouble();
    if ((r -= s.faults().unavailable()) < 0) {
      return Fault.UNAVAILABLE;
    }
    if ((r -= s.faults().deadlineExceeded()) < 0) {
      return Fault.DEADLINE_EXCEEDED;
    }
    if (canLoseResponse && r - s.faults().lostResponse() < 0) {
      return Fault.LOST_RESPONSE;
    }
    return Fault.NONE;
  }

  static EmulatorException error(Fault fault) {
    return fault == Fault.UNAVAILABLE
        ? new EmulatorException(Code.UNAVAILABLE, UNAVAILABLE_MESSAGE)
        : new EmulatorException(Code.DEADLINE_EXCEEDED, DEADLINE_MESSAGE);
  }
}
