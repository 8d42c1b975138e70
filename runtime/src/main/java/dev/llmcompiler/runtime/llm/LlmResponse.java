package dev.llmcompiler.runtime.llm;

import java.util.Objects;

/**
 * The outcome of one {@link LlmClient#chat} call.
 *
 * @param text the whole generated text, ending before any stop sequence
 * @param usage the tokens the call consumed ({@link TokenUsage#ZERO} if the provider reports none)
 * @param finishReason why generation stopped as the provider said it ({@code "stop"}, {@code
 *     "length"}, …), or {@code ""} if unknown
 */
public record LlmResponse(String text, TokenUsage usage, String finishReason) {

  public LlmResponse {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(usage, "usage");
    Objects.requireNonNull(finishReason, "finishReason");
  }
}
