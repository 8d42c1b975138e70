package dev.llmcompiler.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LatencyModelTest {
  private final LatencyModel exact = new LatencyModel(300, 0.1, 10, 0, 1.0);

  @Test
  void firstTokenIsTtftPlusPrefillPerPromptToken() {
    assertThat(exact.firstTokenMs(0)).isEqualTo(300);
    assertThat(exact.firstTokenMs(1000)).isCloseTo(400, within(1e-9));
    assertThat(exact.firstTokenDelay(1000, new SplittableRandom(1)))
        .isEqualTo(Duration.ofMillis(400));
  }

  @Test
  void aCallIsTheFirstTokenPlusDecodingTheRest() {
    assertThat(exact.expectedCallMs(500, 51)).isCloseTo(300 + 50 + 50 * 10, within(1e-9));
    assertThat(exact.decodeDelay(3, new SplittableRandom(1))).isEqualTo(Duration.ofMillis(30));
  }

  @Test
  void timeScaleMultipliesEveryDelay() {
    LatencyModel tenth = exact.withTimeScale(0.1);
    assertThat(tenth.firstTokenDelay(1000, new SplittableRandom(1)))
        .isEqualTo(Duration.ofMillis(40));
    assertThat(tenth.decodeDelay(5, new SplittableRandom(1))).isEqualTo(Duration.ofMillis(5));
  }

  @Test
  void jitterStaysInItsBandAveragesToOneAndIsReproducible() {
    LatencyModel model = LatencyModel.GPT_35_TURBO;
    SplittableRandom random = new SplittableRandom(42);
    double sum = 0;
    int n = 20_000;
    for (int i = 0; i < n; i++) {
      double f = model.factor(random);
      assertThat(f).isBetween(0.9, 1.1);
      sum += f;
    }
    assertThat(sum / n).isCloseTo(1.0, within(0.01));
    assertThat(model.decodeDelay(10, new SplittableRandom(7)))
        .isEqualTo(model.decodeDelay(10, new SplittableRandom(7)));
  }

  @Test
  void defaultsAreTheDocumentedGpt35Figures() {
    LatencyModel model = LatencyModel.GPT_35_TURBO;
    assertThat(model.ttftMs()).isEqualTo(350);
    assertThat(model.prefillMsPerToken()).isEqualTo(0.05);
    assertThat(model.decodeMsPerToken()).isEqualTo(12);
    assertThat(model.jitter()).isEqualTo(0.10);
    assertThat(model.timeScale()).isEqualTo(1.0);
  }

  @Test
  void nonsenseSettingsAreRejectedWithTheValue() {
    assertThatThrownBy(() -> new LatencyModel(-1, 0, 0, 0, 1))
        .hasMessageContaining("must not be negative");
    assertThatThrownBy(() -> new LatencyModel(1, 0, 0, 1.5, 1))
        .hasMessageContaining("jitter must be in [0, 1), got 1.5");
    assertThatThrownBy(() -> new LatencyModel(1, 0, 0, 0, 0))
        .hasMessageContaining("timeScale must be positive");
  }
}
