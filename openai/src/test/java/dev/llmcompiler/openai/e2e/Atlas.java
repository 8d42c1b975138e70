package dev.llmcompiler.openai.e2e;

import dev.llmcompiler.annotations.Tool;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Tools of the JSON plan end-to-end test, compiled by the real annotation processor into {@code
 * AtlasTools}. Each population lookup counts {@code looked} down, so the scripted server can hold
 * back the rest of the plan until the lookups have run: they must run while the plan streams.
 */
public class Atlas {
  private static final Map<String, Long> POPULATIONS = Map.of("Lyon", 522_000L, "Nice", 342_000L);
  private final CountDownLatch looked;

  public Atlas(CountDownLatch looked) {
    this.looked = looked;
  }

  /**
   * The population of a city.
   *
   * @param city the city's name, e.g. Lyon
   */
  @Tool
  public long population(String city) {
    Long population = POPULATIONS.get(city);
    if (population == null) {
      throw new IllegalArgumentException("no population known for " + city);
    }
    looked.countDown();
    return population;
  }

  /**
   * How many times larger one number is than another.
   *
   * @param numerator the larger number
   * @param denominator the smaller number, not zero
   */
  @Tool
  public double ratio(double numerator, double denominator) {
    return numerator / denominator;
  }
}
