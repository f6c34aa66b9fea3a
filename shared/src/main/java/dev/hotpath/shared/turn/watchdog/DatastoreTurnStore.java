package dev.hotpath.shared.turn.watchdog;

import com.google.cloud.Timestamp;
import com.google.cloud.datastore.Datastore;
import com.google.cloud.datastore.DatastoreException;
import com.google.cloud.datastore.Entity;
import com.google.cloud.datastore.FullEntity;
import com.google.cloud.datastore.Key;
import com.google.cloud.datastore.KeyFactory;
import com.google.cloud.datastore.ListValue;
import com.google.cloud.datastore.PathElement;
import com.google.cloud.datastore.StringValue;
import com.google.cloud.datastore.TimestampValue;
import com.google.cloud.datastore.Transaction;
import com.google.cloud.datastore.Value;
import dev.hotpath.shared.datastore.Transactions;
import dev.hotpath.shared.retry.RetryPolicy;
import dev.hotpath.shared.turn.ssh.RestartResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * The watchdog's state in Datastore: one {@code TurnTargetState} entity per target (key name = the
 * target's name) and its incidents as child {@code TurnIncident} entities numbered 1, 2, … so the
 * recent ones are read by key, without a query or an index.
 */
public final class DatastoreTurnStore {
  static final String STATE_KIND = "TurnTargetState";
  static final String INCIDENT_KIND = "TurnIncident";

  /** One entity per scheduler job: its latest tick and that tick's report. */
  static final String TICK_KIND = "TurnSchedulerTick";

  /**
   * Where the commit may have been refused or lost: re-running the whole transaction is the cure.
   */
  private static final Set<String> RETRYABLE =
      Set.of("ABORTED", "UNAVAILABLE", "DEADLINE_EXCEEDED");

  private final Datastore datastore;
  private final RetryPolicy retry;
  private final KeyFactory stateKeys;
  private final KeyFactory tickKeys;

  /**
   * @param datastore a client without RPC-level retries ({@code DatastoreClients}): this store
   *     re-runs whole transactions itself, which a silently re-sent commit would defeat
   * @param retry backoff and time budget for re-running a transaction
   */
  public DatastoreTurnStore(Datastore datastore, RetryPolicy retry) {
    this.datastore = datastore;
    this.retry = retry;
    this.stateKeys = datastore.newKeyFactory().setKind(STATE_KIND);
    this.tickKeys = datastore.newKeyFactory().setKind(TICK_KIND);
  }

  /**
   * Claims {@code scheduleTime} of {@code job} for one round, in a transaction, so concurrent
   * deliveries of one tick agree on who runs it. A claim whose round did not record its report
   * within {@code lease} (its instance died) may be taken again.
   */
  public TickClaim claimTick(
      String job, Instant scheduleTime, String roundId, Instant now, Duration lease) {
    return inTransaction(
        tx -> {
          Key key = tickKeys.newKey(job);
          Entity stored = tx.get(key);
          if (stored != null) {
            Instant storedTime = instant(stored, "scheduleTime");
            if (storedTime.isAfter(scheduleTime)) {
              return new TickClaim(TickClaim.Kind.SUPERSEDED, roundId, Optional.empty());
            }
            if (storedTime.equals(scheduleTime)) {
              if (stored.contains("report")) {
                return new TickClaim(
                    TickClaim.Kind.ANSWERED, roundId, Optional.of(stored.getString("report")));
              }
              if (instant(stored, "claimUntil").isAfter(now)) {
                return new TickClaim(TickClaim.Kind.RUNNING, roundId, Optional.empty());
              }
            }
          }
          tx.put(
              Entity.newBuilder(key)
                  .set("scheduleTime", timestamp(scheduleTime))
                  .set("claimUntil", timestamp(now.plus(lease)))
                  .build());
          return new TickClaim(TickClaim.Kind.RUN, roundId, Optional.empty());
        });
  }

  /**
   * Gives up the claim on {@code scheduleTime} (its round failed itself), so a retry of the tick
   * runs again.
   */
  public void releaseTick(String job, Instant scheduleTime) {
    inTransaction(
        tx -> {
          Key key = tickKeys.newKey(job);
          Entity stored = tx.get(key);
          if (stored != null
              && instant(stored, "scheduleTime").equals(scheduleTime)
              && !stored.contains("report")) {
            tx.put(Entity.newBuilder(stored).set("claimUntil", timestamp(Instant.EPOCH)).build());
          }
          return null;
        });
  }

  /**
   * Stores the report of the round that ran {@code scheduleTime}, unless a later tick replaced the
   * record.
   */
  public void recordTick(String job, Instant scheduleTime, String report) {
    inTransaction(
        tx -> {
          Key key = tickKeys.newKey(job);
          Entity stored = tx.get(key);
          if (stored != null && instant(stored, "scheduleTime").equals(scheduleTime)) {
            tx.put(Entity.newBuilder(stored).set("report", unindexed(report)).build());
          }
          return null;
        });
  }

  /**
   * Reads the target's state, applies {@code decide}, and writes the new state and any incident it
   * opens, all in one transaction: of two concurrent rounds, the second re-runs {@code decide} (the
   * client retries ABORTED commits) and sees the first one's restart lease.
   */
  public Observation observe(String target, Function<TargetState, Observation> decide) {
    return inTransaction(
        tx -> {
          Observation o = decide.apply(read(tx, target));
          tx.put(toEntity(o.after()));
          o.incident().ifPresent(i -> tx.put(toEntity(i)));
          return o;
        });
  }

  /** Records the end of a restart: the concluded incident and the state {@code update} makes. */
  public TargetState conclude(Incident incident, UnaryOperator<TargetState> update) {
    return inTransaction(
        tx -> {
          TargetState after = update.apply(read(tx, incident.target()));
          tx.put(toEntity(after), toEntity(incident));
          return after;
        });
  }

  /**
   * Runs {@code work} in a fresh transaction per try, re-running it (reads included) when the
   * commit is refused for contention or fails transiently, within the retry budget. The watchdog's
   * transactions are idempotent per round, so a commit that did apply may safely run again.
   */
  private <T> T inTransaction(Function<Transaction, T> work) {
    long deadline = System.nanoTime() + retry.budget().toNanos();
    for (int retries = 0; ; retries++) {
      Transaction tx = datastore.newTransaction();
      try {
        T result = work.apply(tx);
        tx.commit();
        return result;
      } catch (DatastoreException e) {
        Transactions.rollbackIfActive(tx); // a refused commit may already have ended it
        Duration pause = retry.backoff(retries + 1, ThreadLocalRandom.current());
        if (!retryable(e) || System.nanoTime() + pause.toNanos() > deadline) {
          throw e;
        }
        sleep(pause);
      }
    }
  }

  private static boolean retryable(DatastoreException e) {
    return RETRYABLE.contains(e.getReason())
        || RETRYABLE.contains(DatastoreException.extractStatusCode(e));
  }

  private static void sleep(Duration pause) {
    try {
      Thread.sleep(pause.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DatastoreException(
          0, "interrupted while backing off a transaction retry", "CANCELLED");
    }
  }

  /**
   * The stored state of each target, in order; never-seen targets as {@link TargetState#initial}.
   */
  public List<TargetState> states(List<String> targets) {
    List<Key> keys = targets.stream().map(stateKeys::newKey).toList();
    Map<Key, Entity> found =
        datastore.fetch(keys.toArray(Key[]::new)).stream()
            .filter(e -> e != null)
            .collect(Collectors.toMap(Entity::getKey, e -> e));
    List<TargetState> states = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      Entity e = found.get(keys.get(i));
      states.add(e == null ? TargetState.initial(targets.get(i)) : toState(e));
    }
    return states;
  }

  /** The latest {@code count} incidents of a target, newest first. */
  public List<Incident> recentIncidents(TargetState state, int count) {
    List<Key> keys = new ArrayList<>();
    for (long n = state.incidentCount(); n > 0 && keys.size() < count; n--) {
      keys.add(incidentKey(state.target(), n));
    }
    if (keys.isEmpty()) {
      return List.of();
    }
    return datastore.fetch(keys.toArray(Key[]::new)).stream()
        .filter(e -> e != null)
        .map(DatastoreTurnStore::toIncident)
        .toList();
  }

  private TargetState read(Transaction tx, String target) {
    Entity e = tx.get(stateKeys.newKey(target));
    return e == null ? TargetState.initial(target) : toState(e);
  }

  private Key incidentKey(String target, long number) {
    return Key.newBuilder(datastore.getOptions().getProjectId(), INCIDENT_KIND, number)
        .setNamespace(datastore.getOptions().getNamespace())
        .addAncestor(PathElement.of(STATE_KIND, target))
        .build();
  }

  private FullEntity<Key> toEntity(TargetState s) {
    Entity.Builder b =
        Entity.newBuilder(stateKeys.newKey(s.target()))
            .set("status", s.status().name())
            .set("consecutiveDown", s.consecutiveDown())
            .set("incidentCount", s.incidentCount())
            .set("lastProbes", unindexed(s.lastProbes()));
    s.downSince().ifPresent(t -> b.set("downSince", timestamp(t)));
    s.lastCheckedAt().ifPresent(t -> b.set("lastCheckedAt", timestamp(t)));
    s.lastHealthyAt().ifPresent(t -> b.set("lastHealthyAt", timestamp(t)));
    s.lastRestartAt().ifPresent(t -> b.set("lastRestartAt", timestamp(t)));
    s.leaseHolder().ifPresent(h -> b.set("leaseHolder", h));
    s.leaseUntil().ifPresent(t -> b.set("leaseUntil", timestamp(t)));
    s.lastRound().ifPresent(r -> b.set("lastRound", r));
    s.certificateExpiresAt().ifPresent(t -> b.set("certificateExpiresAt", timestamp(t)));
    if (s.givenUpIncident() > 0) {
      b.set("givenUpIncident", s.givenUpIncident());
    }
    if (!s.recentRecoveries().isEmpty()) {
      b.set("recentRecoveries", timestamps(s.recentRecoveries()));
    }
    if (!s.recentRestarts().isEmpty()) {
      b.set("recentRestarts", timestamps(s.recentRestarts()));
    }
    return b.build();
  }

  private static ListValue timestamps(List<Instant> instants) {
    List<Value<?>> times = new ArrayList<>();
    instants.forEach(t -> times.add(TimestampValue.of(timestamp(t))));
    return ListValue.of(times);
  }

  private static List<Instant> instants(Entity e, String property) {
    List<Instant> times = new ArrayList<>();
    if (e.contains(property)) {
      for (Value<?> v : e.<Value<?>>getList(property)) {
        times.add(instant((Timestamp) v.get()));
      }
    }
    return times;
  }

  private static TargetState toState(Entity e) {
    TargetState.Builder b =
        TargetState.builder(e.getKey().getName())
            .status(TargetStatus.valueOf(e.getString("status")))
            .consecutiveDown((int) e.getLong("consecutiveDown"))
            .incidentCount(e.getLong("incidentCount"))
            .lastProbes(e.getString("lastProbes"))
            .downSince(instant(e, "downSince"))
            .lastCheckedAt(instant(e, "lastCheckedAt"))
            .lastHealthyAt(instant(e, "lastHealthyAt"))
            .lastRestartAt(instant(e, "lastRestartAt"))
            .lease(
                e.contains("leaseHolder") ? e.getString("leaseHolder") : null,
                instant(e, "leaseUntil"))
            .lastRound(e.contains("lastRound") ? e.getString("lastRound") : null)
            .certificateExpiresAt(instant(e, "certificateExpiresAt"))
            .givenUpIncident(e.contains("givenUpIncident") ? e.getLong("givenUpIncident") : 0)
            .recentRestarts(instants(e, "recentRestarts"))
            .recentRecoveries(instants(e, "recentRecoveries"));
    return b.build();
  }

  private FullEntity<Key> toEntity(Incident i) {
    Entity.Builder b =
        Entity.newBuilder(incidentKey(i.target(), i.number()))
            .set("target", i.target())
            .set("outcome", i.outcome().name())
            .set("cause", i.cause().name())
            .set("detail", unindexed(i.detail()))
            .set("detectedAt", timestamp(i.detectedAt()));
    i.restartedAt().ifPresent(t -> b.set("restartedAt", timestamp(t)));
    i.recoveredAt().ifPresent(t -> b.set("recoveredAt", timestamp(t)));
    i.downtime().ifPresent(d -> b.set("downtimeMs", d.toMillis()));
    i.restart()
        .ifPresent(
            r -> {
              b.set("restartStatus", r.status().name())
                  .set("restartDetail", unindexed(r.detail()))
                  .set("restartOutput", unindexed(r.output()))
                  .set("restartMs", r.elapsed().toMillis());
              r.exitStatus().ifPresent(x -> b.set("exitStatus", x));
            });
    return b.build();
  }

  private static Incident toIncident(Entity e) {
    RestartResult restart = null;
    if (e.contains("restartStatus")) {
      restart =
          new RestartResult(
              RestartResult.Status.valueOf(e.getString("restartStatus")),
              e.contains("exitStatus") ? (int) e.getLong("exitStatus") : null,
              e.getString("restartOutput"),
              e.getString("restartDetail"),
              Duration.ofMillis(e.getLong("restartMs")));
    }
    // Incidents stored before diagnoses existed were all outages.
    Diagnosis cause =
        e.contains("cause") ? Diagnosis.valueOf(e.getString("cause")) : Diagnosis.DOWN;
    return Incident.of(
        e.getString("target"),
        e.getKey().getId(),
        instant(e, "detectedAt"),
        cause,
        instant(e, "restartedAt"),
        IncidentOutcome.valueOf(e.getString("outcome")),
        restart,
        instant(e, "recoveredAt"),
        e.contains("detail") ? e.getString("detail") : "");
  }

  private static StringValue unindexed(String text) {
    return StringValue.newBuilder(text).setExcludeFromIndexes(true).build();
  }

  private static Timestamp timestamp(Instant t) {
    return Timestamp.ofTimeSecondsAndNanos(t.getEpochSecond(), t.getNano());
  }

  private static Instant instant(Entity e, String property) {
    return e.contains(property) ? instant(e.getTimestamp(property)) : null;
  }

  private static Instant instant(Timestamp t) {
    return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
  }
}
