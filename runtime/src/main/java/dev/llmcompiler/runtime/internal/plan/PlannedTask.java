package dev.llmcompiler.runtime.internal.plan;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * One task of a plan, as the {@link PlanParser} read it from its line.
 *
 * <p>A task the parser could not accept (a line it cannot read, an unknown tool, a wrong argument,
 * a bad id or reference) is still emitted, with {@link #error()} set, so nothing the planner wrote
 * is silently dropped: the runtime records it as a failed task the joiner and replanner see.
 *
 * <p>A line the parser accepted only after repairing it (unquoted text, a missing {@code )}, a
 * {@code Step 2:} label, a tool name in backticks) says so in {@link #repairs()}, one note per
 * repair, e.g. {@code read unquoted text as the string "Rosetta"}: repairs are never silent.
 *
 * @param id the task's number in the plan
 * @param tool the tool to call, as written (may be unknown if {@code error} is set)
 * @param arguments named arguments in parameter order; positional arguments are already mapped to
 *     their parameter names
 * @param dependsOn ids of the tasks this task references, ascending
 * @param thought the {@code Thought:} text written before the task, or {@code ""}
 * @param line the plan line the task was read from, without its line break (several lines for a
 *     task whose brackets span lines)
 * @param lineNumber the number of the plan line the task starts on, counting from 1
 * @param error why the task cannot run, or {@code null} if it can
 * @param repairs what the parser repaired to read the line, in the order applied; empty for a line
 *     read as written
 */
public record PlannedTask(
    int id,
    String tool,
    Map<String, PlanValue> arguments,
    Set<Integer> dependsOn,
    String thought,
    String line,
    int lineNumber,
    String error,
    List<String> repairs) {

  /**
   * The id of a task line the parser could not number (no id was written, or the line could not be
   * read far enough): outside the id space, so it never takes an id the planner may still use, and
   * nothing can reference it. Such a task has always failed; its {@link #lineNumber()} says where
   * it was.
   */
  public static final int UNNUMBERED = 0;

  public PlannedTask {
    Objects.requireNonNull(tool, "tool");
    arguments = Collections.unmodifiableMap(new LinkedHashMap<>(arguments));
    dependsOn = Collections.unmodifiableSet(new TreeSet<>(dependsOn));
    Objects.requireNonNull(thought, "thought");
    Objects.requireNonNull(line, "line");
    repairs = List.copyOf(repairs);
  }

  /** A task that can run, its dependencies computed from its arguments' references. */
  public static PlannedTask of(
      int id,
      String tool,
      Map<String, PlanValue> arguments,
      String thought,
      String line,
      int lineNumber) {
    return of(id, tool, arguments, thought, line, lineNumber, List.of());
  }

  /**
   * A task that can run and was read after {@code repairs}, its dependencies computed from its
   * arguments.
   */
  public static PlannedTask of(
      int id,
      String tool,
      Map<String, PlanValue> arguments,
      String thought,
      String line,
      int lineNumber,
      List<String> repairs) {
    Set<Integer> deps = new TreeSet<>();
    arguments.values().forEach(v -> v.collectReferences(deps));
    return new PlannedTask(id, tool, arguments, deps, thought, line, lineNumber, null, repairs);
  }

  /** A task that cannot run, with the reason written for the LLM. */
  public static PlannedTask failed(
      int id, String tool, String thought, String line, int lineNumber, String error) {
    return failed(id, tool, thought, line, lineNumber, error, List.of());
  }

  /**
   * A task that cannot run, with the reason written for the LLM and what was repaired before the
   * reason was found (e.g. the id read from {@code Step 3:}).
   */
  public static PlannedTask failed(
      int id,
      String tool,
      String thought,
      String line,
      int lineNumber,
      String error,
      List<String> repairs) {
    return new PlannedTask(
        id,
        tool,
        Map.of(),
        Set.of(),
        thought,
        line,
        lineNumber,
        Objects.requireNonNull(error, "error"),
        repairs);
  }

  /** This task, failed, as an {@linkplain #UNNUMBERED unnumbered} one. */
  PlannedTask unnumbered() {
    return new PlannedTask(
        UNNUMBERED, tool, Map.of(), Set.of(), thought, line, lineNumber, error, repairs);
  }
}
