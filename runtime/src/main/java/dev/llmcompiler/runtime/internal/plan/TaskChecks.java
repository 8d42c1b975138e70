package dev.llmcompiler.runtime.internal.plan;

import dev.llmcompiler.runtime.ToolDescriptor;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * What every plan reader checks of a task before it may run, whatever the plan's format: its id
 * (new, increasing, not below the plan's first id), its tool, its references and its arguments,
 * with the same words for the same mistake. Keeps the ids emitted so far.
 */
final class TaskChecks {
  private final Map<String, ToolDescriptor> tools;
  private final int firstId;
  private final Set<Integer> earlierIds;
  private final Set<Integer> emittedIds = new HashSet<>();
  private int lastId;

  TaskChecks(Map<String, ToolDescriptor> tools, int firstId, Set<Integer> earlierIds) {
    if (firstId < 1) {
      throw new IllegalArgumentException("firstId must be at least 1, but was " + firstId);
    }
    this.tools = new LinkedHashMap<>(Objects.requireNonNull(tools, "tools"));
    this.firstId = firstId;
    this.earlierIds = Set.copyOf(Objects.requireNonNull(earlierIds, "earlierIds"));
    this.lastId = firstId - 1;
  }

  /** The highest id emitted so far, or one less than the first id. */
  int lastId() {
    return lastId;
  }

  /** The tool of that name, or {@code null}. */
  ToolDescriptor tool(String name) {
    return tools.get(name);
  }

  /** Records an emitted task: its id is taken, and references may name it unless its id was bad. */
  void emitted(PlannedTask task) {
    if (task.error() == null || idProblem(task.id()) == null) {
      emittedIds.add(task.id());
    }
    lastId = Math.max(lastId, task.id());
  }

  /** Whether a task with id {@code taskId} may reference task {@code referenced}. */
  boolean isTarget(int referenced, int taskId) {
    return (referenced < taskId && emittedIds.contains(referenced))
        || earlierIds.contains(referenced);
  }

  /**
   * Checks a call whose syntax was read: the id, the tool, the references, then the arguments.
   *
   * @param idProblem why the id cannot be used as written, or {@code null} to check it here
   * @return the task, or a failed one saying the first problem found
   */
  PlannedTask check(
      int id,
      String idProblem,
      String toolName,
      List<TaskLineParser.Argument> arguments,
      List<TaskLineParser.BadReference> badReferences,
      String thought,
      String line,
      int lineNumber,
      List<String> repairs) {
    String problem = idProblem != null ? idProblem : idProblem(id);
    if (problem != null) {
      return PlannedTask.failed(id, toolName, thought, line, lineNumber, problem + ".", repairs);
    }
    ToolDescriptor tool = tools.get(toolName);
    if (tool == null) {
      return PlannedTask.failed(
          id, toolName, thought, line, lineNumber, unknownTool(toolName), repairs);
    }
    if (!badReferences.isEmpty()) {
      return PlannedTask.failed(
          id, toolName, thought, line, lineNumber, badReference(badReferences.get(0), id), repairs);
    }
    ArgumentBinder.Bound bound = ArgumentBinder.bind(tool, arguments);
    if (bound.error() != null) {
      return PlannedTask.failed(id, toolName, thought, line, lineNumber, bound.error(), repairs);
    }
    return PlannedTask.of(id, toolName, bound.arguments(), thought, line, lineNumber, repairs);
  }

  /**
   * Checks the arguments of a join: none is a plain join; one string (positional, or named {@code
   * answer}) whose references all name tasks read so far is a direct answer; anything else is a
   * direct answer with the problem, so the joiner can be told why it was not used.
   *
   * @param badReferences the references of the arguments that name no task read so far
   * @return the direct answer, or {@code null} for a plain join (also {@code join("")})
   */
  DirectAnswer directAnswer(
      List<TaskLineParser.Argument> arguments,
      List<TaskLineParser.BadReference> badReferences,
      String line) {
    if (arguments.isEmpty()) {
      return null;
    }
    String form = "; write the answer as one string, join(\"...\"), with ${N} for a result";
    if (arguments.size() > 1) {
      return DirectAnswer.unusable(
          "join has "
              + arguments.size()
              + " arguments, but a direct answer is one string"
              + form
              + ".",
          line);
    }
    TaskLineParser.Argument argument = arguments.get(0);
    if (argument.name() != null && !argument.name().equals("answer")) {
      return DirectAnswer.unusable(
          "join has no parameter '" + argument.name() + "'" + form + ".", line);
    }
    PlanValue value = argument.value();
    if (value instanceof PlanValue.Literal literal && literal.value().isTextual()) {
      return literal.value().asText().isBlank() ? null : DirectAnswer.of(value, line);
    }
    if (!(value instanceof PlanValue.Template)) {
      return DirectAnswer.unusable(
          "the answer in join is "
              + value.toPlanText()
              + ", not a string"
              + form
              + (value instanceof PlanValue.Reference reference
                  ? ", e.g. join(\""
                      + (reference.path().isEmpty()
                          ? "${" + reference.taskId() + "}"
                          : reference.toPlanText())
                      + "\")"
                  : "")
              + ".",
          line);
    }
    if (!badReferences.isEmpty()) {
      TaskLineParser.BadReference bad = badReferences.get(0);
      String where = bad.written() + (bad.column() > 0 ? " at column " + bad.column() : "");
      Set<Integer> available = available(Integer.MAX_VALUE);
      return DirectAnswer.unusable(
          "the answer in join references "
              + where
              + ", but "
              + (available.isEmpty()
                  ? "no task with a result exists"
                  : (available.size() == 1 ? "only task " : "only tasks ")
                      + ranges(available)
                      + (available.size() == 1 ? " exists" : " exist"))
              + "; an answer can only use results of tasks listed before the join.",
          line);
    }
    return DirectAnswer.of(value, line);
  }

  /**
   * The ids a task with id {@code taskId} may reference: earlier rounds' results and smaller ids
   * read so far.
   */
  private Set<Integer> available(int taskId) {
    Set<Integer> available = new TreeSet<>(earlierIds);
    for (int id : emittedIds) {
      if (id < taskId) {
        available.add(id);
      }
    }
    return available;
  }

  /** Why {@code id} cannot be this task's id, or {@code null} if it can. */
  String idProblem(int id) {
    if (id < firstId) {
      return firstId == 1
          ? "task ids start at 1; number the tasks 1, 2, 3, ..."
          : "the id "
              + id
              + " is below "
              + firstId
              + ", the first id of this plan: earlier rounds used ids up to "
              + (firstId - 1)
              + ", so number this plan's tasks from "
              + firstId
              + " on";
    }
    if (emittedIds.contains(id)) {
      return "the id " + id + " is used twice; give each task a new id, larger than " + lastId;
    }
    if (id <= lastId) {
      return "the id "
          + id
          + " comes after task "
          + lastId
          + "; ids must increase from line to line, so use "
          + (lastId + 1);
    }
    return null;
  }

  String unknownTool(String name) {
    List<String> names = new ArrayList<>(tools.keySet());
    if (names.isEmpty()) {
      return "unknown tool '"
          + name
          + "'; no tools are available, so the question must be answered without them.";
    }
    String closest = NameSuggestions.closest(name, names);
    return "unknown tool '"
        + name
        + "'"
        + (closest == null ? "; available" : "; did you mean '" + closest + "'? Available")
        + " tools: "
        + String.join(", ", names)
        + ".";
  }

  String badReference(TaskLineParser.BadReference reference, int taskId) {
    Set<Integer> available = available(taskId);
    String where =
        "references "
            + reference.written()
            + (reference.column() > 0 ? " at column " + reference.column() : "");
    String fix = "; a task can only use results of tasks listed before it.";
    if (reference.taskId() < firstId && reference.taskId() >= 1) {
      return where
          + ", a task of an earlier round that has no result; use only results that exist ("
          + (available.isEmpty() ? "none" : "tasks " + ranges(available))
          + ") or run the task again in this plan.";
    }
    if (available.isEmpty()) {
      return where + ", but no task exists before it" + fix;
    }
    return where
        + ", but only "
        + (available.size() == 1 ? "task " : "tasks ")
        + ranges(available)
        + (available.size() == 1 ? " exists" : " exist")
        + " so far"
        + fix;
  }

  /** "1-3, 5, 7-9" for sorted ids. */
  private static String ranges(Set<Integer> sorted) {
    StringBuilder text = new StringBuilder();
    int from = -1;
    int to = -1;
    for (int id : sorted) {
      if (from >= 0 && id == to + 1) {
        to = id;
        continue;
      }
      appendRange(text, from, to);
      from = id;
      to = id;
    }
    appendRange(text, from, to);
    return text.toString();
  }

  private static void appendRange(StringBuilder text, int from, int to) {
    if (from < 0) {
      return;
    }
    if (text.length() > 0) {
      text.append(", ");
    }
    text.append(from);
    if (to > from) {
      text.append('-').append(to);
    }
  }
}
