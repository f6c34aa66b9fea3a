package dev.hotpath.shared.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class DeltasTest {

  @Test
  void acceptsEveryDeltaUpToTheBoundEitherWay() {
    assertEquals(-Deltas.MAX, Deltas.check("delta", -Deltas.MAX));
    assertEquals(Deltas.MAX, Deltas.check("delta", Deltas.MAX));
    assertEquals(0, Deltas.check("delta", 0));
    assertEquals(Deltas.MAX, Deltas.check("delta", BigDecimal.valueOf(Deltas.MAX)));
    assertEquals(-7, Deltas.check("delta", new BigDecimal("-7")));
  }

  @Test
  void refusesBeyondTheBoundNamingTheFieldInOneMessage() {
    assertEquals(
        "delta must be from -1000000000 to 1000000000, got 1000000001",
        assertThrows(InvalidInputException.class, () -> Deltas.check("delta", Deltas.MAX + 1))
            .getMessage());
    assertEquals(
        "mutations[0].increment.by must be from -1000000000 to 1000000000,"
            + " got -99999999999999999999999",
        assertThrows(
                InvalidInputException.class,
                () ->
                    Deltas.check(
                        "mutations[0].increment.by", new BigDecimal("-99999999999999999999999")))
            .getMessage());
  }
}
