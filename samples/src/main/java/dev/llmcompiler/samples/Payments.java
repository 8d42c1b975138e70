package dev.llmcompiler.samples;

import dev.llmcompiler.annotations.Effect;
import dev.llmcompiler.annotations.Tool;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A pretend payment service, to show a tool that changes data: every call of {@link #pay} books a
 * payment. It declares {@link Effect#MUTATING}, so in one run the same payment is never booked
 * twice (a replan that repeats it gets the first receipt), and an approver, if the compiler has
 * one, is asked before it runs.
 *
 * <pre>{@code
 * new Payments().pay(new Money(230, "EUR"), "Hotel du Louvre");  // Receipt[id=P-0001, ...]
 * }</pre>
 */
public final class Payments {
  /**
   * What a payment booked.
   *
   * @param id the receipt number, e.g. "P-0001"
   * @param paid the money paid
   * @param payee who was paid
   */
  public record Receipt(String id, Money paid, String payee) {}

  private final List<Receipt> booked = new ArrayList<>();

  /**
   * Pays money to a payee and returns the receipt. This moves money: call it only when the question
   * asks for a payment.
   *
   * @param amount the money to pay, in the currency the payee wants
   * @param payee whom to pay, e.g. "Hotel du Louvre"
   */
  @Tool(effect = Effect.MUTATING)
  public synchronized Receipt pay(Money amount, String payee) {
    Objects.requireNonNull(amount, "amount");
    Objects.requireNonNull(payee, "payee");
    if (!(amount.amount() > 0)) {
      throw new IllegalArgumentException(
          "A payment must be more than zero, got " + amount.amount() + ".");
    }
    Receipt receipt =
        new Receipt(
            String.format(Locale.ROOT, "P-%04d", booked.size() + 1),
            new Money(amount.amount(), amount.currency().strip().toUpperCase(Locale.ROOT)),
            payee.strip());
    booked.add(receipt);
    return receipt;
  }

  /** The payments booked so far, oldest first. */
  public synchronized List<Receipt> payments() {
    return List.copyOf(booked);
  }
}
