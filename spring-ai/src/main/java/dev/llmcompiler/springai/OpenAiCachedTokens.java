package dev.llmcompiler.springai;

import java.util.OptionalLong;
import org.springframework.ai.openai.api.OpenAiApi;

/**
 * Reads the cached prompt tokens from the native usage of Spring AI's OpenAI client; Spring AI's
 * common {@code Usage} has no such count. {@code spring-ai-openai} is an optional dependency, so
 * this class is loaded only after {@link DefaultUsageMapper} has found it.
 */
final class OpenAiCachedTokens {
  private OpenAiCachedTokens() {}

  static OptionalLong of(Object nativeUsage) {
    if (nativeUsage instanceof OpenAiApi.Usage usage
        && usage.promptTokensDetails() != null
        && usage.promptTokensDetails().cachedTokens() != null) {
      return OptionalLong.of(usage.promptTokensDetails().cachedTokens());
    }
    return OptionalLong.empty();
  }
}
