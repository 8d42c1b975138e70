package test;

import dev.llmcompiler.annotations.Effect;
import dev.llmcompiler.annotations.Tool;
import java.util.List;

/** Exchange-rate arithmetic as pure functions: its tools are static, so its tool set needs no instance. */
public final class Rates {
  private Rates() {}

  /**
   * The rate from one currency to another.
   *
   * @param from the source currency, an ISO 4217 code
   * @param to the target currency, an ISO 4217 code
   */
  @Tool(name = "get-rate", effect = Effect.READ_ONLY)
  public static double rate(String from, String to) {
    return from.equals(to) ? 1.0 : 1.25;
  }

  /**
   * A percentage of an amount.
   *
   * @param percent how many percent
   * @param target the amount
   */
  @Tool(name = "percent_of", effect = Effect.READ_ONLY)
  public static double percentOf(int percent, double target) {
    return target * percent / 100;
  }

  /**
   * Checks that a rate is positive, or fails naming the sources that reported it.
   *
   * @param result the rate
   * @param args where it was seen
   */
  @Tool
  public static void check(double result, List<String> args) {
    if (result <= 0) {
      throw new IllegalArgumentException("rate " + result + " from " + args + " is not positive");
    }
  }
}
