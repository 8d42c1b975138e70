package dev.llmcompiler.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/** What the rounds of one run share: the run's clock and the results of every task that succeeded. */
final class RunState {
  private final long startNanos = System.nanoTime();
  private final Map<Integer, JsonNode> results = new ConcurrentHashMap<>();

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
