package dev.llmcompiler.runtime.llm;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * What to ask the model: a system prompt, the conversation, and generation options.
 *
 * <pre>{@code
 * LlmRequest request = LlmRequest.builder()
 *     .purpose("planner")
 *     .system(plannerPrompt)
 *     .addMessage(LlmMessage.user("Question: " + question))
 *     .stop(List.of("<END_OF_PLAN>"))
 *     .temperature(0)
 *     .build();
 * }</pre>
 */
public final class LlmRequest {
  private final String purpose;
  private final String system;
  private final List<LlmMessage> messages;
  private final List<String> stop;
  private final Double temperature;
  private final Integer maxTokens;

  private LlmRequest(Builder builder) {
    this.purpose = builder.purpose;
    this.system = builder.system;
    this.messages = List.copyOf(builder.messages);
    this.stop = List.copyOf(builder.stop);
    this.temperature = builder.temperature;
    this.maxTokens = builder.maxTokens;
  }

  /** A builder for an {@link LlmRequest}; at least one message is required. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this request's values. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.purpose = purpose;
    b.system = system;
    b.messages.addAll(messages);
    b.stop.addAll(stop);
    b.temperature = temperature;
    b.maxTokens = maxTokens;
    return b;
  }

  /**
   * Which step of the run asks ({@code "planner"}, {@code "joiner"}, {@code "react"}, …), for
   * logs and accounting; never sent to the model.
   */
  public String purpose() {
    return purpose;
  }

  /** The system prompt; may be empty. */
  public String system() {
    return system;
  }

  /** The conversation after the system prompt, oldest first; never empty. */
  public List<LlmMessage> messages() {
    return messages;
  }

  /** Sequences at which generation stops (at most 4, as OpenAI allows). */
  public List<String> stop() {
    return stop;
  }

  /** Sampling temperature, if set. */
  public OptionalDouble temperature() {
    return temperature == null ? OptionalDouble.empty() : OptionalDouble.of(temperature);
  }

  /** The most tokens to generate, if set. */
  public OptionalInt maxTokens() {
    return maxTokens == null ? OptionalInt.empty() : OptionalInt.of(maxTokens);
  }

  /** The last user message, if any: convenient for scripted clients. */
  public Optional<LlmMessage> lastUserMessage() {
    for (int i = messages.size() - 1; i >= 0; i--) {
      if (messages.get(i).role() == LlmMessage.Role.USER) {
        return Optional.of(messages.get(i));
      }
    }
    return Optional.empty();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LlmRequest that
        && purpose.equals(that.purpose)
        && system.equals(that.system)
        && messages.equals(that.messages)
        && stop.equals(that.stop)
        && Objects.equals(temperature, that.temperature)
        && Objects.equals(maxTokens, that.maxTokens);
  }

  @Override
  public int hashCode() {
    return Objects.hash(purpose, system, messages, stop, temperature, maxTokens);
  }

  /** A short description without the prompt texts, which can be long. */
  @Override
  public String toString() {
    return "LlmRequest[purpose=" + purpose + ", messages=" + messages.size() + ", stop=" + stop + "]";
  }

  /** Builds an {@link LlmRequest}. */
  public static final class Builder {
    private String purpose = "chat";
    private String system = "";
    private final List<LlmMessage> messages = new ArrayList<>();
    private final List<String> stop = new ArrayList<>();
    private Double temperature;
    private Integer maxTokens;

    private Builder() {}

    /** Which step of the run asks, for logs and accounting. Default {@code "chat"}. */
    public Builder purpose(String purpose) {
      this.purpose = Objects.requireNonNull(purpose, "purpose");
      return this;
    }

    /** The system prompt. Default empty. */
    public Builder system(String system) {
      this.system = Objects.requireNonNull(system, "system");
      return this;
    }

    /** Appends a message to the conversation. */
    public Builder addMessage(LlmMessage message) {
      messages.add(Objects.requireNonNull(message, "message"));
      return this;
    }

    /** Replaces the conversation with these messages, oldest first. */
    public Builder messages(List<LlmMessage> messages) {
      this.messages.clear();
      messages.forEach(this::addMessage);
      return this;
    }

    /**
     * Replaces the stop sequences.
     *
     * @throws IllegalArgumentException if one is null or empty
     */
    public Builder stop(List<String> stop) {
      this.stop.clear();
      for (String s : stop) {
        if (s == null || s.isEmpty()) {
          throw new IllegalArgumentException("stop sequences must be non-empty");
        }
        this.stop.add(s);
      }
      return this;
    }

    /**
     * The sampling temperature.
     *
     * @throws IllegalArgumentException if not between 0 and 2
     */
    public Builder temperature(double temperature) {
      if (!(temperature >= 0 && temperature <= 2)) {
        throw new IllegalArgumentException("temperature must be between 0 and 2, got " + temperature);
      }
      this.temperature = temperature;
      return this;
    }

    /**
     * The most tokens to generate.
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder maxTokens(int maxTokens) {
      if (maxTokens <= 0) {
        throw new IllegalArgumentException("maxTokens must be positive, got " + maxTokens);
      }
      this.maxTokens = maxTokens;
      return this;
    }

    /** @throws IllegalStateException if there is no message or more than 4 stop sequences */
    public LlmRequest build() {
      if (messages.isEmpty()) {
        throw new IllegalStateException("`messages` is required but was not set");
      }
      if (stop.size() > 4) {
        throw new IllegalStateException("at most 4 stop sequences are allowed, got " + stop.size());
      }
      return new LlmRequest(this);
    }
  }
}
