package dev.llmcompiler.benchmarks;

import dev.llmcompiler.runtime.llm.LlmClient;
import dev.llmcompiler.runtime.llm.LlmRequest;
import dev.llmcompiler.runtime.llm.LlmResponse;
import dev.llmcompiler.runtime.llm.LlmStreamListener;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * An {@link LlmClient} with no network and no model: it streams a fixed plan, one line per delta,
 * on the calling thread and answers every joiner call with {@code Finish(ok)}. Isolates the
 * framework's own cost.
 */
final class InMemoryLlm implements LlmClient {
  static final String ANSWER = "ok";
  private static final String JOINER_REPLY =
      "Thought: all tasks ran.\nAction: Finish(" + ANSWER + ")";

  private final List<String> planLines;

  InMemoryLlm(List<String> planLines) {
    this.planLines = List.copyOf(planLines);
  }

  /** {@code n} independent {@code tool("x")} tasks, then join. */
  static List<String> wide(int n, String tool) {
    List<String> lines = new ArrayList<>(n + 1);
    for (int i = 1; i <= n; i++) {
      lines.add(i + ". " + tool + "(\"x" + i + "\")\n");
    }
    lines.add((n + 1) + ". join()");
    return lines;
  }

  /** A chain of {@code n} tasks, each taking the previous one's result, then join. */
  static List<String> deep(int n, String tool) {
    List<String> lines = new ArrayList<>(n + 1);
    lines.add("1. " + tool + "(\"x\")\n");
    for (int i = 2; i <= n; i++) {
      lines.add(i + ". " + tool + "($" + (i - 1) + ")\n");
    }
    lines.add((n + 1) + ". join()");
    return lines;
  }

  @Override
  public CompletableFuture<LlmResponse> chat(LlmRequest request, LlmStreamListener listener) {
    if (request.purpose().equals("planner")) {
      StringBuilder all = new StringBuilder();
      for (String line : planLines) {
        listener.onText(line);
        all.append(line);
      }
      return CompletableFuture.completedFuture(
          LlmResponse.builder().text(all.toString()).finishReason("stop").build());
    }
    listener.onText(JOINER_REPLY);
    return CompletableFuture.completedFuture(
        LlmResponse.builder().text(JOINER_REPLY).finishReason("stop").build());
  }
}
