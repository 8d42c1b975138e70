package test;

import dev.llmcompiler.annotations.Param;
import dev.llmcompiler.annotations.Tool;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Tools covering every row of the type table. */
@SuppressWarnings("llmcompiler")
public class TypeTable {
  public enum Color { RED, GREEN }

  /**
   * Money.
   *
   * @param amount how much
   * @param currency ISO code
   */
  public record Money(BigDecimal amount, String currency) {}

  /**
   * An order line.
   *
   * @param sku the article
   * @param quantity how many
   */
  public record Line(String sku, int quantity) {}

  /**
   * An order.
   *
   * @param id order id
   * @param total what it costs
   * @param lines what is ordered
   * @param note a remark
   */
  public record Order(String id, Money total, List<Line> lines, @Nullable String note) {}

  /**
   * A tree node.
   *
   * @param label its label
   * @param children its subtrees
   */
  public record Node(String label, List<Node> children) {}

  /** Echoes text. */
  @Tool
  public String strings(String s, char c, CharSequence cs) {
    return s + c + cs;
  }

  /** Adds integers. */
  @Tool
  public long numbers(byte b, short sh, int i, long l, Integer boxed) {
    return b + sh + i + l + boxed;
  }

  /** Adds real numbers. */
  @Tool
  public double reals(float f, double d, Double boxed) {
    return f + d + boxed;
  }

  /** Adds big numbers. */
  @Tool
  public BigDecimal bigs(BigDecimal decimal, BigInteger integer) {
    return decimal.add(new BigDecimal(integer));
  }

  /** Ands flags. */
  @Tool
  public boolean flags(boolean a, Boolean b) {
    return a && b;
  }

  /** Names the other color. */
  @Tool
  public Color swap(Color color) {
    return color == Color.RED ? Color.GREEN : Color.RED;
  }

  /** Echoes an order. */
  @Tool
  public Order order(Order order) {
    return order;
  }

  /** Counts the nodes of a tree. */
  @Tool
  public int tree(Node root) {
    int count = 1;
    for (Node child : root.children()) {
      count += tree(child);
    }
    return count;
  }

  /** Summarizes collections. */
  @Tool
  public List<String> collections(List<String> list, Set<Integer> set, Collection<Color> colors, int[] array, Money[] monies) {
    return List.of(list.toString(), String.valueOf(set.size()), colors.toString(), String.valueOf(array.length),
        String.valueOf(monies.length));
  }

  /** Rounds prices. */
  @Tool
  public Map<String, Long> prices(Map<String, Double> prices) {
    Map<String, Long> rounded = new java.util.TreeMap<>();
    prices.forEach((k, v) -> rounded.put(k, Math.round(v)));
    return rounded;
  }

  /** Describes optional values. */
  @Tool
  public Optional<String> optionals(Optional<String> text, OptionalInt count, OptionalLong big, OptionalDouble ratio,
      @Nullable String note, @test.typeuse.Nullable String typeUse, Optional<Money> money) {
    if (text.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(text.get() + "/" + count + "/" + big + "/" + ratio + "/" + note + "/" + typeUse + "/"
        + money.map(Money::currency).orElse("none"));
  }

  /** Shifts times. */
  @Tool
  public String times(LocalDate date, LocalTime time, LocalDateTime local, Instant instant, OffsetDateTime offset,
      ZonedDateTime zoned, Duration duration, UUID id) {
    return date.plusDays(1) + " " + time + " " + local + " " + instant.plus(duration) + " " + offset + " "
        + zoned.toOffsetDateTime() + " " + id;
  }

  /** Fetches asynchronously. */
  @Tool
  public CompletableFuture<String> fetch(@Param(description = "what to fetch") String key) {
    return CompletableFuture.supplyAsync(() -> "value of " + key);
  }

  /** Fires an event asynchronously. */
  @Tool
  public CompletionStage<Void> fire(String event) {
    return CompletableFuture.completedFuture(null);
  }

  /** Records a message. */
  @Tool(name = "log-message")
  public void log(String message) {
    if (message.isEmpty()) {
      throw new IllegalArgumentException("empty message");
    }
  }

  /** The time of day. */
  @Tool
  public static String now() {
    return "noon";
  }
}
