package dev.llmcompiler.langchain4j;

import dev.llmcompiler.runtime.llm.TokenUsage;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * How {@link LangChain4jLlm} reads a response's token usage unless told otherwise: input and output
 * tokens as LangChain4j reports them (a missing count is 0), and the cached prompt tokens where
 * LangChain4j exposes them, which in 1.19 is in OpenAI's {@code OpenAiTokenUsage} only.
 */
final class DefaultUsageMapper
    implements Function<dev.langchain4j.model.output.TokenUsage, TokenUsage> {
  static final DefaultUsageMapper INSTANCE = new DefaultUsageMapper();

  // Checked once: the OpenAI module is optional, and OpenAiCachedTokens must not load without it.
  private static final boolean OPENAI_ON_CLASS_PATH =
      present("dev.langchain4j.model.openai.OpenAiTokenUsage");

  private DefaultUsageMapper() {}

  @Override
  public TokenUsage apply(dev.langchain4j.model.output.TokenUsage usage) {
    if (usage == null) {
      return TokenUsage.ZERO;
    }
    long prompt = count(usage.inputTokenCount());
    TokenUsage.Builder mapped =
        TokenUsage.builder().promptTokens(prompt).completionTokens(count(usage.outputTokenCount()));
    OptionalLong cached =
        OPENAI_ON_CLASS_PATH ? OpenAiCachedTokens.of(usage) : OptionalLong.empty();
    // Capped, so a provider's inconsistent figures cannot fail a call that otherwise succeeded.
    cached.ifPresent(tokens -> mapped.cachedPromptTokens(Math.min(prompt, Math.max(0, tokens))));
    return mapped.build();
  }

  private static long count(Integer tokens) {
    return tokens == null ? 0 : Math.max(0, tokens);
  }

  private static boolean present(String className) {
    try {
      Class.forName(className, false, DefaultUsageMapper.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError absent) {
      return false;
    }
  }
}
