package dev.llmcompiler.openai;

import static dev.llmcompiler.runtime.internal.ProviderErrors.find;
import static dev.llmcompiler.runtime.internal.ProviderErrors.isConnectFailure;
import static dev.llmcompiler.runtime.internal.ProviderErrors.kindOf;
import static dev.llmcompiler.runtime.internal.ProviderErrors.rootMessage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.openai.core.JsonValue;
import com.openai.errors.OpenAIInvalidDataException;
import com.openai.errors.OpenAIServiceException;
import com.openai.errors.SseException;
import dev.llmcompiler.runtime.internal.Secrets;
import dev.llmcompiler.runtime.llm.LlmException;
import dev.llmcompiler.runtime.llm.LlmException.Kind;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Turns what the SDK throws into an {@link LlmException} whose kind lets the runtime decide what to
 * do and whose message tells a person what happened and what to change.
 *
 * <p>Every exception it makes is masked ({@link Secrets}): the configured API key, and anything
 * shaped like a credential, never reach its message or its causes, even when the server echoes them
 * in an error body ({@code Incorrect API key provided: sk-...}).
 */
final class ErrorTranslator {
  private final String baseUrl;
  private final String model;
  private final int maxRetries;
  private final Duration connectTimeout;
  private final Duration idleTimeout;
  private final Duration callTimeout;
  private final List<String> secrets;

  /**
   * @param apiKey the key the client sends, masked wherever it appears
   */
  ErrorTranslator(
      String baseUrl,
      String model,
      int maxRetries,
      Duration connectTimeout,
      Duration idleTimeout,
      Duration callTimeout,
      String apiKey) {
    this.baseUrl = baseUrl;
    this.model = model;
    this.maxRetries = maxRetries;
    this.connectTimeout = connectTimeout;
    this.idleTimeout = idleTimeout;
    this.callTimeout = callTimeout;
    this.secrets = apiKey == null ? List.of() : List.of(apiKey);
  }

  /**
   * @param streamOpened whether the response headers had arrived (so the failure is mid-stream)
   * @param charsReceived how much text had been delivered before the failure
   */
  LlmException translate(Throwable failure, boolean streamOpened, int charsReceived) {
    return Secrets.mask(unmasked(failure, streamOpened, charsReceived), secrets);
  }

  /** The call ran past {@code callTimeout}, however steadily its text was arriving. */
  LlmException callTimedOut() {
    return Secrets.mask(
        new LlmException(
            Kind.TIMEOUT,
            "The call to "
                + baseUrl
                + " did not finish within "
                + human(callTimeout)
                + ", the limit on one whole call (callTimeout); it was aborted. The server may be"
                + " streaming without end; raise callTimeout if answers this long are expected."),
        secrets);
  }

  private LlmException unmasked(Throwable failure, boolean streamOpened, int charsReceived) {
    OpenAIServiceException service = find(failure, OpenAIServiceException.class);
    if (service != null) {
      return fromStatus(service, streamOpened, charsReceived);
    }
    SocketTimeoutException timeout = find(failure, SocketTimeoutException.class);
    if (timeout != null && !streamOpened && mentionsConnect(timeout)) {
      return new LlmException(
          Kind.UNAVAILABLE,
          "Could not connect to "
              + baseUrl
              + " within the connect timeout of "
              + human(connectTimeout)
              + ". Check that the server is running and reachable (OPENAI_BASE_URL), or raise"
              + " connectTimeout.",
          failure);
    }
    if (timeout != null || isOkioTimeout(failure)) {
      return new LlmException(
          Kind.TIMEOUT,
          "No data from "
              + baseUrl
              + " for "
              + human(idleTimeout)
              + " (the idle timeout between two pieces of the response) "
              + (streamOpened
                  ? "after " + charsReceived + " characters of text had arrived"
                  : "while waiting for the response to begin")
              + ". The server may be overloaded or the model slow to start; raise idleTimeout if"
              + " this is expected.",
          failure);
    }
    if (!streamOpened && isConnectFailure(failure)) {
      return new LlmException(
          Kind.UNAVAILABLE,
          "Could not reach "
              + baseUrl
              + ": "
              + rootMessage(failure)
              + ". Check that the server is running and that OPENAI_BASE_URL (or"
              + " builder().baseUrl(...)) points at it"
              + retriesNote()
              + ".",
          failure);
    }
    if (streamOpened
        && (find(failure, IOException.class) != null
            || find(failure, OpenAIInvalidDataException.class) != null)) {
      String what =
          find(failure, EOFException.class) != null
              ? "the connection closed before the response was complete"
              : rootMessage(failure);
      return streamBroken(what, charsReceived, failure);
    }
    if (!streamOpened && find(failure, IOException.class) != null) {
      return new LlmException(
          Kind.UNAVAILABLE,
          "The request to "
              + baseUrl
              + " failed before a response arrived: "
              + rootMessage(failure)
              + retriesNote()
              + ".",
          failure);
    }
    return new LlmException(
        Kind.OTHER,
        "The chat completion call to " + baseUrl + " failed: " + rootMessage(failure),
        failure);
  }

  /** The stream ended cleanly but without saying it was done. */
  LlmException endedWithoutFinish(int charsReceived) {
    return Secrets.mask(
        streamBroken("the stream ended without a finish reason", charsReceived, null), secrets);
  }

  private LlmException streamBroken(String what, int charsReceived, Throwable cause) {
    return new LlmException(
        Kind.STREAM_BROKEN,
        -1,
        "The response stream from "
            + baseUrl
            + " broke after "
            + charsReceived
            + " characters of text had arrived ("
            + what
            + "). The partial answer was discarded; retry the call.",
        cause);
  }

  private LlmException fromStatus(
      OpenAIServiceException e, boolean streamOpened, int charsReceived) {
    int status = e.statusCode();
    String serverSays = serverMessage(e);
    if (e instanceof SseException) {
      // An error event inside a 200 stream: the HTTP status says nothing about it.
      return streamBroken("the server sent an error event: " + serverSays, charsReceived, e);
    }
    Kind kind = kindOf(status);
    String advice =
        switch (kind) {
          case AUTHENTICATION ->
              "The API key was rejected or lacks access: set OPENAI_API_KEY to a valid key (or"
                  + " call builder().apiKey(...)).";
          case RATE_LIMITED ->
              "Rate limited"
                  + retriesNote()
                  + ". Wait before trying again, run fewer calls at once, or raise maxRetries or the"
                  + " account's limits.";
          case BAD_REQUEST ->
              "The server rejected the request for model '"
                  + model
                  + "'. Check the model name (OPENAI_MODEL or builder().model(...)) and that the"
                  + " server supports chat completions with streaming.";
          case TIMEOUT -> "The server timed out the request" + retriesNote() + ".";
          case UNAVAILABLE ->
              "The server failed" + retriesNote() + ". Try again later or check the server.";
          default -> "Unexpected response status.";
        };
    return new LlmException(
        kind, status, "HTTP " + status + " from " + baseUrl + ": " + serverSays + ". " + advice, e);
  }

  private String retriesNote() {
    return maxRetries == 0
        ? " (retries are off: maxRetries is 0)"
        : " (after up to " + maxRetries + (maxRetries == 1 ? " retry)" : " retries)");
  }

  /**
   * The provider's own words: OpenAI and vLLM send {@code {"error":{"message":…}}}, some servers
   * {@code {"error":"…"}} or {@code {"message":…}}.
   */
  private static String serverMessage(OpenAIServiceException e) {
    JsonNode body = toJson(e.body());
    JsonNode error = body.path("error");
    if (error.path("message").isTextual()) {
      return error.path("message").asText();
    }
    if (error.isTextual()) {
      return error.asText();
    }
    if (body.path("message").isTextual()) {
      return body.path("message").asText();
    }
    if (body.isTextual() && !body.asText().isBlank()) {
      return body.asText();
    }
    String own = e.getMessage();
    return own == null || own.isBlank() ? "(no error message)" : own;
  }

  private static JsonNode toJson(JsonValue value) {
    try {
      JsonNode node = value.convert(JsonNode.class);
      return node == null ? MissingNode.getInstance() : node;
    } catch (RuntimeException notJson) {
      return MissingNode.getInstance();
    }
  }

  private static boolean mentionsConnect(SocketTimeoutException e) {
    return e.getMessage() != null && e.getMessage().toLowerCase(Locale.ROOT).contains("connect");
  }

  /**
   * OkHttp reports an expired okio timeout as a plain {@code InterruptedIOException("timeout")}.
   */
  private static boolean isOkioTimeout(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof InterruptedIOException && "timeout".equals(t.getMessage())) {
        return true;
      }
    }
    return false;
  }

  static String human(Duration duration) {
    long millis = duration.toMillis();
    if (millis % 60_000 == 0) {
      return (millis / 60_000) + " min";
    }
    return millis % 1000 == 0 ? (millis / 1000) + " s" : millis + " ms";
  }
}
