package dev.llmcompiler.samples;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmcompiler.annotations.Effect;
import dev.llmcompiler.annotations.Tool;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * A small offline encyclopedia: a few dozen entries (companies and their market caps, magazines,
 * films, people, ocean trenches, mountains, countries) bundled as a resource, each with one
 * headline figure. Every lookup takes a simulated latency, as a web search would, so the demo shows
 * searches running side by side.
 *
 * <pre>{@code
 * Encyclopedia encyclopedia = new Encyclopedia(Duration.ofMillis(400));
 * Article apple = encyclopedia.search("Apple market cap").join();
 * // apple.value() == 3400.0, apple.unit() == "market cap, billion USD"
 * }</pre>
 */
public final class Encyclopedia {
  private static final String RESOURCE = "encyclopedia.json";

  /** Words that say what is asked, not about what: they never pick an entry on their own. */
  private static final Set<String> STOP_WORDS =
      Set.of(
          "a",
          "an",
          "the",
          "of",
          "for",
          "in",
          "on",
          "and",
          "or",
          "is",
          "was",
          "what",
          "which",
          "who",
          "how",
          "much",
          "many",
          "its",
          "their",
          "market",
          "cap",
          "capitalization",
          "value",
          "valuation",
          "depth",
          "deep",
          "height",
          "high",
          "year",
          "founded",
          "started",
          "first",
          "published",
          "released",
          "release",
          "born",
          "population",
          "film",
          "movie",
          "magazine",
          "company",
          "trench",
          "mount");

  private final List<Entry> entries;
  private final Duration latency;

  /** One entry of the bundled resource. */
  record Entry(String title, List<String> aliases, String summary, double value, String unit) {
    Entry {
      Objects.requireNonNull(title, "title");
      aliases = aliases == null ? List.of() : List.copyOf(aliases);
    }
  }

  /** An encyclopedia whose every lookup takes {@code latency} (zero for none). */
  public Encyclopedia(Duration latency) {
    Objects.requireNonNull(latency, "latency");
    if (latency.isNegative()) {
      throw new IllegalArgumentException("latency must not be negative, got " + latency);
    }
    this.latency = latency;
    this.entries = load();
  }

  /**
   * Looks up the encyclopedia entry that best matches a query, e.g. "Apple market cap" or "Mariana
   * Trench depth". The result's `value` is the entry's headline figure (a market cap, a year, a
   * depth…) and `unit` says what it measures; use them in math. When no entry matches, `found` is
   * false and the summary lists what the encyclopedia has.
   *
   * @param query the subject to look up, in a few words
   */
  @Tool(effect = Effect.READ_ONLY)
  public CompletableFuture<Article> search(String query) {
    Objects.requireNonNull(query, "query");
    if (latency.isZero()) {
      return CompletableFuture.completedFuture(lookup(query));
    }
    // A delayed completion instead of a sleeping thread: many searches can wait at once for free.
    Executor delayed = CompletableFuture.delayedExecutor(latency.toNanos(), TimeUnit.NANOSECONDS);
    return CompletableFuture.supplyAsync(() -> lookup(query), delayed);
  }

  /** The titles of all entries, in the resource's order. */
  public List<String> titles() {
    return entries.stream().map(Entry::title).toList();
  }

  /** The lookup itself, without latency. */
  Article lookup(String query) {
    Set<String> words = words(query);
    Entry best = null;
    int bestScore = 0;
    for (Entry entry : entries) {
      int score = score(entry, words);
      if (score > bestScore) {
        best = entry;
        bestScore = score;
      }
    }
    if (best == null) {
      return new Article(
          false,
          query.strip(),
          "No entry matches '"
              + query.strip()
              + "'. The encyclopedia has entries on: "
              + String.join(", ", titles())
              + ".",
          null,
          null);
    }
    return new Article(true, best.title(), best.summary(), best.value(), best.unit());
  }

  /**
   * Three points per query word in the title or an alias, one per word in the summary; an entry
   * needs at least one title or alias word, so a query about an unknown subject finds nothing
   * rather than the entry that happens to share "market cap".
   */
  private static int score(Entry entry, Set<String> query) {
    Set<String> names = words(entry.title());
    entry.aliases().forEach(alias -> names.addAll(words(alias)));
    int nameHits = 0;
    for (String word : query) {
      if (names.contains(word) && !STOP_WORDS.contains(word)) {
        nameHits++;
      }
    }
    if (nameHits == 0) {
      return 0;
    }
    Set<String> summary = words(entry.summary());
    int summaryHits = 0;
    for (String word : query) {
      if (summary.contains(word)) {
        summaryHits++;
      }
    }
    return 3 * nameHits + summaryHits;
  }

  /**
   * Lower-case words, possessives and punctuation removed: "Arthur's Magazine" → [arthur,
   * magazine].
   */
  static Set<String> words(String text) {
    String normalized =
        text.toLowerCase(Locale.ROOT)
            .replaceAll("['’]s\\b", "")
            .replaceAll("[^\\p{L}\\p{N}]+", " ");
    Set<String> words = new LinkedHashSet<>();
    for (String word : normalized.strip().split(" ")) {
      if (!word.isEmpty()) {
        words.add(word);
      }
    }
    return words;
  }

  private static List<Entry> load() {
    try (InputStream in = Encyclopedia.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(
            "The resource "
                + RESOURCE
                + " is missing next to "
                + Encyclopedia.class.getName()
                + "; rebuild the samples module.");
      }
      return new ArrayList<>(new ObjectMapper().readValue(in, new TypeReference<List<Entry>>() {}));
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read the encyclopedia resource " + RESOURCE, e);
    }
  }
}
