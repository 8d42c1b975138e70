package dev.llmcompiler.runtime.llm;

import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of one {@link LlmClient#chat} call: the generated text, the tokens it cost, and why
 * generation stopped.
 *
 * <pre>{@code
 * LlmResponse response = LlmResponse.builder()
 *     .text(text)
 *     .usage(TokenUsage.of(1200, 80))
 *     .finishReason("stop")
 *     .build();
 * LlmResponse simple = LlmResponse.of(text, TokenUsage.ZERO);   // finish reason unknown
 * }</pre>
 */
public final class LlmResponse {
  private final String text;
  private final TokenUsage usage;
  private final String finishReason;

  private LlmResponse(Builder builder) {
    this.text = builder.text;
    this.usage = builder.usage;
    this.finishReason = builder.finishReason;
  }

  /** A response with this text and usage and no finish reason. */
  public static LlmResponse of(String text, TokenUsage usage) {
    return builder().text(text).usage(usage).build();
  }

  /** A builder for an {@link LlmResponse}; the text is required. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this response's values. */
  public Builder toBuilder() {
    Builder builder = new Builder();
    builder.text = text;
    builder.usage = usage;
    builder.finishReason = finishReason;
    return builder;
  }

  /** The whole generated text, ending before any stop sequence. */
  public String text() {
    return text;
  }

  /** The tokens the call consumed; {@link TokenUsage#ZERO} if the provider reported none. */
  public TokenUsage usage() {
    return usage;
  }

  /**
   * Why generation stopped, as the provider said it ({@code "stop"}, {@code "length"}, …), or empty
   * if it did not say.
   */
  public Optional<String> finishReason() {
    return Optional.ofNullable(finishReason);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LlmResponse that
        && text.equals(that.text)
        && usage.equals(that.usage)
        && Objects.equals(finishReason, that.finishReason);
  }

  @Override
  public int hashCode() {
    return Objects.hash(text, usage, finishReason);
  }

  @Override
  public String toString() {
    return "LlmResponse[text=" + text + ", usage=" + usage + ", finishReason=" + finishReason + "]";
  }

  /** Builds an {@link LlmResponse}. */
  public static final class Builder {
    private String text;
    private TokenUsage usage = TokenUsage.ZERO;
    private String finishReason;

    private Builder() {}

    /** The whole generated text, ending before any stop sequence; may be empty. Required. */
    public Builder text(String text) {
      this.text = Objects.requireNonNull(text, "text");
      return this;
    }

    /** The tokens the call consumed. Default {@link TokenUsage#ZERO}. */
    public Builder usage(TokenUsage usage) {
      this.usage = Objects.requireNonNull(usage, "usage");
      return this;
    }

    /**
     * Why generation stopped, as the provider said it. Leave unset if the provider did not say.
     *
     * @throws IllegalArgumentException if empty: an unknown reason is left unset, not {@code ""}
     */
    public Builder finishReason(String finishReason) {
      Objects.requireNonNull(finishReason, "finishReason");
      if (finishReason.isEmpty()) {
        throw new IllegalArgumentException(
            "finishReason must not be empty; leave it unset (or pass Optional.empty()) when the provider gave none");
      }
      this.finishReason = finishReason;
      return this;
    }

    /**
     * Sets or, with an empty value, clears the finish reason; for mapping a provider's optional
     * field.
     *
     * @throws IllegalArgumentException if the value is an empty string
     */
    public Builder finishReason(Optional<String> finishReason) {
      Objects.requireNonNull(finishReason, "finishReason");
      if (finishReason.isPresent()) {
        return finishReason(finishReason.get());
      }
      this.finishReason = null;
      return this;
    }

    /**
     * @throws IllegalStateException if the text was not set
     */
    public LlmResponse build() {
      if (text == null) {
        throw new IllegalStateException("`text` is required but was not set");
      }
      return new LlmResponse(this);
    }
  }
}
