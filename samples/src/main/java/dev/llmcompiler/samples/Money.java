package dev.llmcompiler.samples;

/**
 * An amount of money in a currency, as {@link CurrencyConverter#convert} takes and returns it.
 *
 * @param amount the amount, in units of the currency
 * @param currency the ISO 4217 code, e.g. "USD"
 */
public record Money(double amount, String currency) {}
