package dev.hotpath.shared.turn.watchdog;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hotpath.emulators.datastore.DatastoreEmulatorExtension;
import dev.hotpath.emulators.datastore.query.CompositeIndexes;
import dev.hotpath.shared.config.DatastoreConfig;
import dev.hotpath.shared.config.Env;
import dev.hotpath.shared.datastore.DatastoreClients;
import dev.hotpath.shared.retry.RetryPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the policy decides survives the trip through Datastore: the GIVEN_UP episode, the
 * recoveries, the certificate expiry, an incident's cause and detail, and the tick claims.
 */
class DatastoreTurnStoreTest {
  @RegisterExtension
  static final DatastoreEmulatorExtension datastore =
      DatastoreEmulatorExtension.create(b -> b.indexes(CompositeIndexes.ofProject(Map.of())));

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private static DatastoreTurnStore store() {
    DatastoreConfig config =
        DatastoreConfig.from(
            new Env(
                Map.of(
                    "DATASTORE_EMULATOR_HOST",
                    datastore.emulator().host(),
                    "GOOGLE_CLOUD_PROJECT",
                    DatastoreEmulatorExtension.PROJECT)));
    return new DatastoreTurnStore(
        DatastoreClients.create(config),
        new RetryPolicy(Duration.ofMillis(10), Duration.ofMillis(100), Duration.ofSeconds(5)));
  }

  @Test
  void aFlappingTargetsEpisodeIsStoredAndReadBackAsOneGivenUpIncident() {
    DatastoreTurnStore store = store();
    RestartPolicy policy = new RestartPolicy(PolicySettings.of(1, Duration.ZERO, 2));
    Instant at = T0;
    for (int outage = 0; outage < 5; outage++, at = at.plusSeconds(120)) {
      String round = "r" + outage;
      Instant now = at;
      Observation o =
          store.observe(
              "flapper",
              s ->
                  policy.observe(
                      s,
                      new Verdict(
                          Diagnosis.DOWN,
                          "stun-udp failed",
                          Optional.of(T0.plusSeconds(86_400)),
                          false),
                      now,
                      round));
      if (o.action() == Action.RESTARTED) {
        Incident recovered = o.incident().orElseThrow().concluded(null, now.plusSeconds(5));
        store.conclude(
            recovered,
            s -> policy.conclude(s, round, true, now.plusSeconds(5), now.plusSeconds(5)));
      } else {
        store.observe(
            "flapper",
            s ->
                policy.observe(
                    s, Verdict.of(Diagnosis.HEALTHY, "ok"), now.plusSeconds(60), round + "h"));
      }
    }
    TargetState state = store.states(List.of("flapper")).get(0);
    assertEquals(3, state.givenUpIncident());
    assertEquals(2, state.recentRecoveries().size());
    assertEquals(T0.plusSeconds(86_400), state.certificateExpiresAt().orElseThrow());
    List<Incident> incidents = store.recentIncidents(state, 10);
    assertEquals(
        List.of(IncidentOutcome.GIVEN_UP, IncidentOutcome.RECOVERED, IncidentOutcome.RECOVERED),
        incidents.stream().map(Incident::outcome).toList());
    assertEquals(Diagnosis.DOWN, incidents.get(0).cause());
    assertEquals(
        "2 restarts within the last hour, 2 of them brought it back; it is down again, and is not restarted"
            + " until it is seen healthy with the hourly budget free",
        incidents.get(0).detail());
  }

  @Test
  void aTickIsClaimedOnceAnsweredAfterwardsAndSupersededByALaterOne() {
    DatastoreTurnStore store = store();
    Duration lease = Duration.ofMinutes(5);
    assertEquals(TickClaim.Kind.RUN, store.claimTick("job", T0, "t0", T0, lease).kind());
    assertEquals(
        TickClaim.Kind.RUNNING, store.claimTick("job", T0, "t0", T0.plusSeconds(1), lease).kind());
    assertEquals(
        TickClaim.Kind.RUN,
        store.claimTick("job", T0, "t0", T0.plusSeconds(301), lease).kind(),
        "a claim whose round died is taken again after its lease");
    store.recordTick("job", T0, "{\"round\":\"t0\"}");
    TickClaim answered = store.claimTick("job", T0, "t0", T0.plusSeconds(302), lease);
    assertEquals(TickClaim.Kind.ANSWERED, answered.kind());
    assertEquals("{\"round\":\"t0\"}", answered.report().orElseThrow());
    assertEquals(
        TickClaim.Kind.RUN,
        store.claimTick("job", T0.plusSeconds(60), "t1", T0.plusSeconds(303), lease).kind());
    assertEquals(
        TickClaim.Kind.SUPERSEDED,
        store.claimTick("job", T0, "t0", T0.plusSeconds(304), lease).kind());
    store.releaseTick("job", T0.plusSeconds(60));
    assertEquals(
        TickClaim.Kind.RUN,
        store.claimTick("job", T0.plusSeconds(60), "t1", T0.plusSeconds(305), lease).kind(),
        "a released claim runs again at once");
  }
}
