package dev.llmcompiler.mcp;

import dev.llmcompiler.annotations.Tool;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Tools with every kind of parameter the processor writes schemas for, compiled into {@code
 * ShapesTools}: the signatures {@link McpToolSet} derives from their schemas must read like the
 * processor's own.
 */
public class Shapes {
  /** A unit of length. */
  public enum Unit {
    M,
    KM
  }

  /**
   * A labelled point.
   *
   * @param x across
   * @param y up
   * @param label its name, if it has one
   */
  public record Point(double x, double y, @Nullable String label) {}

  /**
   * A linked list, recursive.
   *
   * @param value this link's value
   * @param next the rest, if any
   */
  public record Node(int value, @Nullable Node next) {}

  /**
   * What {@link #summarize} found.
   *
   * @param count how many points were kept
   * @param points the points kept
   * @param tally counts by name
   * @param day when they were taken
   * @param unit their unit
   */
  public record Summary(
      int count, List<Point> points, Map<String, Integer> tally, LocalDate day, Unit unit) {}

  /**
   * Summarises points.
   *
   * @param points the points
   * @param unit their unit
   * @param day when they were taken
   * @param tags labels to count, all if not given
   * @param limit the most points to keep
   * @param chain a chain of values
   */
  @Tool
  public Summary summarize(
      List<Point> points,
      Unit unit,
      LocalDate day,
      @Nullable List<String> tags,
      Optional<Integer> limit,
      Node chain) {
    int keep = Math.min(points.size(), limit.orElse(points.size()));
    return new Summary(keep, points.subList(0, keep), Map.of("points", keep), day, unit);
  }

  /**
   * Adds up counts.
   *
   * @param counts the counts by name
   */
  @Tool
  @SuppressWarnings("llmcompiler") // a map parameter on purpose: the tool that is not strict
  public int total(Map<String, Integer> counts) {
    return counts.values().stream().mapToInt(Integer::intValue).sum();
  }
}
