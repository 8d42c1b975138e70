package dev.llmcompiler.runtime.llm;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * Tokens one or more LLM calls consumed, as the provider reported them.
 *
 * <pre>{@code
 * TokenUsage usage = TokenUsage.builder()
 *     .promptTokens(1200)
 *     .completionTokens(80)
 *     .cachedPromptTokens(1024)   // only if the provider reports it
 *     .build();
 * TokenUsage simple = TokenUsage.of(1200, 80);   // cached prompt tokens unknown
 * }</pre>
 *
 * <p>Instances are immutable; {@link #plus} adds the usage of several calls.
 */
public final class TokenUsage {

  // Marks a count that is not known: cached prompt tokens the provider did not report, or a
  // builder field not set yet.
  private static final long UNKNOWN = -1;

  /** No tokens, cached tokens unknown: what a provider that reports no usage yields. */
  public static final TokenUsage ZERO = of(0, 0);

  private final long promptTokens;
  private final long completionTokens;
  private final long cachedPromptTokens;

  private TokenUsage(long promptTokens, long completionTokens, long cachedPromptTokens) {
    this.promptTokens = promptTokens;
    this.completionTokens = completionTokens;
    this.cachedPromptTokens = cachedPromptTokens;
  }

  /**
   * The usage of a call whose provider reported prompt and completion tokens only.
   *
   * @throws IllegalArgumentException if a count is negative
   */
  public static TokenUsage of(long promptTokens, long completionTokens) {
    return builder().promptTokens(promptTokens).completionTokens(completionTokens).build();
  }

  /** A builder for a {@link TokenUsage}; prompt and completion tokens are required. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this usage's values. */
  public Builder toBuilder() {
    Builder builder = new Builder();
    builder.promptTokens = promptTokens;
    builder.completionTokens = completionTokens;
    builder.cachedPromptTokens = cachedPromptTokens;
    return builder;
  }

  /** Tokens in the prompts, cached ones included. */
  public long promptTokens() {
    return promptTokens;
  }

  /** Tokens generated. */
  public long completionTokens() {
    return completionTokens;
  }

  /**
   * How many of the {@link #promptTokens()} the provider served from its prompt cache, or empty if
   * it did not say. Empty differs from zero: zero means the provider reported that nothing was
   * cached. Never more than {@link #promptTokens()}.
   */
  public OptionalLong cachedPromptTokens() {
    return cachedPromptTokens == UNKNOWN
        ? OptionalLong.empty()
        : OptionalLong.of(cachedPromptTokens);
  }

  /** Prompt plus completion tokens. */
  public long totalTokens() {
    return promptTokens + completionTokens;
  }

  /**
   * The sum of this and {@code other}, as for the calls of one run. Prompt and completion tokens
   * add up. Cached prompt tokens add up when at least one side reports them, a side that does not
   * counting as zero; the sum is empty only when neither side reports them. So {@link #ZERO} is the
   * identity: {@code ZERO.plus(u).equals(u)}.
   *
   * @throws ArithmeticException if a sum overflows a {@code long}
   */
  public TokenUsage plus(TokenUsage other) {
    Objects.requireNonNull(other, "other");
    long cached =
        cachedPromptTokens == UNKNOWN && other.cachedPromptTokens == UNKNOWN
            ? UNKNOWN
            : Math.addExact(Math.max(0, cachedPromptTokens), Math.max(0, other.cachedPromptTokens));
    return new TokenUsage(
        Math.addExact(promptTokens, other.promptTokens),
        Math.addExact(completionTokens, other.completionTokens),
        cached);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TokenUsage that
        && promptTokens == that.promptTokens
        && completionTokens == that.completionTokens
        && cachedPromptTokens == that.cachedPromptTokens;
  }

  @Override
  public int hashCode() {
    return Objects.hash(promptTokens, completionTokens, cachedPromptTokens);
  }

  @Override
  public String toString() {
    return "TokenUsage[promptTokens="
        + promptTokens
        + ", completionTokens="
        + completionTokens
        + (cachedPromptTokens == UNKNOWN ? "" : ", cachedPromptTokens=" + cachedPromptTokens)
        + "]";
  }

  /** Builds a {@link TokenUsage}. */
  public static final class Builder {
    private long promptTokens = UNKNOWN;
    private long completionTokens = UNKNOWN;
    private long cachedPromptTokens = UNKNOWN;

    private Builder() {}

    /**
     * Tokens in the prompt, cached ones included. Required.
     *
     * @throws IllegalArgumentException if negative
     */
    public Builder promptTokens(long promptTokens) {
      this.promptTokens = requireCount(promptTokens, "promptTokens");
      return this;
    }

    /**
     * Tokens generated. Required.
     *
     * @throws IllegalArgumentException if negative
     */
    public Builder completionTokens(long completionTokens) {
      this.completionTokens = requireCount(completionTokens, "completionTokens");
      return this;
    }

    /**
     * How many prompt tokens the provider served from its cache (OpenAI's {@code
     * usage.prompt_tokens_details.cached_tokens}). Leave unset if the provider does not say.
     *
     * @throws IllegalArgumentException if negative
     */
    public Builder cachedPromptTokens(long cachedPromptTokens) {
      this.cachedPromptTokens = requireCount(cachedPromptTokens, "cachedPromptTokens");
      return this;
    }

    /**
     * Sets or, with an empty value, clears the cached prompt tokens; for mapping a provider's
     * optional field.
     *
     * @throws IllegalArgumentException if negative
     */
    public Builder cachedPromptTokens(OptionalLong cachedPromptTokens) {
      Objects.requireNonNull(cachedPromptTokens, "cachedPromptTokens");
      this.cachedPromptTokens =
          cachedPromptTokens.isPresent()
              ? requireCount(cachedPromptTokens.getAsLong(), "cachedPromptTokens")
              : UNKNOWN;
      return this;
    }

    /**
     * @throws IllegalStateException if prompt or completion tokens were not set, or if the cached
     *     prompt tokens exceed the prompt tokens
     */
    public TokenUsage build() {
      if (promptTokens == UNKNOWN) {
        throw new IllegalStateException("`promptTokens` is required but was not set");
      }
      if (completionTokens == UNKNOWN) {
        throw new IllegalStateException("`completionTokens` is required but was not set");
      }
      if (cachedPromptTokens > promptTokens) {
        throw new IllegalStateException(
            "cachedPromptTokens ("
                + cachedPromptTokens
                + ") must not exceed promptTokens ("
                + promptTokens
                + "): cached tokens are part of the prompt");
      }
      return new TokenUsage(promptTokens, completionTokens, cachedPromptTokens);
    }

    private static long requireCount(long count, String name) {
      if (count < 0) {
        throw new IllegalArgumentException(name + " must not be negative, got " + count);
      }
      return count;
    }
  }
}
