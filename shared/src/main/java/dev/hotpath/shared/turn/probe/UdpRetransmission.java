package dev.hotpath.shared.turn.probe;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The STUN-over-UDP retransmission schedule of RFC 5389 §7.2.1: the request is sent at 0, RTO,
 * 3·RTO, 7·RTO, … (the interval doubling each time) up to Rc sends, and the client then waits
 * Rm·RTO after the last send before giving up. Defaults RTO 500 ms, Rc 7, Rm 16 (39.5 s in all);
 * the caller's timeout cuts the schedule short.
 */
public final class UdpRetransmission {
  private static final int RFC_MAX_SENDS = 7;
  private static final int RFC_FINAL_WAIT_MULTIPLIER = 16;

  public static final UdpRetransmission RFC_5389 = rfc5389(Duration.ofMillis(500));

  private final Duration initialRto;
  private final int maxSends;
  private final int finalWaitMultiplier;

  public UdpRetransmission(Duration initialRto, int maxSends, int finalWaitMultiplier) {
    if (initialRto.isZero() || initialRto.isNegative() || maxSends < 1 || finalWaitMultiplier < 1) {
      throw new IllegalArgumentException("RTO must be > 0, Rc and Rm >= 1");
    }
    this.initialRto = initialRto;
    this.maxSends = maxSends;
    this.finalWaitMultiplier = finalWaitMultiplier;
  }

  /** RFC 5389's schedule (Rc 7, Rm 16) with another initial RTO, e.g. shorter on a LAN. */
  public static UdpRetransmission rfc5389(Duration initialRto) {
    return new UdpRetransmission(initialRto, RFC_MAX_SENDS, RFC_FINAL_WAIT_MULTIPLIER);
  }

  /** The offsets from the first send at which the request is (re)sent. */
  public List<Duration> sendOffsets() {
    List<Duration> offsets = new ArrayList<>();
    Duration at = Duration.ZERO;
    Duration interval = initialRto;
    for (int i = 0; i < maxSends; i++) {
      offsets.add(at);
      at = at.plus(interval);
      interval = interval.multipliedBy(2);
    }
    return offsets;
  }

  /** When the transaction fails without an answer, counted from the first send. */
  public Duration giveUpAfter() {
    List<Duration> offsets = sendOffsets();
    return offsets.get(offsets.size() - 1).plus(initialRto.multipliedBy(finalWaitMultiplier));
  }
}
