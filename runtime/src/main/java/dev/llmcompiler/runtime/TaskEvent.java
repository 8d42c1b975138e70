package dev.llmcompiler.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmcompiler.runtime.internal.Json;
import dev.llmcompiler.runtime.internal.plan.PlanValue;
import dev.llmcompiler.runtime.internal.plan.PlannedTask;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A task of a plan at the moment a {@link RunListener} hears of it: when its line was read ({@link
 * RunListener#onTaskParsed}) and when its tool is called ({@link RunListener#onTaskDispatched}).
 * Immutable.
 *
 * <pre>{@code
 * @Override public void onTaskDispatched(TaskEvent task) {
 *   System.out.println("line " + task.lineNumber() + ": " + task.id() + ". " + task.tool() + " " + task.arguments());
 * }
 * }</pre>
 *
 * <p>{@link #arguments()} depends on the moment: at dispatch they are the arguments the tool
 * receives, every reference replaced by the referenced result; when the line is read they are the
 * arguments as the plan wrote them, each reference still its plan text ({@code "$1"}, {@code
 * "${2.price}"}, or inside a string {@code "total: ${1}"}), and {@link #dependsOn()} says which
 * tasks they reference.
 */
public final class TaskEvent {
  private final long atMs;
  private final int round;
  private final int id;
  private final String tool;
  private final JsonNode arguments;
  private final List<Integer> dependsOn;
  private final String line;
  private final int lineNumber;
  private final String thought;
  private final String error;
  private final List<String> repairs;
  private final int reusedFrom;

  TaskEvent(
      long atMs,
      int round,
      int id,
      String tool,
      JsonNode arguments,
      List<Integer> dependsOn,
      String line,
      int lineNumber,
      String thought,
      String error,
      List<String> repairs) {
    this(atMs, round, id, tool, arguments, dependsOn, line, lineNumber, thought, error, repairs, 0);
  }

  private TaskEvent(
      long atMs,
      int round,
      int id,
      String tool,
      JsonNode arguments,
      List<Integer> dependsOn,
      String line,
      int lineNumber,
      String thought,
      String error,
      List<String> repairs,
      int reusedFrom) {
    this.atMs = atMs;
    this.round = round;
    this.id = id;
    this.tool = Objects.requireNonNull(tool, "tool");
    // A copy: the tool receives the original and may change it while a listener reads this one.
    this.arguments = arguments.deepCopy();
    this.dependsOn = List.copyOf(dependsOn);
    this.line = Objects.requireNonNull(line, "line");
    this.lineNumber = lineNumber;
    this.thought = Objects.requireNonNull(thought, "thought");
    this.error = error;
    this.repairs = List.copyOf(repairs);
    this.reusedFrom = reusedFrom;
  }

  /** The event of a task the parser has just read: its arguments as written. */
  static TaskEvent parsed(long atMs, int round, PlannedTask task) {
    return of(atMs, round, task, asWritten(task.arguments()));
  }

  /** The event of a task whose tool is about to be called with {@code resolved}. */
  static TaskEvent dispatched(long atMs, int round, PlannedTask task, ObjectNode resolved) {
    return of(atMs, round, task, resolved);
  }

  /**
   * The event of a task whose call, with {@code resolved}, repeats the call of task {@code
   * reusedFrom}: it shares that call's outcome instead of calling the tool.
   */
  static TaskEvent reused(
      long atMs, int round, PlannedTask task, ObjectNode resolved, int reusedFrom) {
    return new TaskEvent(
        atMs,
        round,
        task.id(),
        task.tool(),
        resolved,
        List.copyOf(task.dependsOn()),
        task.line(),
        task.lineNumber(),
        task.thought(),
        task.error(),
        task.repairs(),
        reusedFrom);
  }

  private static TaskEvent of(long atMs, int round, PlannedTask task, JsonNode arguments) {
    return new TaskEvent(
        atMs,
        round,
        task.id(),
        task.tool(),
        arguments,
        List.copyOf(task.dependsOn()),
        task.line(),
        task.lineNumber(),
        task.thought(),
        task.error(),
        task.repairs());
  }

  /** Parsed arguments as a JSON object, with each reference as its plan text. */
  static ObjectNode asWritten(Map<String, PlanValue> arguments) {
    ObjectNode written = Json.object();
    arguments.forEach((name, value) -> written.set(name, asWritten(value)));
    return written;
  }

  private static JsonNode asWritten(PlanValue value) {
    if (value instanceof PlanValue.Literal literal) {
      return literal.value();
    }
    if (value instanceof PlanValue.Reference reference) {
      return Json.NODES.textNode(reference.toPlanText());
    }
    if (value instanceof PlanValue.Template template) {
      StringBuilder text = new StringBuilder();
      for (Object part : template.parts()) {
        if (part instanceof PlanValue.Reference reference) {
          // Braces always: "$1" followed by text such as "2" or ".x" would read as another
          // reference.
          text.append(
              reference.path().isEmpty()
                  ? "${" + reference.taskId() + "}"
                  : reference.toPlanText());
        } else {
          text.append((String) part);
        }
      }
      return Json.NODES.textNode(text.toString());
    }
    if (value instanceof PlanValue.ListValue list) {
      ArrayNode array = Json.NODES.arrayNode(list.elements().size());
      list.elements().forEach(element -> array.add(asWritten(element)));
      return array;
    }
    ObjectNode object = Json.object();
    for (Map.Entry<String, PlanValue> field : ((PlanValue.ObjectValue) value).fields().entrySet()) {
      object.set(field.getKey(), asWritten(field.getValue()));
    }
    return object;
  }

  /**
   * When this happened, in milliseconds since the run started, on the trace's clock ({@link
   * TaskTrace#startMs()} counts from the same zero). Listeners hear of events a little later than
   * they happen, so use this rather than reading a clock when the event arrives.
   */
  public long atMs() {
    return atMs;
  }

  /** The round the task belongs to, counting from 1. */
  public int round() {
    return round;
  }

  /** The task's id in the plan. */
  public int id() {
    return id;
  }

  /**
   * The tool the task calls, as the plan wrote it (unknown to the compiler if {@link #error()} says
   * so).
   */
  public String tool() {
    return tool;
  }

  /**
   * The task's arguments by parameter name, a JSON object: resolved at dispatch, as written when
   * the line is read (see the class comment); an empty object for a task the parser rejected. A
   * copy; modifying it changes nothing.
   */
  public JsonNode arguments() {
    return arguments.deepCopy();
  }

  /** Ids of the tasks this task references, ascending. */
  public List<Integer> dependsOn() {
    return dependsOn;
  }

  /**
   * The plan line the task was read from, without its line break (several lines for a call whose
   * brackets span lines). For a {@link ReActAgent} step: the call after {@code Action:}.
   */
  public String line() {
    return line;
  }

  /**
   * The number of the line the task starts on in the round's plan text ({@link RoundTrace#plan()}),
   * counting from 1.
   */
  public int lineNumber() {
    return lineNumber;
  }

  /** The planner's {@code Thought:} before this task, or {@code ""}. */
  public String thought() {
    return thought;
  }

  /**
   * Why the parser rejected the task's line (an unknown tool, a wrong argument, a bad reference),
   * if it did; such a task never runs and finishes at once with this error.
   */
  public Optional<String> error() {
    return Optional.ofNullable(error);
  }

  /**
   * What the parser repaired to read the task's line, one note per repair, e.g. {@code read
   * unquoted text as the string "Rosetta"}; empty for a line read as written.
   */
  public List<String> repairs() {
    return repairs;
  }

  /**
   * At dispatch, the task whose identical call (same tool, same resolved arguments) this task
   * repeats, if it does: then the tool is not called again and the task ends as that call did (see
   * {@link TaskTrace#reusedFrom()}). Empty when the tool is called, and when the line is read.
   */
  public OptionalInt reusedFrom() {
    return reusedFrom > 0 ? OptionalInt.of(reusedFrom) : OptionalInt.empty();
  }

  @Override
  public String toString() {
    return "TaskEvent[round="
        + round
        + ", id="
        + id
        + ", tool="
        + tool
        + ", arguments="
        + arguments
        + ", dependsOn="
        + dependsOn
        + ", lineNumber="
        + lineNumber
        + (error == null ? "" : ", error=" + error)
        + (repairs.isEmpty() ? "" : ", repairs=" + repairs)
        + (reusedFrom > 0 ? ", reusedFrom=" + reusedFrom : "")
        + "]";
  }
}
