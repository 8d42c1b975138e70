package dev.llmcompiler.runtime.llm;

import java.util.Objects;

/**
 * One message of a chat: who said it and what.
 *
 * @param role {@link Role#USER} or {@link Role#ASSISTANT}; the system prompt travels separately in
 *     {@link LlmRequest#system()}
 * @param content the text
 */
public record LlmMessage(Role role, String content) {

  /** Who said a message. */
  public enum Role {
    /** The application, speaking for the user. */
    USER,
    /** The model. */
    ASSISTANT
  }

  public LlmMessage {
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(content, "content");
  }

  /** A user message. */
  public static LlmMessage user(String content) {
    return new LlmMessage(Role.USER, content);
  }

  /** An assistant message. */
  public static LlmMessage assistant(String content) {
    return new LlmMessage(Role.ASSISTANT, content);
  }
}
