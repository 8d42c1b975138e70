package dev.llmcompiler.springai;

import static dev.llmcompiler.runtime.internal.ProviderErrors.find;
import static dev.llmcompiler.runtime.internal.ProviderErrors.isConnectFailure;
import static dev.llmcompiler.runtime.internal.ProviderErrors.isTimeout;
import static dev.llmcompiler.runtime.internal.ProviderErrors.kindOf;
import static dev.llmcompiler.runtime.internal.ProviderErrors.serverMessage;
import static dev.llmcompiler.runtime.internal.ProviderErrors.transportFailure;

import dev.llmcompiler.runtime.internal.Secrets;
import dev.llmcompiler.runtime.llm.LlmException;
import dev.llmcompiler.runtime.llm.LlmException.Kind;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * Turns what a Spring AI model's stream fails with into an {@link LlmException}: the HTTP status
 * and the provider's message where the error carries them (the {@code WebClientResponseException}
 * of Spring AI's WebClient-based providers), otherwise what the cause chain says (a timeout, a
 * refused connection, a broken stream).
 */
final class ErrorTranslator {
  private static final boolean WEBFLUX_ON_CLASS_PATH =
      ClassPresence.present(
          "org.springframework.web.reactive.function.client.WebClientResponseException");

  /** An HTTP error response: its status and body. */
  record HttpError(int status, String body) {}

  private final String model;

  /**
   * @param model names the model in messages, e.g. {@code OpenAiChatModel}
   */
  ErrorTranslator(String model) {
    this.model = model;
  }

  /**
   * The failure as an {@link LlmException}, with anything shaped like a credential masked in its
   * message and its causes' ({@link Secrets}): providers echo keys back in error bodies.
   *
   * @param charsDelivered how much text had reached the listener before the failure: an I/O error
   *     after some text is a broken stream, before any text an unreachable or failing server
   */
  LlmException translate(Throwable failure, int charsDelivered) {
    return Secrets.mask(unmasked(failure, charsDelivered), List.of());
  }

  private LlmException unmasked(Throwable failure, int charsDelivered) {
    HttpError http = WEBFLUX_ON_CLASS_PATH ? WebClientErrors.find(failure) : null;
    if (http != null) {
      return fromStatus(http.status(), serverMessage(http.body()), failure);
    }
    boolean timedOut = find(failure, TimeoutException.class) != null || isTimeout(failure);
    return transportFailure(prefix(), failure, charsDelivered, timedOut, isConnectFailure(failure));
  }

  private LlmException fromStatus(int status, String serverSays, Throwable failure) {
    Kind kind = kindOf(status);
    String advice =
        switch (kind) {
          case AUTHENTICATION ->
              "The API key was rejected or lacks access: check the key the model's API client was"
                  + " built with (spring.ai.openai.api-key for Spring AI's OpenAI starter).";
          case RATE_LIMITED ->
              "Rate limited. Wait before trying again, run fewer calls at once, or raise the"
                  + " account's limits.";
          case BAD_REQUEST ->
              "The provider rejected the request: check the model name and the model's default"
                  + " options.";
          case TIMEOUT -> "The provider timed out the request.";
          case UNAVAILABLE -> "The provider failed. Try again later.";
          default -> "Unexpected response status.";
        };
    return new LlmException(
        kind, status, prefix() + "HTTP " + status + ": " + serverSays + ". " + advice, failure);
  }

  private String prefix() {
    return "The Spring AI model " + model + " failed: ";
  }
}
