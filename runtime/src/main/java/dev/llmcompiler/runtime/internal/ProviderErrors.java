package dev.llmcompiler.runtime.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmcompiler.runtime.llm.LlmException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
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

  /** Whether the chain holds a socket or JDK HTTP client timeout. */
  public static boolean isTimeout(Throwable failure) {
    return find(failure, SocketTimeoutException.class) != null
        || find(failure, HttpTimeoutException.class) != null;
  }

  /**
   * A failure that carries no HTTP status, worded the same for every adapter: a timeout, a server
   * that could not be reached, a stream that broke after some text, a request that failed before
   * any, or anything else.
   *
   * @param prefix names the client and model, e.g. {@code "The Spring AI model X failed: "}
   * @param charsDelivered how much text the listener had received: an I/O error after some text is
   *     a broken stream
   * @param timedOut whether the call timed out (the adapter's own timeout types, or {@link
   *     #isTimeout})
   * @param unreachable whether the server could not be reached ({@link #isConnectFailure}, or the
   *     adapter's own types); counted only before any text arrived
   */
  public static LlmException transportFailure(
      String prefix, Throwable failure, int charsDelivered, boolean timedOut, boolean unreachable) {
    if (timedOut) {
      return new LlmException(
          LlmException.Kind.TIMEOUT,
          prefix
              + "timed out "
              + (charsDelivered > 0
                  ? "after " + charsDelivered + " characters of text"
                  : "before any text arrived")
              + ": "
              + rootMessage(failure)
              + ". Raise the model's timeout if this is expected.",
          failure);
    }
    if (charsDelivered == 0 && unreachable) {
      return new LlmException(
          LlmException.Kind.UNAVAILABLE,
          prefix
              + "could not reach the provider: "
              + rootMessage(failure)
              + ". Check that the server is running and that the model's base URL points at it.",
          failure);
    }
    if (find(failure, IOException.class) != null) {
      return charsDelivered > 0
          ? new LlmException(
              LlmException.Kind.STREAM_BROKEN,
              prefix
                  + "the response stream broke after "
                  + charsDelivered
                  + " characters of text had arrived ("
                  + rootMessage(failure)
                  + "). The partial answer was discarded; retry the call.",
              failure)
          : new LlmException(
              LlmException.Kind.UNAVAILABLE,
              prefix
                  + "the request failed before a response arrived: "
                  + rootMessage(failure)
                  + ".",
              failure);
    }
    return new LlmException(
        LlmException.Kind.OTHER, prefix + "the call failed: " + rootMessage(failure), failure);
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
