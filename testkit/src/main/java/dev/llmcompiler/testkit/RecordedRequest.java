package dev.llmcompiler.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One request a {@link ScriptedOpenAiServer} received, with the parsed JSON body, convenient
 * accessors for the chat-completion fields tests assert on, and what became of the response.
 */
public final class RecordedRequest {

  /** How the server's response to a request ended. */
  public enum Outcome {
    /** The whole scripted response was written. */
    COMPLETED,
    /** A write failed because the client had closed the connection. */
    CLIENT_DISCONNECTED,
    /** The script broke the connection on purpose ({@link ScriptedResponse#breakAfter}). */
    BROKEN_BY_SCRIPT,
    /** The script hung until the server closed ({@link ScriptedResponse#hang}, hangAfter). */
    HUNG_UNTIL_SERVER_CLOSED
  }

  /** One chat message as sent. */
  public record Message(String role, String content) {}

  private final int index;
  private final String method;
  private final String path;
  private final Map<String, List<String>> headers;
  private final String bodyText;
  private final JsonNode body;
  private final int clientPort;
  private final AtomicInteger chunksSent = new AtomicInteger();
  private final CompletableFuture<Outcome> outcome = new CompletableFuture<>();

  RecordedRequest(
      int index,
      String method,
      String path,
      Map<String, List<String>> headers,
      String bodyText,
      JsonNode body,
      int clientPort) {
    this.index = index;
    this.method = method;
    this.path = path;
    this.headers = headers;
    this.bodyText = bodyText;
    this.body = body;
    this.clientPort = clientPort;
  }

  /**
   * The client's port for this request's connection: equal ports on sequential requests mean the
   * client reused a kept-alive connection.
   */
  public int clientPort() {
    return clientPort;
  }

  /** 0 for the first request the server received, then 1, 2, … */
  public int index() {
    return index;
  }

  public String method() {
    return method;
  }

  /** The request path, e.g. {@code /v1/chat/completions}. */
  public String path() {
    return path;
  }

  /** The first value of a header (case-insensitive name). */
  public Optional<String> header(String name) {
    List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  /** All headers, names in lower case. */
  public Map<String, List<String>> headers() {
    return headers;
  }

  /** The raw body. */
  public String bodyText() {
    return bodyText;
  }

  /** The body as JSON (a missing node if it was not JSON). */
  public JsonNode body() {
    return body;
  }

  /** {@code model}, or "" if absent. */
  public String model() {
    return body.path("model").asText("");
  }

  /** {@code messages}, in order; content parts are joined if the content is an array. */
  public List<Message> messages() {
    List<Message> messages = new ArrayList<>();
    for (JsonNode message : body.path("messages")) {
      JsonNode content = message.path("content");
      String text;
      if (content.isArray()) {
        StringBuilder joined = new StringBuilder();
        content.forEach(part -> joined.append(part.path("text").asText("")));
        text = joined.toString();
      } else {
        text = content.asText("");
      }
      messages.add(new Message(message.path("role").asText(""), text));
    }
    return messages;
  }

  /** The text of the last user message, or "" if none. */
  public String lastUserMessage() {
    List<Message> messages = messages();
    for (int i = messages.size() - 1; i >= 0; i--) {
      if (messages.get(i).role().equals("user")) {
        return messages.get(i).content();
      }
    }
    return "";
  }

  /** {@code stop} as a list (a single string becomes a one-element list). */
  public List<String> stop() {
    JsonNode stop = body.path("stop");
    List<String> result = new ArrayList<>();
    if (stop.isTextual()) {
      result.add(stop.asText());
    } else {
      stop.forEach(s -> result.add(s.asText()));
    }
    return result;
  }

  /** {@code stream}. */
  public boolean stream() {
    return body.path("stream").asBoolean(false);
  }

  /** {@code stream_options.include_usage}. */
  public boolean includeUsage() {
    return body.path("stream_options").path("include_usage").asBoolean(false);
  }

  /** {@code temperature}, if sent. */
  public OptionalDouble temperature() {
    JsonNode t = body.path("temperature");
    return t.isNumber() ? OptionalDouble.of(t.asDouble()) : OptionalDouble.empty();
  }

  /** {@code max_tokens}, if sent. */
  public OptionalLong maxTokens() {
    JsonNode t = body.path("max_tokens");
    return t.isNumber() ? OptionalLong.of(t.asLong()) : OptionalLong.empty();
  }

  /** {@code max_completion_tokens}, if sent. */
  public OptionalLong maxCompletionTokens() {
    JsonNode t = body.path("max_completion_tokens");
    return t.isNumber() ? OptionalLong.of(t.asLong()) : OptionalLong.empty();
  }

  /**
   * How many chunks of a streamed response the server has written so far, counting the one being
   * written (so a client that has read a chunk never sees a count that excludes it).
   */
  public int chunksSent() {
    return chunksSent.get();
  }

  /** Completes when the server is done with this request, saying how it ended. */
  public CompletableFuture<Outcome> outcome() {
    return outcome;
  }

  void chunkSent() {
    chunksSent.incrementAndGet();
  }

  void finish(Outcome how) {
    outcome.complete(how);
  }

  @Override
  public String toString() {
    return "RecordedRequest#" + index + "[" + method + " " + path + ", model=" + model() + "]";
  }
}
