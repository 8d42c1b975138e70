package dev.llmcompiler.testkit;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;

/**
 * What a {@link ScriptedOpenAiServer} answers to one request: a streamed completion (with timing
 * and failure behaviours), an HTTP error, a hang, or anything a custom writer produces.
 *
 * <pre>{@code
 * ScriptedResponse.stream("1. search(", "\"x\")\n", "join()")
 *     .firstChunkDelay(Duration.ofMillis(200))   // time to first token
 *     .chunkDelay(Duration.ofMillis(20))          // between chunks
 *     .usage(120, 9);
 * ScriptedResponse.error(429, "Rate limit reached").retryAfterMillis(10);
 * ScriptedResponse.stream("a", "b", "c").breakAfter(2);   // connection dies mid-stream
 * }</pre>
 *
 * <p>Instances are mutable while being configured; configure one fully before handing it to the
 * server, and do not reuse an instance with a gate ({@link #pauseBefore}) for several requests.
 */
public final class ScriptedResponse {

  /** Writes a response by hand, for anything the built-in behaviours do not cover. */
  @FunctionalInterface
  public interface Writer {
    void write(HttpExchange exchange, RecordedRequest request) throws IOException;
  }

  /**
   * One native function call the model makes ({@code tool_calls}), for peers that use OpenAI's
   * parallel function calling.
   *
   * @param id the call id the client must echo in its {@code tool} message
   * @param name the function name
   * @param argumentsJson the arguments as a JSON object text
   */
  public record ToolCall(String id, String name, String argumentsJson) {
    public ToolCall {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(argumentsJson, "argumentsJson");
    }
  }

  enum Kind {
    STREAM,
    ERROR,
    HANG,
    CUSTOM
  }

  final Kind kind;

  // STREAM
  final List<String> chunks = new ArrayList<>();
  final List<ToolCall> toolCalls = new ArrayList<>();
  final Map<Integer, Duration> delayBefore = new HashMap<>();
  final Map<Integer, CountDownLatch> gates = new HashMap<>();
  Duration chunkDelay = Duration.ZERO;
  Duration firstChunkDelay = Duration.ZERO;
  String finishReason = "stop";
  long[] usage;
  // -1: the usage has no prompt_tokens_details, like servers that do not report a prompt cache.
  long cachedPromptTokens = -1;
  boolean sendUsage = true;
  int breakAfter = -1;
  int hangAfter = -1;
  boolean endWithoutFinish;
  boolean onSchedule;
  String model;

  // ERROR
  int status;
  String errorMessage;
  String errorType;
  String errorCode;
  final Map<String, String> headers = new LinkedHashMap<>();

  // CUSTOM
  Writer writer;

  private ScriptedResponse(Kind kind) {
    this.kind = kind;
  }

  /** A streamed completion whose content arrives as these chunks, in order. */
  public static ScriptedResponse stream(String... chunks) {
    return stream(List.of(chunks));
  }

  /** A streamed completion whose content arrives as these chunks, in order. */
  public static ScriptedResponse stream(List<String> chunks) {
    ScriptedResponse response = new ScriptedResponse(Kind.STREAM);
    response.chunks.addAll(chunks);
    return response;
  }

  /**
   * A completion that calls these functions (one streamed chunk per call, finish reason {@code
   * tool_calls}); combine with {@link #chunkDelay} and friends for timing.
   */
  public static ScriptedResponse toolCalls(ToolCall... calls) {
    ScriptedResponse response = new ScriptedResponse(Kind.STREAM);
    response.toolCalls.addAll(List.of(calls));
    response.finishReason = "tool_calls";
    return response;
  }

  /**
   * An HTTP error with an OpenAI-style body {@code {"error":{"message","type","param","code"}}}.
   */
  public static ScriptedResponse error(int status, String message) {
    ScriptedResponse response = new ScriptedResponse(Kind.ERROR);
    response.status = status;
    response.errorMessage = Objects.requireNonNull(message, "message");
    response.errorType = defaultType(status);
    return response;
  }

  /** Accepts the request and never answers, not even with headers, until the server closes. */
  public static ScriptedResponse hang() {
    return new ScriptedResponse(Kind.HANG);
  }

  /** A response written by hand. */
  public static ScriptedResponse custom(Writer writer) {
    ScriptedResponse response = new ScriptedResponse(Kind.CUSTOM);
    response.writer = Objects.requireNonNull(writer, "writer");
    return response;
  }

  /** Adds a content chunk sent after {@code delay} (instead of the common chunk delay). */
  public ScriptedResponse chunk(String text, Duration delay) {
    requireKind(Kind.STREAM);
    delayBefore.put(chunks.size(), delay);
    chunks.add(text);
    return this;
  }

  /**
   * Adds a native function call sent as its own chunk after {@code delay} (instead of the common
   * chunk delay), e.g. for a latency model that charges each call its decode time. The finish
   * reason becomes {@code tool_calls}.
   */
  public ScriptedResponse toolCall(ToolCall call, Duration delay) {
    requireKind(Kind.STREAM);
    delayBefore.put(chunks.size() + toolCalls.size(), Objects.requireNonNull(delay, "delay"));
    toolCalls.add(Objects.requireNonNull(call, "call"));
    finishReason = "tool_calls";
    return this;
  }

  /**
   * Times chunks by a clock instead of by pauses: each chunk is sent when the sum of the delays up
   * to it has passed since the response started, so the time spent writing chunks and oversleeping
   * does not accumulate over a long stream (as a latency model with per-token costs needs). Gates
   * still hold chunks back; time spent waiting on one is caught up afterwards.
   */
  public ScriptedResponse onSchedule() {
    requireKind(Kind.STREAM);
    this.onSchedule = true;
    return this;
  }

  /** The pause before each chunk after the first. Default none. */
  public ScriptedResponse chunkDelay(Duration delay) {
    requireKind(Kind.STREAM);
    this.chunkDelay = Objects.requireNonNull(delay);
    return this;
  }

  /** The pause between the response headers and the first chunk (time to first token). */
  public ScriptedResponse firstChunkDelay(Duration delay) {
    requireKind(Kind.STREAM);
    this.firstChunkDelay = Objects.requireNonNull(delay);
    return this;
  }

  /**
   * Before sending chunk {@code chunkIndex} (0-based), wait until {@code gate} opens (at most
   * {@link ScriptedOpenAiServer#GATE_LIMIT}, so a broken client cannot hang a test).
   */
  public ScriptedResponse pauseBefore(int chunkIndex, CountDownLatch gate) {
    requireKind(Kind.STREAM);
    gates.put(chunkIndex, Objects.requireNonNull(gate));
    return this;
  }

  /** The finish reason of the last chunk. Default {@code "stop"}. */
  public ScriptedResponse finishReason(String finishReason) {
    requireKind(Kind.STREAM);
    this.finishReason = Objects.requireNonNull(finishReason);
    return this;
  }

  /**
   * The usage reported when the request asks for it ({@code stream_options.include_usage}).
   * Default: prompt tokens = prompt characters / 4, completion tokens = number of chunks. The usage
   * has no {@code prompt_tokens_details} unless {@link #usage(long, long, long)} sets it.
   */
  public ScriptedResponse usage(long promptTokens, long completionTokens) {
    requireKind(Kind.STREAM);
    this.usage = new long[] {promptTokens, completionTokens};
    this.cachedPromptTokens = -1;
    return this;
  }

  /**
   * The usage reported when the request asks for it, with {@code cachedPromptTokens} of the prompt
   * tokens served from the provider's prompt cache ({@code
   * usage.prompt_tokens_details.cached_tokens}, as OpenAI reports it).
   *
   * <pre>{@code
   * ScriptedResponse.stream("Paris").usage(1200, 1, 1024);
   * }</pre>
   *
   * @throws IllegalArgumentException if a count is negative or the cached tokens exceed the prompt
   *     tokens
   */
  public ScriptedResponse usage(long promptTokens, long completionTokens, long cachedPromptTokens) {
    if (cachedPromptTokens < 0 || cachedPromptTokens > promptTokens) {
      throw new IllegalArgumentException(
          "cachedPromptTokens must be between 0 and promptTokens ("
              + promptTokens
              + "), got "
              + cachedPromptTokens);
    }
    usage(promptTokens, completionTokens);
    this.cachedPromptTokens = cachedPromptTokens;
    return this;
  }

  /** Never send a usage chunk, like servers that ignore {@code include_usage}. */
  public ScriptedResponse noUsage() {
    requireKind(Kind.STREAM);
    this.sendUsage = false;
    return this;
  }

  /** The {@code model} echoed in chunks. Default: the requested model. */
  public ScriptedResponse model(String model) {
    requireKind(Kind.STREAM);
    this.model = model;
    return this;
  }

  /** After {@code chunks} chunks, drop the connection without ending the HTTP body. */
  public ScriptedResponse breakAfter(int chunks) {
    requireKind(Kind.STREAM);
    this.breakAfter = chunks;
    return this;
  }

  /** After {@code chunks} chunks, send nothing more (keeping the connection) until close. */
  public ScriptedResponse hangAfter(int chunks) {
    requireKind(Kind.STREAM);
    this.hangAfter = chunks;
    return this;
  }

  /** End the body cleanly after the content, but with no finish reason, usage or [DONE]. */
  public ScriptedResponse endWithoutFinish() {
    requireKind(Kind.STREAM);
    this.endWithoutFinish = true;
    return this;
  }

  /** The OpenAI error {@code type}. Default derived from the status. */
  public ScriptedResponse type(String type) {
    requireKind(Kind.ERROR);
    this.errorType = type;
    return this;
  }

  /** The OpenAI error {@code code}, e.g. {@code "model_not_found"}. */
  public ScriptedResponse code(String code) {
    requireKind(Kind.ERROR);
    this.errorCode = code;
    return this;
  }

  /** Adds {@code Retry-After: seconds}. */
  public ScriptedResponse retryAfterSeconds(long seconds) {
    return header("Retry-After", Long.toString(seconds));
  }

  /** Adds OpenAI's {@code retry-after-ms} header. */
  public ScriptedResponse retryAfterMillis(long millis) {
    return header("retry-after-ms", Long.toString(millis));
  }

  /** Adds a response header (errors only; streams always send their own). */
  public ScriptedResponse header(String name, String value) {
    requireKind(Kind.ERROR);
    headers.put(name, value);
    return this;
  }

  private void requireKind(Kind expected) {
    if (kind != expected) {
      throw new IllegalStateException(
          "this option applies to " + expected + " responses, not " + kind);
    }
  }

  private static String defaultType(int status) {
    if (status == 401 || status == 403) {
      return "invalid_request_error";
    }
    if (status == 429) {
      return "rate_limit_exceeded";
    }
    if (status >= 500) {
      return "server_error";
    }
    return "invalid_request_error";
  }
}
