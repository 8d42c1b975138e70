package dev.llmcompiler.runtime.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;

/**
 * Reading a model provider's failures the same way in every {@code LlmClient} adapter: the cause of
 * a given type in an exception's chain, and the provider's own words in an error body. For the
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
