package dev.llmcompiler.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmcompiler.runtime.internal.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One task of a run as it happened: the call with its resolved arguments, what it waited for, when
 * it ran and how it ended. Part of a {@link RoundTrace}.
 *
 * <pre>{@code
 * for (TaskTrace task : result.trace().rounds().get(0).tasks()) {
 *   System.out.println(task.id() + " " + task.tool() + " " + task.status() + " in "
 *       + (task.endMs() - task.startMs()) + " ms");
 * }
 * }</pre>
 */
public final class TaskTrace {
  private final int id;
  private final String tool;
  private final JsonNode args;
  private final List<Integer> dependsOn;
  private final long startMs;
  private final long endMs;
  private final TaskStatus status;
  private final JsonNode result;
  private final String error;
  private final String thought;
  private final String line;
  private final int lineNumber;
  private final List<String> repairs;
  private final int reusedFrom;

  TaskTrace(
      int id,
      String tool,
      JsonNode args,
      List<Integer> dependsOn,
      long startMs,
      long endMs,
      TaskStatus status,
      JsonNode result,
      String error,
      String thought,
      String line,
      int lineNumber) {
    this(
        id,
        tool,
        args,
        dependsOn,
        startMs,
        endMs,
        status,
        result,
        error,
        thought,
        line,
        lineNumber,
        List.of(),
        0);
  }

  TaskTrace(
      int id,
      String tool,
      JsonNode args,
      List<Integer> dependsOn,
      long startMs,
      long endMs,
      TaskStatus status,
      JsonNode result,
      String error,
      String thought,
      String line,
      int lineNumber,
      List<String> repairs,
      int reusedFrom) {
    this.id = id;
    this.tool = Objects.requireNonNull(tool, "tool");
    this.args = args == null ? Json.object() : args.deepCopy();
    this.dependsOn = List.copyOf(dependsOn);
    this.startMs = startMs;
    this.endMs = endMs;
    this.status = Objects.requireNonNull(status, "status");
    this.result = result == null ? null : result.deepCopy();
    this.error = error;
    this.thought = thought == null ? "" : thought;
    this.line = line == null ? "" : line;
    this.lineNumber = lineNumber;
    this.repairs = List.copyOf(repairs);
    this.reusedFrom = reusedFrom;
  }

  /** The task's id in the plan. */
  public int id() {
    return id;
  }

  /** The tool the task calls, as the plan wrote it. */
  public String tool() {
    return tool;
  }

  /**
   * The arguments as passed to the tool, references replaced by results: a JSON object (empty if
   * the task never got as far as resolving them). A copy; modifying it changes nothing.
   */
  public JsonNode args() {
    return args.deepCopy();
  }

  /** Ids of the tasks this task referenced, ascending. */
  public List<Integer> dependsOn() {
    return dependsOn;
  }

  /**
   * When the tool started, in ms since the run started (when the task failed or was skipped, if it
   * never ran).
   */
  public long startMs() {
    return startMs;
  }

  /** When the task ended, in ms since the run started. */
  public long endMs() {
    return endMs;
  }

  /** How the task ended. */
  public TaskStatus status() {
    return status;
  }

  /** The tool's result, present when {@link #status()} is {@link TaskStatus#OK}. A copy. */
  public Optional<JsonNode> result() {
    return Optional.ofNullable(result).map(JsonNode::deepCopy);
  }

  /**
   * Why the task failed or was skipped, present unless {@link #status()} is {@link TaskStatus#OK}.
   */
  public Optional<String> error() {
    return Optional.ofNullable(error);
  }

  /** The planner's {@code Thought:} before this task, or {@code ""}. */
  public String thought() {
    return thought;
  }

  /** The plan line the task was read from, or {@code ""}. */
  public String line() {
    return line;
  }

  /**
   * The number of the line the task starts on in its round's plan text ({@link RoundTrace#plan()}),
   * counting from 1; {@code 0} if unknown (a step with no readable action, or a trace written
   * without it).
   */
  public int lineNumber() {
    return lineNumber;
  }

  /**
   * What the parser repaired to read the task's line, one note per repair, e.g. {@code read
   * unquoted text as the string "Rosetta"}; empty for a line read as written. See {@link
   * LlmCompiler.Builder#planRepairs}.
   */
  public List<String> repairs() {
    return repairs;
  }

  /**
   * The task whose call this task repeated, if it did: the same tool with the same resolved
   * arguments, made earlier in the run (this round or an earlier one). The tool was not called
   * again; the task ended as that call did: with its result, or failed with its error and a note
   * that a call which changes data is not repeated. Empty for a task that called its tool (or never
   * got that far).
   */
  public OptionalInt reusedFrom() {
    return reusedFrom > 0 ? OptionalInt.of(reusedFrom) : OptionalInt.empty();
  }

  ObjectNode toJsonNode() {
    ObjectNode node = Json.object();
    node.put("id", id);
    node.put("tool", tool);
    node.set("args", args.deepCopy());
    ArrayNode deps = node.putArray("dependsOn");
    dependsOn.forEach(deps::add);
    node.put("startMs", startMs);
    node.put("endMs", endMs);
    node.put("status", status.json());
    if (status == TaskStatus.OK) {
      node.set("result", result == null ? Json.NODES.nullNode() : result.deepCopy());
    } else {
      node.put("error", error == null ? "" : error);
    }
    if (!thought.isEmpty()) {
      node.put("thought", thought);
    }
    if (!line.isEmpty()) {
      node.put("line", line);
    }
    if (lineNumber > 0) {
      node.put("lineNumber", lineNumber);
    }
    if (!repairs.isEmpty()) {
      ArrayNode notes = node.putArray("repairs");
      repairs.forEach(notes::add);
    }
    if (reusedFrom > 0) {
      node.put("reusedFrom", reusedFrom);
    }
    return node;
  }

  static TaskTrace fromJsonNode(JsonNode node) {
    String where = "A trace task";
    List<Integer> deps = new ArrayList<>();
    for (JsonNode dep : Json.require(node, "dependsOn", where)) {
      deps.add(dep.asInt());
    }
    TaskStatus status = TaskStatus.fromJson(Json.require(node, "status", where).asText());
    List<String> repairs = new ArrayList<>();
    for (JsonNode note : node.path("repairs")) {
      repairs.add(note.asText());
    }
    return new TaskTrace(
        Json.require(node, "id", where).asInt(),
        Json.require(node, "tool", where).asText(),
        Json.require(node, "args", where),
        deps,
        Json.require(node, "startMs", where).asLong(),
        Json.require(node, "endMs", where).asLong(),
        status,
        status == TaskStatus.OK ? node.path("result").deepCopy() : null,
        Json.text(node, "error"),
        Json.text(node, "thought"),
        Json.text(node, "line"),
        node.path("lineNumber").asInt(0),
        repairs,
        Math.max(0, node.path("reusedFrom").asInt(0)));
  }

  @Override
  public String toString() {
    return "TaskTrace" + toJsonNode();
  }
}
