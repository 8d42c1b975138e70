package dev.llmcompiler.runtime.internal.plan;

import java.util.Collections;
import java.util.LinkedHashMap;
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
 */
public record PlannedTask(
    int id,
    String tool,
    Map<String, PlanValue> arguments,
    Set<Integer> dependsOn,
    String thought,
    String line,
    int lineNumber,
    String error) {

  public PlannedTask {
    Objects.requireNonNull(tool, "tool");
    arguments = Collections.unmodifiableMap(new LinkedHashMap<>(arguments));
    dependsOn = Collections.unmodifiableSet(new TreeSet<>(dependsOn));
    Objects.requireNonNull(thought, "thought");
    Objects.requireNonNull(line, "line");
  }

  /** A task that can run, its dependencies computed from its arguments' references. */
  public static PlannedTask of(
      int id, String tool, Map<String, PlanValue> arguments, String thought, String line, int lineNumber) {
    Set<Integer> deps = new TreeSet<>();
    arguments.values().forEach(v -> v.collectReferences(deps));
    return new PlannedTask(id, tool, arguments, deps, thought, line, lineNumber, null);
  }

  /** A task that cannot run, with the reason written for the LLM. */
  public static PlannedTask failed(int id, String tool, String thought, String line, int lineNumber, String error) {
    return new PlannedTask(
        id, tool, Map.of(), Set.of(), thought, line, lineNumber, Objects.requireNonNull(error, "error"));
  }
}
