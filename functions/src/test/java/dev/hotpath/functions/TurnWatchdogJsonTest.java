package dev.hotpath.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.google.gson.JsonObject;
import dev.hotpath.shared.turn.watchdog.RoundReport;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A tick's answer: one round keeps its plain shape; several add every round under "rounds". */
class TurnWatchdogJsonTest {
  private static final Instant TICK = Instant.parse("2026-12-01T10:00:00Z");

  @Test
  void oneRoundIsAnsweredAsBefore() {
    JsonObject one = TurnWatchdogJson.rounds(List.of(new RoundReport("tick-a", TICK, List.of())));
    assertEquals("tick-a", one.get("round").getAsString());
    assertFalse(one.has("rounds"));
  }

  @Test
  void severalRoundsAnswerTheLastOneWithEveryRoundInOrder() {
    JsonObject three =
        TurnWatchdogJson.rounds(
            List.of(
                new RoundReport("tick-a-1", TICK, List.of()),
                new RoundReport("tick-a-2", TICK.plusSeconds(20), List.of()),
                new RoundReport("tick-a-3", TICK.plusSeconds(40), List.of())));
    assertEquals("tick-a-3", three.get("round").getAsString());
    assertEquals(TICK.plusSeconds(40).toString(), three.get("startedAt").getAsString());
    assertEquals(3, three.getAsJsonArray("rounds").size());
    assertEquals(
        "tick-a-2",
        three.getAsJsonArray("rounds").get(1).getAsJsonObject().get("round").getAsString());
  }
}
