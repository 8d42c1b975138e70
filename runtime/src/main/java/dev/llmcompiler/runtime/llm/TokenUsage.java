package dev.llmcompiler.runtime.llm;

/**
 * Tokens one or more LLM calls consumed, as the provider reported them.
 *
 * @param promptTokens tokens in the prompts
 * @param completionTokens tokens generated
 */
public record TokenUsage(long promptTokens, long completionTokens) {

  /** No tokens: what a provider that reports no usage yields. */
  public static final TokenUsage ZERO = new TokenUsage(0, 0);

  public TokenUsage {
    if (promptTokens < 0 || completionTokens < 0) {
      throw new IllegalArgumentException(
          "token counts must not be negative: " + promptTokens + ", " + completionTokens);
    }
  }

  /** Prompt plus completion tokens. */
  public long totalTokens() {
    return promptTokens + completionTokens;
  }

  /** The sum of this and {@code other}. */
  public TokenUsage plus(TokenUsage other) {
    return new TokenUsage(promptTokens + other.promptTokens, completionTokens + other.completionTokens);
  }
}
