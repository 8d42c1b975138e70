package dev.llmcompiler.springai;

import dev.llmcompiler.runtime.internal.ProviderErrors;
import org.springframework.web.reactive.function.client.WebClientResponseException;

/**
 * The HTTP status and body of the error a WebClient-based provider (OpenAI, Anthropic, Mistral,
 * Ollama, …) raises while streaming. {@code spring-webflux} is optional for this module, so this
 * class is loaded only after {@link ErrorTranslator} has found it.
 */
final class WebClientErrors {
  private WebClientErrors() {}

  /**
   * The first {@link WebClientResponseException} in the chain as status and body, or {@code null}
   * if there is none or it is not an error status: a 200 whose body broke off is a broken stream.
   */
  static ErrorTranslator.HttpError find(Throwable failure) {
    WebClientResponseException response =
        ProviderErrors.find(failure, WebClientResponseException.class);
    if (response == null || response.getStatusCode().value() < 400) {
      return null;
    }
    return new ErrorTranslator.HttpError(
        response.getStatusCode().value(), response.getResponseBodyAsString());
  }
}
