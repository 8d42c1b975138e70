package dev.llmcompiler.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the rounds of one run share: the run's clock, the results of every task that succeeded, the
 * calls made so far ({@link CallMemo}), and what approving a call needs (the question, the
 * approver).
 */
final class RunState {
  private final long startNanos = System.nanoTime();
  private final Map<Integer, JsonNode> results = new ConcurrentHashMap<>();
  private final CallMemo calls = new CallMemo();
  private final String question;

  /** The approver of calls that change data, or {@code null} to allow them all. */
  private final ToolApprover approver;

  /** A run without a question to show or an approver. */
  RunState() {
    this("", null);
  }

  RunState(String question, ToolApprover approver) {
    this.question = question;
    this.approver = approver;
  }

  String question() {
    return question;
  }

  /** The approver, or {@code null} if every call may run. */
  ToolApprover approver() {
    return approver;
  }

  /** The calls this run has made, so that none runs twice. */
  CallMemo calls() {
    return calls;
  }

  /** The {@link System#nanoTime()} reading the run's times count from. */
  long startNanos() {
    return startNanos;
  }

  /** Milliseconds since the run started. */
  long ms() {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  /** Milliseconds from the run's start to the {@link System#nanoTime()} reading {@code nanos}. */
  long msAt(long nanos) {
    return (nanos - startNanos) / 1_000_000;
  }

  long elapsedNanos() {
    return System.nanoTime() - startNanos;
  }

  JsonNode result(int taskId) {
    return results.get(taskId);
  }

  void putResult(int taskId, JsonNode result) {
    results.put(taskId, result);
  }

  /** Ids of tasks with a result, ascending: what a replan may reference. */
  Set<Integer> resultIds() {
    return new TreeSet<>(results.keySet());
  }
}
