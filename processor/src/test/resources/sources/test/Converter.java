package test;

import dev.llmcompiler.annotations.Param;
import dev.llmcompiler.annotations.Tool;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

public class Converter {
  /** An ISO 4217 currency. */
  public enum Currency { EUR, USD, JPY }

  /**
   * An amount of money.
   *
   * @param amount the amount, in units of the currency
   * @param currency its currency
   */
  public record Money(double amount, Currency currency) {}

  /**
   * Converts money into another currency at today's rate.
   *
   * @param money what to convert
   * @param to the target currency
   */
  @Tool
  public Money convert(Money money, Currency to) {
    return new Money(money.amount() * 2, to);
  }

  /**
   * Sums amounts.
   *
   * @param label a {@code name} for the sum,
   *     shown in reports
   */
  @Tool(name = "sum")
  public double total(@Param(description = "the amounts to add") List<Double> amounts, Optional<String> label) {
    return amounts.stream().mapToDouble(Double::doubleValue).sum();
  }

  /** Looks up a rate without blocking. */
  @Tool
  public CompletableFuture<Double> rate(@Param(description = "source") Currency from, @Param(description = "target") Currency to) {
    return CompletableFuture.completedFuture(1.5);
  }
}
