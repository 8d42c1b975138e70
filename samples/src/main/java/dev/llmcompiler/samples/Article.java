package dev.llmcompiler.samples;

/**
 * What {@link Encyclopedia#search} found: one entry with its headline figure, or a miss.
 *
 * @param found whether an entry matched the query
 * @param title the entry's title, or the query when nothing matched
 * @param summary a few sentences about the subject; for a miss, what to try instead
 * @param value the entry's headline figure (a market cap, a year, a depth…), absent for a miss
 * @param unit what {@code value} measures and in which unit, e.g. "market cap, billion USD"
 */
public record Article(
    boolean found, String title, String summary, @Nullable Double value, @Nullable String unit) {}
