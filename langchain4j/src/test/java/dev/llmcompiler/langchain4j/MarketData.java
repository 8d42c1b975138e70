package dev.llmcompiler.langchain4j;

import dev.llmcompiler.annotations.Tool;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The tests' tools, compiled by the real annotation processor into {@code MarketDataTools}. {@link
 * #quote} waits at a barrier for a second concurrent quote, so a plan whose two quotes did not run
 * in parallel fails instead of passing slowly.
 */
public class MarketData {
  private static final Map<String, Double> CAPS = Map.of("Microsoft", 3100.0, "Apple", 3400.0);
  private final CyclicBarrier quotesTogether;
  private final AtomicInteger quotes = new AtomicInteger();

  /** Quotes wait for each other in pairs. */
  public MarketData() {
    this(2);
  }

  /**
   * @param parties how many quotes must run at once before any returns; 1 for none
   */
  public MarketData(int parties) {
    this.quotesTogether = new CyclicBarrier(parties);
  }

  /**
   * A company's market capitalisation.
   *
   * @param company the company's name
   * @param marketCapBillions its market capitalisation in billions of US dollars
   */
  public record Quote(String company, double marketCapBillions) {}

  /**
   * Looks up a company's market capitalisation in billions of US dollars.
   *
   * @param company the company's name, e.g. Apple
   */
  @Tool
  @SuppressWarnings("llmcompiler") // the barrier's checked exceptions are meant to fail the task
  public Quote quote(String company) throws Exception {
    quotesTogether.await(10, TimeUnit.SECONDS);
    quotes.incrementAndGet();
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

  /** How many quotes have been served. */
  int quotesServed() {
    return quotes.get();
  }
}
