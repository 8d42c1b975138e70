package dev.llmcompiler.springai;

import dev.llmcompiler.runtime.llm.TokenUsage;
import java.util.OptionalLong;
import java.util.function.Function;
import org.springframework.ai.chat.metadata.Usage;

/**
 * How {@link SpringAiLlm} reads token usage unless told otherwise: prompt and completion tokens as
 * Spring AI reports them (a missing count is 0), and the cached prompt tokens where Spring AI
 * exposes them, which in 1.1 is only in the native usage of its OpenAI client.
 */
final class DefaultUsageMapper implements Function<Usage, TokenUsage> {
  static final DefaultUsageMapper INSTANCE = new DefaultUsageMapper();

  // Checked once: the OpenAI module is optional, and OpenAiCachedTokens must not load without it.
  private static final boolean OPENAI_ON_CLASS_PATH =
      ClassPresence.present("org.springframework.ai.openai.api.OpenAiApi$Usage");

  private DefaultUsageMapper() {}

  @Override
  public TokenUsage apply(Usage usage) {
    if (usage == null) {
      return TokenUsage.ZERO;
    }
    long prompt = count(usage.getPromptTokens());
    TokenUsage.Builder mapped =
        TokenUsage.builder()
            .promptTokens(prompt)
            .completionTokens(count(usage.getCompletionTokens()));
    OptionalLong cached =
        OPENAI_ON_CLASS_PATH ? OpenAiCachedTokens.of(usage.getNativeUsage()) : OptionalLong.empty();
    // Capped, so a provider's inconsistent figures cannot fail a call that otherwise succeeded.
    cached.ifPresent(tokens -> mapped.cachedPromptTokens(Math.min(prompt, Math.max(0, tokens))));
    return mapped.build();
  }

  private static long count(Integer tokens) {
    return tokens == null ? 0 : Math.max(0, tokens);
  }
}
