package dev.llmcompiler.benchmarks;

import dev.llmcompiler.runtime.llm.LlmClient;
import dev.llmcompiler.runtime.llm.LlmRequest;
import dev.llmcompiler.runtime.llm.LlmResponse;
import dev.llmcompiler.runtime.llm.LlmStreamListener;
import java.util.concurrent.CompletableFuture;

/**
 * "LLMCompiler without streaming dispatch": the same runtime, but the plan reaches the parser only
 * once the planner's stream has ended, as one piece, so no task can start before the last token.
 * The wire and the model are unchanged; only the hand-over is delayed, as in the paper's
 * non-streaming ablation.
 */
final class BufferedLlm implements LlmClient {
  private final LlmClient delegate;

  BufferedLlm(LlmClient delegate) {
    this.delegate = delegate;
  }

  @Override
  public CompletableFuture<LlmResponse> chat(LlmRequest request, LlmStreamListener listener) {
    CompletableFuture<LlmResponse> inner = delegate.chat(request, delta -> {});
    CompletableFuture<LlmResponse> outer =
        inner.thenApply(
            response -> {
              listener.onText(response.text());
              return response;
            });
    outer.whenComplete(
        (r, e) -> {
          if (outer.isCancelled()) {
            inner.cancel(true);
          }
        });
    return outer;
  }
}
