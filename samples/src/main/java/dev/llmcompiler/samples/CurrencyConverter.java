package dev.llmcompiler.samples;

import dev.llmcompiler.annotations.Effect;
import dev.llmcompiler.annotations.Tool;
import dev.llmcompiler.runtime.ToolArgumentException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Converts {@link Money} between currencies at a small fixed rate table, to show tools that take
 * and return records: a plan passes {@code {"amount": $1.value, "currency": "USD"}} in and reads
 * {@code $2.amount} out.
 *
 * <pre>{@code
 * new CurrencyConverter().convert(new Money(100, "USD"), "EUR");  // Money[amount=92.0, currency=EUR]
 * }</pre>
 */
public final class CurrencyConverter {
  /** Units of each currency per US dollar: a fixed demo table, not today's rates. */
  private static final Map<String, BigDecimal> PER_USD =
      Map.of(
          "USD", new BigDecimal("1"),
          "EUR", new BigDecimal("0.92"),
          "GBP", new BigDecimal("0.79"),
          "CHF", new BigDecimal("0.89"),
          "JPY", new BigDecimal("157.0"),
          "CNY", new BigDecimal("7.25"));

  /**
   * Converts money into another currency at a fixed demo rate table (USD, EUR, GBP, CHF, JPY, CNY),
   * rounding to cents.
   *
   * @param amount the money to convert
   * @param to the ISO code of the target currency, e.g. "EUR"
   */
  @Tool(effect = Effect.READ_ONLY)
  public Money convert(Money amount, String to) {
    Objects.requireNonNull(amount, "amount");
    Objects.requireNonNull(to, "to");
    BigDecimal fromRate = rate(amount.currency(), "amount");
    BigDecimal toRate = rate(to, "to");
    BigDecimal converted =
        BigDecimal.valueOf(amount.amount())
            .multiply(toRate)
            .divide(fromRate, 2, RoundingMode.HALF_EVEN);
    return new Money(converted.doubleValue(), to.strip().toUpperCase(Locale.ROOT));
  }

  /** The currencies the table knows, sorted. */
  public static String knownCurrencies() {
    return String.join(", ", new TreeMap<>(PER_USD).keySet());
  }

  private static BigDecimal rate(String currency, String parameter) {
    BigDecimal rate =
        currency == null ? null : PER_USD.get(currency.strip().toUpperCase(Locale.ROOT));
    if (rate == null) {
      throw new ToolArgumentException(
          "convert",
          parameter,
          "Tool 'convert': unknown currency '"
              + currency
              + "' in argument '"
              + parameter
              + "'. Use one of "
              + knownCurrencies()
              + ".");
    }
    return rate;
  }
}
