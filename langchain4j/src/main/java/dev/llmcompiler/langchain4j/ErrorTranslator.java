package dev.llmcompiler.langchain4j;

import static dev.llmcompiler.runtime.internal.ProviderErrors.find;
import static dev.llmcompiler.runtime.internal.ProviderErrors.isTimeout;
import static dev.llmcompiler.runtime.internal.ProviderErrors.kindOf;
import static dev.llmcompiler.runtime.internal.ProviderErrors.rootMessage;
import static dev.llmcompiler.runtime.internal.ProviderErrors.serverMessage;
import static dev.llmcompiler.runtime.internal.ProviderErrors.transportFailure;

import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.ModelNotFoundException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.exception.TimeoutException;
import dev.langchain4j.exception.UnresolvedModelServerException;
import dev.langchain4j.exception.UnsupportedFeatureException;
import dev.llmcompiler.runtime.internal.ProviderErrors;
import dev.llmcompiler.runtime.internal.Secrets;
import dev.llmcompiler.runtime.llm.LlmException;
import dev.llmcompiler.runtime.llm.LlmException.Kind;
import java.util.List;

/**
 * Turns what a LangChain4j model reports to {@code onError} into an {@link LlmException}: the HTTP
 * status where the provider's client kept it ({@link HttpException}, which LangChain4j's own HTTP
 * clients raise), otherwise LangChain4j's exception types ({@link RateLimitException}, {@link
 * AuthenticationException}, …), which every provider module maps its own errors to.
 */
final class ErrorTranslator {
  private final String model;

  /**
   * @param model names the model in messages, e.g. {@code OpenAiStreamingChatModel}
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
    HttpException http = find(failure, HttpException.class);
    if (http != null) {
      return fromStatus(http.statusCode(), serverMessage(http.getMessage()), failure);
    }
    if (find(failure, RateLimitException.class) != null) {
      return new LlmException(
          Kind.RATE_LIMITED,
          prefix()
              + "rate limited: "
              + rootMessage(failure)
              + ". Wait before trying again, run fewer calls at once, or raise the account's limits.",
          failure);
    }
    if (find(failure, AuthenticationException.class) != null) {
      return new LlmException(
          Kind.AUTHENTICATION,
          prefix()
              + "the credentials were rejected: "
              + rootMessage(failure)
              + ". Check the API key the model was built with.",
          failure);
    }
    if (find(failure, ModelNotFoundException.class) != null
        || find(failure, InvalidRequestException.class) != null) {
      return new LlmException(
          Kind.BAD_REQUEST,
          prefix()
              + "the provider rejected the request: "
              + rootMessage(failure)
              + ". Check the model name and the options the model was built with.",
          failure);
    }
    if (find(failure, UnsupportedFeatureException.class) != null) {
      return new LlmException(
          Kind.BAD_REQUEST,
          prefix()
              + "the model does not support an option the request used: "
              + rootMessage(failure)
              + ".",
          failure);
    }
    boolean timedOut = find(failure, TimeoutException.class) != null || isTimeout(failure);
    if (!timedOut && find(failure, InternalServerException.class) != null) {
      return new LlmException(
          Kind.UNAVAILABLE,
          prefix() + "the provider failed: " + rootMessage(failure) + ". Try again later.",
          failure);
    }
    return transportFailure(prefix(), failure, charsDelivered, timedOut, isConnectFailure(failure));
  }

  private LlmException fromStatus(int status, String serverSays, Throwable failure) {
    Kind kind = kindOf(status);
    String advice =
        switch (kind) {
          case AUTHENTICATION ->
              "The API key was rejected or lacks access: check the key the model was built with.";
          case RATE_LIMITED ->
              "Rate limited. Wait before trying again, run fewer calls at once, or raise the"
                  + " account's limits.";
          case BAD_REQUEST ->
              "The provider rejected the request: check the model name and the options the model"
                  + " was built with.";
          case TIMEOUT -> "The provider timed out the request.";
          case UNAVAILABLE -> "The provider failed. Try again later.";
          default -> "Unexpected response status.";
        };
    return new LlmException(
        kind, status, prefix() + "HTTP " + status + ": " + serverSays + ". " + advice, failure);
  }

  private String prefix() {
    return "The LangChain4j model " + model + " failed: ";
  }

  private static boolean isConnectFailure(Throwable failure) {
    return ProviderErrors.isConnectFailure(failure)
        || find(failure, UnresolvedModelServerException.class) != null;
  }
}
