package dev.llmcompiler.openai.e2e;

import dev.llmcompiler.annotations.Param;
import dev.llmcompiler.annotations.Tool;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;

/**
 * Tools of the end-to-end test, compiled by the real annotation processor into {@code
 * MarketDataTools}. {@link #quote} waits at a barrier for a second concurrent quote, so a plan
 * whose two quotes did not run in parallel fails instead of passing slowly.
 */
public class MarketData {
  private static final Map<String, Double> CAPS = Map.of("Microsoft", 3100.0, "Apple", 3400.0);
  private final CyclicBarrier quotesTogether = new CyclicBarrier(2);

  /** A company's market capitalisation. */
  public record Quote(String company, double marketCapBillions) {}

  /**
   * Looks up a company's market capitalisation in billions of US dollars.
   *
   * @param company the company's name, e.g. Apple
   */
  @Tool
  public Quote quote(String company) throws Exception {
    quotesTogether.await(10, TimeUnit.SECONDS);
    Thread.sleep(200);
    Double cap = CAPS.get(company);
    if (cap == null) {
      throw new IllegalArgumentException("no market data for " + company);
    }
    return new Quote(company, cap);
  }

  /**
   * Subtracts one number from another.
   *
   * @param minuend the number to subtract from
   * @param subtrahend the number to subtract
   */
  @Tool
  public double subtract(double minuend, double subtrahend) {
    return minuend - subtrahend;
  }

  /**
   * What percentage {@code part} is of {@code whole}.
   *
   * @param part the part
   * @param whole the whole
   */
  @Tool(name = "percent_of")
  public double percentOf(double part, @Param(description = "the whole, not zero") double whole) {
    return 100 * part / whole;
  }
}
