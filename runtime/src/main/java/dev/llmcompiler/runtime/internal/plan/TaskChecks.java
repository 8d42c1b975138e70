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

  /**
   * The referenceable ids as ranges, for messages: earlier rounds' (all below {@link #firstId}),
   * then this plan's, appended as they are emitted (valid ids only increase). Kept so that a
   * message costs the same however many tasks came before, and a plan of bad references stays
   * linear.
   */
  private final List<int[]> earlierRanges;

  private final List<int[]> emittedRanges = new ArrayList<>();
  private int lastId;

  TaskChecks(Map<String, ToolDescriptor> tools, int firstId, Set<Integer> earlierIds) {
    if (firstId < 1) {
      throw new IllegalArgumentException("firstId must be at least 1, but was " + firstId);
    }
    this.tools = new LinkedHashMap<>(Objects.requireNonNull(tools, "tools"));
    this.firstId = firstId;
    this.earlierIds = Set.copyOf(Objects.requireNonNull(earlierIds, "earlierIds"));
    this.earlierRanges = new ArrayList<>();
    new TreeSet<>(this.earlierIds).forEach(id -> addRange(earlierRanges, id));
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
      addRange(emittedRanges, task.id());
      lastId = Math.max(lastId, task.id());
    }
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
      Available available = available(Integer.MAX_VALUE);
      return DirectAnswer.unusable(
          "the answer in join references "
              + where
              + ", but "
              + (available.isEmpty()
                  ? "no task with a result exists"
                  : (available.single() ? "only task " : "only tasks ")
                      + available.text()
                      + (available.single() ? " exists" : " exist"))
              + "; an answer can only use results of tasks listed before the join.",
          line);
    }
    return DirectAnswer.of(value, line);
  }

  /**
   * The ids a task with id {@code taskId} may reference, as ascending ranges: earlier rounds'
   * results and smaller ids read so far. Only the ranges a message shows are copied, so this costs
   * the same however many tasks came before.
   */
  private Available available(int taskId) {
    // Emitted ranges ascend: find how many lie (partly) below taskId.
    int low = 0;
    int high = emittedRanges.size();
    while (low < high) {
      int mid = (low + high) >>> 1;
      if (emittedRanges.get(mid)[0] < taskId) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    int emitted = low;
    int total = earlierRanges.size() + emitted;
    List<int[]> shown = new ArrayList<>();
    for (int i = 0; i < total; i++) {
      if (total > 2 * SHOWN_RANGES && i == SHOWN_RANGES) {
        shown.add(null); // stands for the ranges left out
        i = total - SHOWN_RANGES - 1;
        continue;
      }
      boolean earlier = i < earlierRanges.size();
      int[] range = earlier ? earlierRanges.get(i) : emittedRanges.get(i - earlierRanges.size());
      // Only this plan's last range can run past taskId; earlier rounds' results are all available.
      int[] cut = !earlier && range[1] >= taskId ? new int[] {range[0], taskId - 1} : range;
      int[] previous = shown.isEmpty() ? null : shown.get(shown.size() - 1);
      if (previous != null && previous[1] + 1 == cut[0]) {
        // Earlier rounds' last id and this plan's first can meet: one range, as the ids read.
        shown.set(shown.size() - 1, new int[] {previous[0], cut[1]});
      } else {
        shown.add(cut);
      }
    }
    return new Available(shown);
  }

  /** How far ahead of the last id a task's id may jump (plans number their tasks in order). */
  static final int MAX_ID_JUMP = 1000;

  /** How many ranges a message shows at each end of a long list of ids. */
  private static final int SHOWN_RANGES = 4;

  /** Referenceable ids for a message: ranges in order, {@code null} where some were left out. */
  private record Available(List<int[]> ranges) {
    boolean isEmpty() {
      return ranges.isEmpty();
    }

    boolean single() {
      return ranges.size() == 1 && ranges.get(0)[0] == ranges.get(0)[1];
    }

    /** "1-3, 5, 7-9", with "..." where ranges were left out. */
    String text() {
      StringBuilder text = new StringBuilder();
      for (int[] range : ranges) {
        if (text.length() > 0) {
          text.append(", ");
        }
        if (range == null) {
          text.append("...");
        } else {
          text.append(range[0]);
          if (range[1] > range[0]) {
            text.append('-').append(range[1]);
          }
        }
      }
      return text.toString();
    }
  }

  /**
   * Adds {@code id}, larger than every id in {@code ranges}, extending the last range if it can.
   */
  private static void addRange(List<int[]> ranges, int id) {
    int[] last = ranges.isEmpty() ? null : ranges.get(ranges.size() - 1);
    if (last != null && id == last[1] + 1) {
      last[1] = id;
    } else if (last == null || id > last[1]) {
      ranges.add(new int[] {id, id});
    }
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
    if (id - (long) lastId > MAX_ID_JUMP) {
      // Also keeps a replan's first id where the planner can still write it.
      return "the id "
          + id
          + " jumps far ahead of task "
          + lastId
          + "; number the tasks in order, so use "
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
    Available available = available(taskId);
    String where =
        "references "
            + reference.written()
            + (reference.column() > 0 ? " at column " + reference.column() : "");
    String fix = "; a task can only use results of tasks listed before it.";
    if (reference.taskId() < firstId && reference.taskId() >= 1) {
      return where
          + ", a task of an earlier round that has no result; use only results that exist ("
          + (available.isEmpty() ? "none" : "tasks " + available.text())
          + ") or run the task again in this plan.";
    }
    if (available.isEmpty()) {
      return where + ", but no task exists before it" + fix;
    }
    return where
        + ", but only "
        + (available.single() ? "task " : "tasks ")
        + available.text()
        + (available.single() ? " exists" : " exist")
        + " so far"
        + fix;
  }
}
