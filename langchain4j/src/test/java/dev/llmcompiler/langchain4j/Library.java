package dev.llmcompiler.langchain4j;

import dev.llmcompiler.annotations.Tool;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Tools whose parameters use every shape the schema conversion must carry: nested records, lists,
 * enums, optional values, dates (a {@code format}), maps and a recursive record.
 */
public class Library {

  /** A book's genre. */
  public enum Genre {
    FICTION,
    SCIENCE,
    HISTORY
  }

  /**
   * A writer.
   *
   * @param name the full name
   * @param born the year of birth, if known
   */
  public record Author(String name, Optional<Integer> born) {}

  /**
   * A shelf, which may hold smaller shelves.
   *
   * @param label what is written on it
   * @param children the shelves inside it
   */
  public record Shelf(String label, List<Shelf> children) {}

  /**
   * Finds books.
   *
   * @param query words to look for
   * @param genre only this genre, if given
   * @param authors only books by these writers
   * @param since only books published on or after this day
   * @param limit the most results to return
   */
  @Tool
  public List<String> find(
      String query, Optional<Genre> genre, List<Author> authors, LocalDate since, int limit) {
    return List.of(
        query
            + " ("
            + genre.map(Genre::name).orElse("any")
            + ", "
            + authors.size()
            + " authors, since "
            + since
            + ", up to "
            + limit
            + ")");
  }

  /**
   * Counts the labels on a shelf and the shelves inside it.
   *
   * @param shelf the outermost shelf
   * @param weights how much each label counts, by label
   */
  @Tool
  @SuppressWarnings("llmcompiler") // a map on purpose: the conversion must keep its value schema
  public int count(Shelf shelf, Map<String, Integer> weights) {
    int own = weights.getOrDefault(shelf.label(), 1);
    return own + shelf.children().stream().mapToInt(child -> count(child, weights)).sum();
  }
}
