package dev.hotpath.shared.validation;

/**
 * The kinds hotpath stores its own bookkeeping in. They share a prefix that the Write API refuses
 * as a user kind, so no caller can read or overwrite them.
 */
public final class InternalKinds {
  public static final String PREFIX = "Hotpath";
  public static final String COUNTER = "HotpathCounter";
  public static final String COUNTER_SHARD = "HotpathCounterShard";
  public static final String GROUP = "HotpathGroup";
  public static final String GROUP_SHARD = "HotpathGroupShard";

  /** Short-lived entities that check what the backend honours (BaseVersionSupport). */
  public static final String PROBE = "HotpathProbe";

  public static boolean isInternal(String kind) {
    return kind.startsWith(PREFIX);
  }

  private InternalKinds() {}
}
