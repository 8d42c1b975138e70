package dev.llmcompiler.langchain4j;

import dev.langchain4j.model.openai.OpenAiTokenUsage;
import dev.langchain4j.model.output.TokenUsage;
import java.util.OptionalLong;

/**
 * Reads the cached prompt tokens that LangChain4j's OpenAI models report in their own {@link
 * OpenAiTokenUsage}; the core {@link TokenUsage} has no such count.
 *
 * <p>{@code langchain4j-open-ai} is an optional dependency, so this class is loaded only after
 * {@link DefaultUsageMapper} has found it on the class path.
 */
final class OpenAiCachedTokens {
  private OpenAiCachedTokens() {}

  /** The cached prompt tokens if {@code usage} is OpenAI's and says. */
  static OptionalLong of(TokenUsage usage) {
    if (usage instanceof OpenAiTokenUsage openAi
        && openAi.inputTokensDetails() != null
        && openAi.inputTokensDetails().cachedTokens() != null) {
      return OptionalLong.of(openAi.inputTokensDetails().cachedTokens());
    }
    return OptionalLong.empty();
  }
}
