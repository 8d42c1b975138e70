package dev.llmcompiler.runtime.llm;

import java.util.Objects;

/**
 * One message of a chat: who said it and what. The system prompt travels separately, in {@link
 * LlmRequest#system()}.
 *
 * <pre>{@code
 * LlmMessage question = LlmMessage.user("What is the capital of France?");
 * LlmMessage answer = LlmMessage.assistant("Paris.");
 * LlmMessage same = LlmMessage.builder().role(LlmMessage.Role.USER).content("Hi").build();
 * }</pre>
 */
public final class LlmMessage {

  /** Who said a message. */
  public enum Role {
    /** The application, speaking for the user. */
    USER,
    /** The model. */
    ASSISTANT
  }

  private final Role role;
  private final String content;

  private LlmMessage(Role role, String content) {
    this.role = role;
    this.content = content;
  }

  /** A user message. */
  public static LlmMessage user(String content) {
    return builder().role(Role.USER).content(content).build();
  }

  /** An assistant message. */
  public static LlmMessage assistant(String content) {
    return builder().role(Role.ASSISTANT).content(content).build();
  }

  /** A builder for an {@link LlmMessage}; role and content are required. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this message's values. */
  public Builder toBuilder() {
    return builder().role(role).content(content);
  }

  /** {@link Role#USER} or {@link Role#ASSISTANT}. */
  public Role role() {
    return role;
  }

  /** The text. */
  public String content() {
    return content;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LlmMessage that && role == that.role && content.equals(that.content);
  }

  @Override
  public int hashCode() {
    return Objects.hash(role, content);
  }

  @Override
  public String toString() {
    return "LlmMessage[role=" + role + ", content=" + content + "]";
  }

  /** Builds an {@link LlmMessage}. */
  public static final class Builder {
    private Role role;
    private String content;

    private Builder() {}

    /** Who said it. Required. */
    public Builder role(Role role) {
      this.role = Objects.requireNonNull(role, "role");
      return this;
    }

    /** The text; may be empty. Required. */
    public Builder content(String content) {
      this.content = Objects.requireNonNull(content, "content");
      return this;
    }

    /**
     * @throws IllegalStateException if the role or the content was not set
     */
    public LlmMessage build() {
      if (role == null) {
        throw new IllegalStateException("`role` is required but was not set");
      }
      if (content == null) {
        throw new IllegalStateException("`content` is required but was not set");
      }
      return new LlmMessage(role, content);
    }
  }
}
