package dev.llmcompiler.runtime.llm;

import java.util.OptionalInt;

/**
 * An LLM call failed: the provider refused it, the connection or stream broke, or the answer could
 * not be read. The message says what happened and, where it can, what to do.
 */
public class LlmException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What kind of failure it was, so callers can decide whether to try again. */
  public enum Kind {
    /** The provider rejected the call for too many requests (HTTP 429), after any retries. */
    RATE_LIMITED,
    /** The credentials were missing or rejected (HTTP 401/403). */
    AUTHENTICATION,
    /** The request was invalid for the provider (HTTP 400/404/422), e.g. an unknown model. */
    BAD_REQUEST,
    /** The provider failed (HTTP 5xx) or could not be reached, after any retries. */
    UNAVAILABLE,
    /** No answer, or no next piece of the stream, within the configured time. */
    TIMEOUT,
    /** The stream ended or broke before the provider said it was done. */
    STREAM_BROKEN,
    /** Anything else. */
    OTHER
  }

  private final Kind kind;
  private final int statusCode;

  public LlmException(Kind kind, String message) {
    this(kind, -1, message, null);
  }

  public LlmException(Kind kind, String message, Throwable cause) {
    this(kind, -1, message, cause);
  }

  /**
   * @param statusCode the HTTP status, or -1 if there was none
   */
  public LlmException(Kind kind, int statusCode, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.statusCode = statusCode;
  }

  /** What kind of failure it was. */
  public Kind kind() {
    return kind;
  }

  /** The HTTP status the provider answered with, if any. */
  public OptionalInt statusCode() {
    return statusCode < 0 ? OptionalInt.empty() : OptionalInt.of(statusCode);
  }
}
