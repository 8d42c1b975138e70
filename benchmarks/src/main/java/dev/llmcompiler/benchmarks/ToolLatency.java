package dev.llmcompiler.benchmarks;

import java.time.Duration;
import java.util.SplittableRandom;

/**
 * The seeded latency of a simulated tool call: log-normal around {@code meanMs} (sigma 0.3, cut to
 * [0.4, 2.0] x mean), drawn from the call's tool and key, so the same call always takes the same
 * time in every system. Mean 600 ms by default, like the paper's Wikipedia search.
 */
final class ToolLatency {
  private static final double SIGMA = 0.3;

  private final long seed;
  private final double meanMs;
  private final double timeScale;

  ToolLatency(long seed, double meanMs, double timeScale) {
    if (meanMs < 0 || !(timeScale > 0)) {
      throw new IllegalArgumentException(
          "meanMs must be >= 0 and timeScale > 0, got " + meanMs + ", " + timeScale);
    }
    this.seed = seed;
    this.meanMs = meanMs;
    this.timeScale = timeScale;
  }

  /** The unscaled latency of this call, ms. */
  double millis(String tool, String key) {
    if (meanMs == 0) {
      return 0;
    }
    SplittableRandom random = new SplittableRandom(seed * 31 + (tool + "\u0000" + key).hashCode());
    double gaussian = gaussian(random);
    // exp(sigma*z - sigma^2/2) has mean 1, so the mean stays meanMs before the cut.
    double factor = Math.exp(SIGMA * gaussian - SIGMA * SIGMA / 2);
    return meanMs * Math.max(0.4, Math.min(2.0, factor));
  }

  /** The scaled duration of this call. */
  Duration duration(String tool, String key) {
    return Duration.ofNanos(Math.round(millis(tool, key) * timeScale * 1_000_000));
  }

  void sleep(String tool, String key) {
    Duration duration = duration(tool, key);
    try {
      Thread.sleep(duration.toMillis(), duration.toNanosPart() % 1_000_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while simulating " + tool, e);
    }
  }

  private static double gaussian(SplittableRandom random) {
    // Box-Muller: SplittableRandom has no nextGaussian on JDK 17.
    double u1 = 1 - random.nextDouble();
    double u2 = random.nextDouble();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }
}
