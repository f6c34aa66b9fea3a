package dev.hotpath.functions.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class TraceContextTest {
  private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

  @Test
  void traceparentGivesTraceSpanAndSampledFlag() {
    assertEquals(
        Optional.of(new TraceContext(TRACE, "00f067aa0ba902b7", true)),
        TraceContext.fromHeaders("00-" + TRACE + "-00f067aa0ba902b7-01", null));
    assertEquals(
        Optional.of(new TraceContext(TRACE, "00f067aa0ba902b7", false)),
        TraceContext.fromHeaders(" 00-" + TRACE + "-00f067aa0ba902b7-00 ", null));
  }

  @Test
  void aLaterTraceparentVersionMayCarryMoreFields() {
    assertEquals(
        Optional.of(new TraceContext(TRACE, "00f067aa0ba902b7", true)),
        TraceContext.fromHeaders("01-" + TRACE + "-00f067aa0ba902b7-01-more", null));
  }

  @Test
  void cloudTraceContextWhenTraceparentIsAbsentWithItsDecimalSpanInHex() {
    assertEquals(
        Optional.of(new TraceContext(TRACE, "000000000000007b", true)),
        TraceContext.fromHeaders(null, TRACE.toUpperCase() + "/123;o=1"));
    assertEquals(
        Optional.of(new TraceContext(TRACE, "ffffffffffffffff", false)),
        TraceContext.fromHeaders(null, TRACE + "/18446744073709551615;o=0"));
    assertEquals(
        Optional.of(new TraceContext(TRACE, "", false)), TraceContext.fromHeaders(null, TRACE));
  }

  @Test
  void traceparentWinsOverCloudTraceContext() {
    String other = "0af7651916cd43dd8448eb211c80319c";
    assertEquals(
        TRACE,
        TraceContext.fromHeaders("00-" + TRACE + "-00f067aa0ba902b7-01", other + "/1;o=1")
            .orElseThrow()
            .traceId());
  }

  @Test
  void aMalformedTraceparentFallsBackToCloudTraceContext() {
    assertEquals(
        TRACE, TraceContext.fromHeaders("garbage", TRACE + "/1;o=1").orElseThrow().traceId());
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(
      strings = {
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",
        "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
        "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
        "00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902bz-01",
      })
  void aMalformedTraceparentIsIgnored(String header) {
    assertEquals(Optional.empty(), TraceContext.fromHeaders(header, null));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "abc/1;o=1",
        "00000000000000000000000000000000/1;o=1",
        "4bf92f3577b34da6a3ce929d0e0e4736/18446744073709551616;o=1",
        "4bf92f3577b34da6a3ce929d0e0e4736/-1;o=1",
        "4bf92f3577b34da6a3ce929d0e0e4736/1;o=x",
      })
  void aMalformedCloudTraceContextIsIgnored(String header) {
    assertEquals(Optional.empty(), TraceContext.fromHeaders(null, header));
  }

  @Test
  void resourceNameIsTheProjectsTrace() {
    assertEquals(
        "projects/p-1/traces/" + TRACE, new TraceContext(TRACE, "", false).resourceName("p-1"));
  }
}
