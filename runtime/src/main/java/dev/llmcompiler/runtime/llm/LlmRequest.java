package dev.llmcompiler.runtime.llm;

import com.fasterxml.jackson.databind.JsonNode;
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
 *
 * <p>A request may carry a {@linkplain #responseSchema() response schema}: the reply must then be
 * JSON matching it (the JSON plan mode asks for its plan that way). Clients that can constrain the
 * model to a schema send it ({@code OpenAiLlm} as {@code response_format}); others rely on the
 * prompt, which asks for the same JSON.
 */
public final class LlmRequest {
  private final String purpose;
  private final String system;
  private final List<LlmMessage> messages;
  private final List<String> stop;
  private final Double temperature;
  private final Integer maxTokens;
  private final ResponseSchema responseSchema;

  private LlmRequest(Builder builder) {
    this.purpose = builder.purpose;
    this.system = builder.system;
    this.messages = List.copyOf(builder.messages);
    this.stop = List.copyOf(builder.stop);
    this.temperature = builder.temperature;
    this.maxTokens = builder.maxTokens;
    this.responseSchema = builder.responseSchema;
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
    b.responseSchema = responseSchema;
    return b;
  }

  /**
   * Which step of the run asks ({@code "planner"}, {@code "joiner"}, {@code "react"}, …), for logs
   * and accounting; never sent to the model.
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

  /** The JSON Schema the reply must match, if the request asks for JSON. */
  public Optional<ResponseSchema> responseSchema() {
    return Optional.ofNullable(responseSchema);
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
        && Objects.equals(maxTokens, that.maxTokens)
        && Objects.equals(responseSchema, that.responseSchema);
  }

  @Override
  public int hashCode() {
    return Objects.hash(purpose, system, messages, stop, temperature, maxTokens, responseSchema);
  }

  /** A short description without the prompt texts, which can be long. */
  @Override
  public String toString() {
    return "LlmRequest[purpose="
        + purpose
        + ", messages="
        + messages.size()
        + ", stop="
        + stop
        + (responseSchema == null ? "" : ", responseSchema=" + responseSchema.name())
        + "]";
  }

  /**
   * A JSON Schema the reply must match, with the name providers show for it.
   *
   * <pre>{@code
   * LlmRequest.ResponseSchema plan = LlmRequest.ResponseSchema.of("plan", schema);
   * }</pre>
   */
  public static final class ResponseSchema {
    private static final java.util.regex.Pattern NAME =
        java.util.regex.Pattern.compile("[a-zA-Z0-9_-]{1,64}");

    private final String name;
    private final JsonNode schema;

    private ResponseSchema(String name, JsonNode schema) {
      this.name = name;
      this.schema = schema;
    }

    /**
     * A response schema.
     *
     * @param name letters, digits, {@code _} and {@code -}, at most 64 (what OpenAI accepts)
     * @param schema a JSON Schema object; it is copied
     * @throws IllegalArgumentException if the name is not of that form or the schema is not an
     *     object
     */
    public static ResponseSchema of(String name, JsonNode schema) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(schema, "schema");
      if (!NAME.matcher(name).matches()) {
        throw new IllegalArgumentException(
            "a response schema's name must be 1 to 64 letters, digits, '_' or '-',"
                + " but was '"
                + name
                + "'");
      }
      if (!schema.isObject()) {
        throw new IllegalArgumentException(
            "a response schema must be a JSON object, but was " + schema);
      }
      return new ResponseSchema(name, schema.deepCopy());
    }

    /** The schema's name, e.g. {@code "plan"}. */
    public String name() {
      return name;
    }

    /** The JSON Schema; it must not be modified. */
    public JsonNode schema() {
      return schema;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof ResponseSchema that
          && name.equals(that.name)
          && schema.equals(that.schema);
    }

    @Override
    public int hashCode() {
      return Objects.hash(name, schema);
    }

    @Override
    public String toString() {
      return "ResponseSchema[" + name + "]";
    }
  }

  /** Builds an {@link LlmRequest}. */
  public static final class Builder {
    private String purpose = "chat";
    private String system = "";
    private final List<LlmMessage> messages = new ArrayList<>();
    private final List<String> stop = new ArrayList<>();
    private Double temperature;
    private Integer maxTokens;
    private ResponseSchema responseSchema;

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
        throw new IllegalArgumentException(
            "temperature must be between 0 and 2, got " + temperature);
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

    /**
     * Asks for a JSON reply matching {@code schema}, or for no particular format ({@code null}, the
     * default).
     */
    public Builder responseSchema(ResponseSchema schema) {
      this.responseSchema = schema;
      return this;
    }

    /** {@link #responseSchema(ResponseSchema)} of {@link ResponseSchema#of(String, JsonNode)}. */
    public Builder responseSchema(String name, JsonNode schema) {
      return responseSchema(ResponseSchema.of(name, schema));
    }

    /**
     * @throws IllegalStateException if there is no message or more than 4 stop sequences
     */
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
