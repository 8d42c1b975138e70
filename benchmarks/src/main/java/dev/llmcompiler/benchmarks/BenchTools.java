package dev.llmcompiler.benchmarks;

import dev.llmcompiler.annotations.Effect;
import dev.llmcompiler.annotations.Param;
import dev.llmcompiler.annotations.Tool;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The paper's two tools, simulated: a search that sleeps a seeded latency and returns a
 * deterministic passage, and a math tool likewise. Every system under test calls these same
 * methods, so a given call takes the same time whichever system makes it.
 */
public final class BenchTools {
  private final ToolLatency latency;
  private final AtomicLong calls = new AtomicLong();
  private final List<Long> callStarts = new ArrayList<>();

  BenchTools(ToolLatency latency) {
    this.latency = latency;
  }

  /** How many tool calls were made so far, for checking that every task ran exactly once. */
  long calls() {
    return calls.get();
  }

  /**
   * When each call started ({@link System#nanoTime()}), in order, for checking when systems
   * dispatch.
   */
  synchronized List<Long> callStarts() {
    return List.copyOf(callStarts);
  }

  private void started() {
    calls.incrementAndGet();
    synchronized (this) {
      callStarts.add(System.nanoTime());
    }
  }

  /**
   * Searches an encyclopedia and returns the most relevant passage.
   *
   * @param query what to look up, e.g. a person, a film or a fact
   */
  @Tool(effect = Effect.READ_ONLY)
  public String search(String query) {
    started();
    latency.sleep("search", query);
    return SimulatedResults.search(query);
  }

  /**
   * Solves a math problem stated in words, using the given context (e.g. earlier search results).
   *
   * @param problem the problem, e.g. "difference between the two heights"
   * @param context facts the problem needs, such as results of earlier tasks
   */
  @Tool(effect = Effect.READ_ONLY)
  public String math(
      String problem, @Param(description = "facts the problem needs") List<String> context) {
    started();
    latency.sleep("math", problem);
    return SimulatedResults.math(problem);
  }
}
