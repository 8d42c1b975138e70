package dev.llmcompiler.runtime.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmcompiler.runtime.llm.LlmException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;

/**
 * Reading a model provider's failures the same way in every {@code LlmClient} adapter: the cause of
 * a given type in an exception's chain, the root cause in words, whether the server could not be
 * reached, what an HTTP status means, and the provider's own words in an error body. For the
 * project's modules only: no compatibility promise.
 */
public final class ProviderErrors {
  private ProviderErrors() {}

  /** The first {@code type} in {@code failure}'s cause chain (at most 20 deep), or {@code null}. */
  public static <T extends Throwable> T find(Throwable failure, Class<T> type) {
    int depth = 0;
    for (Throwable t = failure; t != null && depth < 20; t = t.getCause(), depth++) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }

  /** The innermost cause (at most 20 deep) as {@code SimpleName: message}, for a message. */
  public static String rootMessage(Throwable failure) {
    Throwable root = failure;
    int depth = 0;
    while (root.getCause() != null && root.getCause() != root && depth++ < 20) {
      root = root.getCause();
    }
    String message = root.getMessage();
    return root.getClass().getSimpleName()
        + (message == null || message.isBlank() ? "" : ": " + message);
  }

  /** Whether the chain says the server could not be reached at all (refused, unknown host, ...). */
  public static boolean isConnectFailure(Throwable failure) {
    return find(failure, ConnectException.class) != null
        || find(failure, UnknownHostException.class) != null
        || find(failure, NoRouteToHostException.class) != null
        || find(failure, UnresolvedAddressException.class) != null;
  }

  /**
   * What an HTTP error status means for the caller: 401/403 {@code AUTHENTICATION}, 429 {@code
   * RATE_LIMITED}, 400/404/422 {@code BAD_REQUEST}, 408 {@code TIMEOUT}, 5xx {@code UNAVAILABLE},
   * anything else {@code OTHER}.
   */
  public static LlmException.Kind kindOf(int status) {
    if (status == 401 || status == 403) {
      return LlmException.Kind.AUTHENTICATION;
    }
    if (status == 429) {
      return LlmException.Kind.RATE_LIMITED;
    }
    if (status == 400 || status == 404 || status == 422) {
      return LlmException.Kind.BAD_REQUEST;
    }
    if (status == 408) {
      return LlmException.Kind.TIMEOUT;
    }
    return status >= 500 ? LlmException.Kind.UNAVAILABLE : LlmException.Kind.OTHER;
  }

  /**
   * The provider's own words from an error body: OpenAI-style {@code {"error":{"message":…}}},
   * {@code {"error":"…"}} or {@code {"message":…}}; else the body as it is.
   */
  public static String serverMessage(String body) {
    if (body == null || body.isBlank()) {
      return "(no error message)";
    }
    JsonNode json;
    try {
      json = Json.MAPPER.readTree(body);
    } catch (IOException | RuntimeException notJson) {
      return body.strip();
    }
    JsonNode error = json == null ? null : json.path("error");
    if (error != null && error.path("message").isTextual()) {
      return error.path("message").asText();
    }
    if (error != null && error.isTextual()) {
      return error.asText();
    }
    if (json != null && json.path("message").isTextual()) {
      return json.path("message").asText();
    }
    return body.strip();
  }
}
