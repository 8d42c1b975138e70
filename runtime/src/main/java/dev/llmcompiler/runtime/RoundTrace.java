package dev.llmcompiler.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmcompiler.runtime.internal.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One round of a run: the plan the planner streamed, its tasks, and what the joiner decided.
 *
 * <p>{@link #decision()} is {@link JoinerDecision#FINISH} or {@link JoinerDecision#REPLAN}; a round
 * the run left without a joiner decision (an LLM failure, the deadline, a cancellation) says {@link
 * JoinerDecision#NONE}.
 */
public final class RoundTrace {
  private final JoinerDecision decision;
  private final List<TaskTrace> tasks;
  private final String plan;
  private final long planMs;
  private final String thought;
  private final String reason;
  private final String planError;
  private final String joinerNote;
  private final List<LlmCallTrace> llmCalls;
  private final boolean directAnswer;

  RoundTrace(
      JoinerDecision decision,
      List<TaskTrace> tasks,
      String plan,
      long planMs,
      String thought,
      String reason,
      String planError,
      String joinerNote,
      List<LlmCallTrace> llmCalls) {
    this(decision, tasks, plan, planMs, thought, reason, planError, joinerNote, llmCalls, false);
  }

  RoundTrace(
      JoinerDecision decision,
      List<TaskTrace> tasks,
      String plan,
      long planMs,
      String thought,
      String reason,
      String planError,
      String joinerNote,
      List<LlmCallTrace> llmCalls,
      boolean directAnswer) {
    this.decision = Objects.requireNonNull(decision, "decision");
    this.tasks = List.copyOf(tasks);
    this.plan = plan == null ? "" : plan;
    this.planMs = planMs;
    this.thought = thought == null ? "" : thought;
    this.reason = reason;
    this.planError = planError;
    this.joinerNote = joinerNote;
    this.llmCalls = List.copyOf(llmCalls);
    this.directAnswer = directAnswer;
  }

  /**
   * What the joiner decided, or {@link JoinerDecision#NONE} if the round ended without a decision.
   */
  public JoinerDecision decision() {
    return decision;
  }

  /** The round's tasks in plan order, including failed and skipped ones. */
  public List<TaskTrace> tasks() {
    return tasks;
  }

  /** The plan text as the planner streamed it. */
  public String plan() {
    return plan;
  }

  /** When the plan stream ended, in ms since the run started ({@code -1} if it never ended). */
  public long planMs() {
    return planMs;
  }

  /** The joiner's {@code Thought:}, or {@code ""}. */
  public String thought() {
    return thought;
  }

  /**
   * The joiner's reason to replan, present when {@link #decision()} is {@link
   * JoinerDecision#REPLAN}.
   */
  public Optional<String> reason() {
    return Optional.ofNullable(reason);
  }

  /** Why the plan stream ended early (an LLM failure), if it did. */
  public Optional<String> planError() {
    return Optional.ofNullable(planError);
  }

  /**
   * What the runtime had to do to read the joiner's answer, if anything: it asked again because the
   * output had no {@code Finish(...)}/{@code Replan(...)}, or it used the raw text as the answer.
   */
  public Optional<String> joinerNote() {
    return Optional.ofNullable(joinerNote);
  }

  /**
   * The round's model calls in the order they were made: the planner's, then the joiner's (more
   * than one when the joiner was asked again). Calls still running when the round ended are not
   * listed; empty for a trace written without them.
   */
  public List<LlmCallTrace> llmCalls() {
    return llmCalls;
  }

  /**
   * Whether the plan's direct answer, {@code join("The ratio is ${6}")}, finished the round: the
   * joiner was skipped, and {@link #decision()} is {@link JoinerDecision#FINISH}. A direct answer
   * that could not be used (a task it references failed) left the joiner to answer; {@link
   * #joinerNote()} says why.
   */
  public boolean directAnswer() {
    return directAnswer;
  }

  ObjectNode toJsonNode() {
    ObjectNode node = Json.object();
    node.put("decision", decision.json());
    ArrayNode array = node.putArray("tasks");
    tasks.forEach(t -> array.add(t.toJsonNode()));
    node.put("plan", plan);
    node.put("planMs", planMs);
    if (!thought.isEmpty()) {
      node.put("thought", thought);
    }
    if (reason != null) {
      node.put("reason", reason);
    }
    if (planError != null) {
      node.put("planError", planError);
    }
    if (joinerNote != null) {
      node.put("joinerNote", joinerNote);
    }
    if (!llmCalls.isEmpty()) {
      ArrayNode calls = node.putArray("llmCalls");
      llmCalls.forEach(call -> calls.add(call.toJsonNode()));
    }
    if (directAnswer) {
      node.put("directAnswer", true);
    }
    return node;
  }

  static RoundTrace fromJsonNode(JsonNode node) {
    List<TaskTrace> tasks = new ArrayList<>();
    for (JsonNode task : Json.require(node, "tasks", "A trace round")) {
      tasks.add(TaskTrace.fromJsonNode(task));
    }
    List<LlmCallTrace> calls = new ArrayList<>();
    for (JsonNode call : node.path("llmCalls")) {
      calls.add(LlmCallTrace.fromJsonNode(call));
    }
    return new RoundTrace(
        JoinerDecision.fromJson(Json.require(node, "decision", "A trace round").asText()),
        tasks,
        Json.text(node, "plan"),
        node.path("planMs").asLong(-1),
        Json.text(node, "thought"),
        Json.text(node, "reason"),
        Json.text(node, "planError"),
        Json.text(node, "joinerNote"),
        calls,
        node.path("directAnswer").asBoolean(false));
  }
}
