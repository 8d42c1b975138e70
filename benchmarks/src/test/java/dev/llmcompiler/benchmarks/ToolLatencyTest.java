package dev.llmcompiler.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ToolLatencyTest {

  @Test
  void theSameCallTakesTheSameTimeAndOtherCallsDiffer() {
    ToolLatency latency = new ToolLatency(42, 600, 1.0);
    assertThat(latency.millis("search", "x"))
        .isEqualTo(new ToolLatency(42, 600, 1.0).millis("search", "x"));
    assertThat(latency.millis("search", "x")).isNotEqualTo(latency.millis("search", "y"));
    assertThat(latency.millis("search", "x"))
        .isNotEqualTo(new ToolLatency(43, 600, 1.0).millis("search", "x"));
  }

  @Test
  void meanIsAbout600MsAndEveryCallIsWithinTheCut() {
    ToolLatency latency = new ToolLatency(42, 600, 1.0);
    double sum = 0;
    int n = 20_000;
    for (int i = 0; i < n; i++) {
      double ms = latency.millis("search", "query " + i);
      assertThat(ms).isBetween(240.0, 1200.0);
      sum += ms;
    }
    assertThat(sum / n).isCloseTo(600, within(20.0));
  }

  @Test
  void timeScaleShortensTheSleepButNotTheModel() {
    ToolLatency tenth = new ToolLatency(42, 600, 0.1);
    double ms = tenth.millis("math", "p");
    assertThat(tenth.duration("math", "p").toNanos())
        .isCloseTo(Math.round(ms * 0.1 * 1e6), within(1L));
    assertThat(new ToolLatency(42, 0, 1.0).duration("math", "p")).isEqualTo(Duration.ZERO);
  }
}
