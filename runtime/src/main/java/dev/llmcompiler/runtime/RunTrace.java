package dev.llmcompiler.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmcompiler.runtime.internal.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Everything a run did, in the JSON shape of docs/trace-format.md: the question, the answer, wall
 * time, LLM calls and tokens, and every round with its tasks. Times are milliseconds since the run
 * started.
 *
 * <pre>{@code
 * RunResult result = compiler.run("Is Apple worth more than Microsoft?");
 * Files.writeString(Path.of("trace.json"), result.trace().toJson());
 * RunTrace again = RunTrace.fromJson(Files.readString(Path.of("trace.json")));
 * }</pre>
 *
 * <p>Besides the contract's fields the JSON carries {@code "outcome"}, {@code "error"} (when there
 * is one), {@code "firstAnswerMs"} (when an answer came), and per round {@code "plan"}, {@code
 * "planMs"}, {@code "thought"}, {@code "reason"}, {@code "planError"}, {@code "joinerNote"}, {@code
 * "llmCalls"} (each model call's {@code "purpose"}, {@code "startMs"} and {@code "endMs"}), {@code
 * "directAnswer": true} (when the plan's answer skipped the joiner), and per task {@code
 * "thought"}, {@code "line"} and {@code "lineNumber"}; {@link #fromJson} accepts a trace without
 * them.
 *
 * <p>{@link #toChromeTrace()} writes the same run for a trace viewer (Perfetto, {@code
 * chrome://tracing}).
 */
public final class RunTrace {
  private final String question;
  private final String answer;
  private final long wallMs;
  private final int llmCalls;
  private final long promptTokens;
  private final long completionTokens;
  private final List<RoundTrace> rounds;
  private final RunOutcome outcome;
  private final String error;
  private final long firstAnswerMs;

  RunTrace(
      String question,
      String answer,
      long wallMs,
      int llmCalls,
      long promptTokens,
      long completionTokens,
      List<RoundTrace> rounds,
      RunOutcome outcome,
      String error) {
    this(
        question,
        answer,
        wallMs,
        llmCalls,
        promptTokens,
        completionTokens,
        rounds,
        outcome,
        error,
        -1);
  }

  /**
   * @param firstAnswerMs when the first piece of the answer came, or a negative number if none did
   */
  RunTrace(
      String question,
      String answer,
      long wallMs,
      int llmCalls,
      long promptTokens,
      long completionTokens,
      List<RoundTrace> rounds,
      RunOutcome outcome,
      String error,
      long firstAnswerMs) {
    this.question = Objects.requireNonNull(question, "question");
    this.answer = Objects.requireNonNull(answer, "answer");
    this.wallMs = wallMs;
    this.llmCalls = llmCalls;
    this.promptTokens = promptTokens;
    this.completionTokens = completionTokens;
    this.rounds = List.copyOf(rounds);
    this.outcome = Objects.requireNonNull(outcome, "outcome");
    this.error = error;
    this.firstAnswerMs = firstAnswerMs;
  }

  /** The question the run answered. */
  public String question() {
    return question;
  }

  /** The answer, or {@code ""} if the run ended without one (see {@link #outcome()}). */
  public String answer() {
    return answer;
  }

  /** Wall time of the whole run in ms. */
  public long wallMs() {
    return wallMs;
  }

  /** LLM calls the run made (planner, joiner, and retries). */
  public int llmCalls() {
    return llmCalls;
  }

  /** Prompt tokens over all LLM calls. */
  public long promptTokens() {
    return promptTokens;
  }

  /** Completion tokens over all LLM calls. */
  public long completionTokens() {
    return completionTokens;
  }

  /** The rounds, first to last. */
  public List<RoundTrace> rounds() {
    return rounds;
  }

  /** How the run ended. */
  public RunOutcome outcome() {
    return outcome;
  }

  /** What went wrong, for runs that ended without an answer. */
  public Optional<String> error() {
    return Optional.ofNullable(error);
  }

  /**
   * When the first piece of the answer came, in ms since the run started: the time to the first
   * answer token, as {@link RunListener#onAnswerDelta} received it (the moment a direct answer was
   * known, or the first text of the joiner's {@code Finish(...)}). Empty if no answer came.
   */
  public OptionalLong firstAnswerMs() {
    return firstAnswerMs < 0 ? OptionalLong.empty() : OptionalLong.of(firstAnswerMs);
  }

  /** All tasks of all rounds, in order. */
  public List<TaskTrace> tasks() {
    List<TaskTrace> all = new ArrayList<>();
    rounds.forEach(r -> all.addAll(r.tasks()));
    return all;
  }

  /** The trace as a JSON tree. */
  public ObjectNode toJsonNode() {
    ObjectNode node = Json.object();
    node.put("question", question);
    node.put("answer", answer);
    node.put("wallMs", wallMs);
    node.put("llmCalls", llmCalls);
    node.put("promptTokens", promptTokens);
    node.put("completionTokens", completionTokens);
    ArrayNode array = node.putArray("rounds");
    rounds.forEach(r -> array.add(r.toJsonNode()));
    node.put("outcome", outcome.name());
    if (error != null) {
      node.put("error", error);
    }
    if (firstAnswerMs >= 0) {
      node.put("firstAnswerMs", firstAnswerMs);
    }
    return node;
  }

  /** The trace as pretty-printed JSON (the CLI's {@code --trace-json} file). */
  public String toJson() {
    return Json.write(toJsonNode(), true);
  }

  /**
   * The run in the Trace Event Format of Chrome and Perfetto: {@code {"traceEvents":[...]}} with
   * one complete event ({@code "ph":"X"}, {@code ts} and {@code dur} in microseconds since the run
   * started) for the run and each round, each model call and each task, on named rows: the run, the
   * model calls, and the tasks, where tasks that ran at the same time are on different rows. Open
   * the file in <a href="https://ui.perfetto.dev">Perfetto</a> or {@code chrome://tracing}.
   *
   * <pre>{@code
   * Files.writeString(Path.of("run.trace.json"), result.trace().toChromeTrace());
   * }</pre>
   */
  public String toChromeTrace() {
    return ChromeTrace.write(this);
  }

  /**
   * Reads a trace written by {@link #toJson()}.
   *
   * @throws IllegalArgumentException if the text is not JSON or lacks a field of contract 6
   */
  public static RunTrace fromJson(String json) {
    JsonNode node = Json.parse(json, "The trace");
    String where = "The trace";
    List<RoundTrace> rounds = new ArrayList<>();
    for (JsonNode round : Json.require(node, "rounds", where)) {
      rounds.add(RoundTrace.fromJsonNode(round));
    }
    String outcome = Json.text(node, "outcome");
    return new RunTrace(
        Json.require(node, "question", where).asText(),
        Json.require(node, "answer", where).asText(),
        Json.require(node, "wallMs", where).asLong(),
        Json.require(node, "llmCalls", where).asInt(),
        Json.require(node, "promptTokens", where).asLong(),
        Json.require(node, "completionTokens", where).asLong(),
        rounds,
        outcome == null ? RunOutcome.FINISHED : RunOutcome.valueOf(outcome),
        Json.text(node, "error"),
        node.path("firstAnswerMs").isIntegralNumber() ? node.get("firstAnswerMs").asLong() : -1);
  }

  @Override
  public String toString() {
    return toJson();
  }
}
