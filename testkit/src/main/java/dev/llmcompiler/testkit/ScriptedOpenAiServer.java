package dev.llmcompiler.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * An OpenAI-compatible chat-completions server on loopback for tests and benchmarks: real HTTP,
 * real Server-Sent Events ({@code data: {chunk}\n\n} … {@code data: [DONE]\n\n}, flushed chunk by
 * chunk), with responses scripted per request.
 *
 * <pre>{@code
 * try (ScriptedOpenAiServer server = ScriptedOpenAiServer.start()) {
 *   server.enqueue(ScriptedResponse.error(429, "slow down").retryAfterMillis(0));
 *   server.respondWith(request -> request.lastUserMessage().contains("plan")
 *       ? ScriptedResponse.stream("1. search(\"x\")\n", "join()<END_OF_PLAN>")
 *       : ScriptedResponse.stream("Finish(42)"));
 *   OpenAiLlm llm = OpenAiLlm.builder().baseUrl(server.baseUrl()).build();
 *   ...
 *   assertThat(server.request(1).includeUsage()).isTrue();
 * }
 * }</pre>
 *
 * <p>Each request to {@code POST …/chat/completions} is answered by the next {@linkplain #enqueue
 * queued} response, else by the {@linkplain #respondWith responder}, else with a 500 saying that
 * nothing was scripted. Streamed responses honour the request: {@code stream: false} gets one
 * {@code chat.completion} JSON (after the same total delay), and usage is sent only when {@code
 * stream_options.include_usage} asks for it. Every request is recorded ({@link #requests()}) with
 * its parsed body and how its response ended.
 *
 * <p>The server binds 127.0.0.1 on a free port and runs each exchange on its own daemon thread, so
 * slow or hanging responses never hold up others. {@link #close()} releases hanging responses and
 * stops everything.
 */
public final class ScriptedOpenAiServer implements AutoCloseable {

  /** The longest a {@linkplain ScriptedResponse#pauseBefore gate} is awaited. */
  public static final Duration GATE_LIMIT = Duration.ofSeconds(10);

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AtomicInteger SERVER_THREADS = new AtomicInteger();

  private final HttpServer server;
  private final ExecutorService exchanges;
  private final Queue<ScriptedResponse> queued = new ConcurrentLinkedQueue<>();
  private final List<RecordedRequest> requests = new ArrayList<>();
  private final CountDownLatch closing = new CountDownLatch(1);
  private volatile Function<RecordedRequest, ScriptedResponse> responder;

  private ScriptedOpenAiServer(Function<RecordedRequest, ScriptedResponse> responder)
      throws IOException {
    this.responder = responder;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    this.exchanges =
        Executors.newCachedThreadPool(
            runnable -> {
              Thread thread =
                  new Thread(
                      runnable, "scripted-openai-server-" + SERVER_THREADS.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    server.setExecutor(exchanges);
    server.createContext("/", this::handle);
    server.start();
  }

  /** Starts a server with nothing scripted yet. */
  public static ScriptedOpenAiServer start() {
    return start(null);
  }

  /** Starts a server that answers with {@code responder} whenever the queue is empty. */
  public static ScriptedOpenAiServer start(Function<RecordedRequest, ScriptedResponse> responder) {
    try {
      return new ScriptedOpenAiServer(responder);
    } catch (IOException e) {
      throw new UncheckedIOException("could not start the scripted OpenAI server", e);
    }
  }

  /** The base URL to configure a client with, e.g. {@code http://127.0.0.1:41234/v1}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  /** Queues responses used, in order, for the next requests, before the responder. */
  public ScriptedOpenAiServer enqueue(ScriptedResponse... responses) {
    for (ScriptedResponse response : responses) {
      queued.add(Objects.requireNonNull(response));
    }
    return this;
  }

  /** Answers requests the queue does not cover. Called on the exchange's thread. */
  public ScriptedOpenAiServer respondWith(Function<RecordedRequest, ScriptedResponse> responder) {
    this.responder = Objects.requireNonNull(responder);
    return this;
  }

  /** The requests received so far, oldest first (a snapshot). */
  public List<RecordedRequest> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  /** The number of requests received so far. */
  public int requestCount() {
    synchronized (requests) {
      return requests.size();
    }
  }

  /** The request with this index (0-based). */
  public RecordedRequest request(int index) {
    synchronized (requests) {
      return requests.get(index);
    }
  }

  /**
   * Waits until at least {@code count} requests have arrived.
   *
   * @throws AssertionError if they do not arrive in time
   */
  public void awaitRequests(int count, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (requests) {
      while (requests.size() < count) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError(
              "expected " + count + " requests within " + timeout + ", got " + requests.size());
        }
        TimeUnit.NANOSECONDS.timedWait(requests, left);
      }
    }
  }

  /** Releases hanging responses, stops the server and its threads. */
  @Override
  public void close() {
    closing.countDown();
    server.stop(0);
    exchanges.shutdownNow();
    try {
      exchanges.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    RecordedRequest request = record(exchange);
    if (!exchange.getRequestMethod().equals("POST")
        || !exchange.getRequestURI().getPath().endsWith("/chat/completions")) {
      sendError(
          exchange,
          request,
          ScriptedResponse.error(
              404,
              "Unknown path: "
                  + exchange.getRequestMethod()
                  + " "
                  + exchange.getRequestURI().getPath()));
      return;
    }
    if (request.body().isMissingNode()) {
      sendError(exchange, request, ScriptedResponse.error(400, "The body is not valid JSON."));
      return;
    }
    ScriptedResponse response = queued.poll();
    if (response == null) {
      Function<RecordedRequest, ScriptedResponse> current = responder;
      response = current == null ? null : current.apply(request);
    }
    if (response == null) {
      sendError(
          exchange,
          request,
          ScriptedResponse.error(
              500,
              "The scripted server has no response for request #"
                  + request.index()
                  + "; enqueue one or set a responder."));
      return;
    }
    switch (response.kind) {
      case ERROR:
        sendError(exchange, request, response);
        break;
      case HANG:
        awaitClose();
        request.finish(RecordedRequest.Outcome.HUNG_UNTIL_SERVER_CLOSED);
        exchange.close();
        break;
      case CUSTOM:
        response.writer.write(exchange, request);
        request.finish(RecordedRequest.Outcome.COMPLETED);
        exchange.close();
        break;
      case STREAM:
        if (request.stream()) {
          sendStream(exchange, request, response);
        } else {
          sendWhole(exchange, request, response);
        }
        break;
      default:
        throw new IllegalStateException(response.kind.toString());
    }
  }

  private RecordedRequest record(HttpExchange exchange) throws IOException {
    byte[] bytes = exchange.getRequestBody().readAllBytes();
    String text = new String(bytes, StandardCharsets.UTF_8);
    JsonNode body;
    try {
      body = text.isEmpty() ? MissingNode.getInstance() : JSON.readTree(text);
    } catch (IOException notJson) {
      body = MissingNode.getInstance();
    }
    Map<String, List<String>> headers = new TreeMap<>();
    exchange
        .getRequestHeaders()
        .forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
    synchronized (requests) {
      RecordedRequest request =
          new RecordedRequest(
              requests.size(),
              exchange.getRequestMethod(),
              exchange.getRequestURI().getPath(),
              headers,
              text,
              body == null ? MissingNode.getInstance() : body,
              exchange.getRemoteAddress().getPort());
      requests.add(request);
      requests.notifyAll();
      return request;
    }
  }

  private void sendError(HttpExchange exchange, RecordedRequest request, ScriptedResponse response)
      throws IOException {
    ObjectNode error = JSON.createObjectNode();
    ObjectNode inner = error.putObject("error");
    inner.put("message", response.errorMessage);
    inner.put("type", response.errorType);
    inner.putNull("param");
    if (response.errorCode == null) {
      inner.putNull("code");
    } else {
      inner.put("code", response.errorCode);
    }
    byte[] bytes = JSON.writeValueAsBytes(error);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    response.headers.forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
    exchange.sendResponseHeaders(response.status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
    request.finish(RecordedRequest.Outcome.COMPLETED);
  }

  private void sendStream(HttpExchange exchange, RecordedRequest request, ScriptedResponse script)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
    exchange.getResponseHeaders().set("Cache-Control", "no-cache");
    exchange.sendResponseHeaders(200, 0); // 0: chunked, so each event can be flushed on its own
    OutputStream out = exchange.getResponseBody();
    String model = script.model != null ? script.model : request.model();
    String id = "chatcmpl-scripted-" + request.index();
    long[] clock = {System.nanoTime(), 0};
    boolean broken = false;
    try {
      for (int i = 0; i < script.chunks.size(); i++) {
        // A gate before chunk i also holds back a break there, so a test can let the client read
        // what was sent before the connection breaks.
        pauseBefore(script, i, clock);
        if (i == script.breakAfter) {
          breakConnection(request);
        }
        if (i == script.hangAfter) {
          hangUntilClosed(exchange, request);
          return;
        }
        ObjectNode delta = JSON.createObjectNode();
        if (i == 0) {
          delta.put("role", "assistant");
        }
        delta.put("content", script.chunks.get(i));
        // Counted before the write: a client may read the chunk before a count after it would land.
        request.chunkSent();
        writeEvent(out, chunk(id, model, delta, null));
      }
      for (int i = 0; i < script.toolCalls.size(); i++) {
        int index = script.chunks.size() + i;
        if (index == script.breakAfter) {
          breakConnection(request);
        }
        if (index == script.hangAfter) {
          hangUntilClosed(exchange, request);
          return;
        }
        pauseBefore(script, index, clock);
        ObjectNode delta = JSON.createObjectNode();
        if (index == 0) {
          delta.put("role", "assistant");
          delta.putNull("content");
        }
        ArrayNode calls = delta.putArray("tool_calls");
        ObjectNode call = toolCallJson(script.toolCalls.get(i));
        call.put("index", i);
        calls.add(call);
        // Counted before the write: a client may read the chunk before a count after it would land.
        request.chunkSent();
        writeEvent(out, chunk(id, model, delta, null));
      }
      if (script.breakAfter >= script.chunks.size() + script.toolCalls.size()) {
        breakConnection(request);
      }
      if (script.hangAfter >= script.chunks.size() + script.toolCalls.size()) {
        hangUntilClosed(exchange, request);
        return;
      }
      if (!script.endWithoutFinish) {
        writeEvent(out, chunk(id, model, JSON.createObjectNode(), script.finishReason));
        if (script.sendUsage && request.includeUsage()) {
          ObjectNode usageChunk = chunkEnvelope(id, model);
          usageChunk.putArray("choices");
          usageChunk.set("usage", usage(script, request));
          writeEvent(out, usageChunk);
        }
        writeRaw(out, "data: [DONE]\n\n");
      }
      out.close();
      request.finish(RecordedRequest.Outcome.COMPLETED);
    } catch (ScriptedConnectionBreak b) {
      broken = true;
      throw b;
    } catch (IOException clientGone) {
      request.finish(RecordedRequest.Outcome.CLIENT_DISCONNECTED);
      throw clientGone;
    } finally {
      // Closing would end the chunked body properly, which is exactly what a break must not do.
      if (!broken) {
        exchange.close();
      }
    }
  }

  private void sendWhole(HttpExchange exchange, RecordedRequest request, ScriptedResponse script)
      throws IOException {
    long[] clock = {System.nanoTime(), 0};
    for (int i = 0; i < script.chunks.size() + script.toolCalls.size(); i++) {
      pauseBefore(script, i, clock);
    }
    ObjectNode completion = JSON.createObjectNode();
    completion.put("id", "chatcmpl-scripted-" + request.index());
    completion.put("object", "chat.completion");
    completion.put("created", System.currentTimeMillis() / 1000);
    completion.put("model", script.model != null ? script.model : request.model());
    ObjectNode choice = completion.putArray("choices").addObject();
    choice.put("index", 0);
    ObjectNode message = choice.putObject("message");
    message.put("role", "assistant");
    if (script.chunks.isEmpty() && !script.toolCalls.isEmpty()) {
      message.putNull("content");
    } else {
      message.put("content", String.join("", script.chunks));
    }
    if (!script.toolCalls.isEmpty()) {
      ArrayNode calls = message.putArray("tool_calls");
      script.toolCalls.forEach(call -> calls.add(toolCallJson(call)));
    }
    choice.put("finish_reason", script.finishReason);
    completion.set("usage", usage(script, request));
    byte[] bytes = JSON.writeValueAsBytes(completion);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
    request.finish(RecordedRequest.Outcome.COMPLETED);
  }

  /**
   * Waits before chunk {@code index}: for its gate, then for its delay. {@code clock} holds the
   * response's start (nanoTime) and the sum of the delays so far (nanos); with {@link
   * ScriptedResponse#onSchedule()} the wait ends at start + that sum, so write and sleep overheads
   * do not add up over many chunks.
   */
  private void pauseBefore(ScriptedResponse script, int index, long[] clock) {
    CountDownLatch gate = script.gates.get(index);
    if (gate != null) {
      try {
        gate.await(GATE_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    Duration delay = script.delayBefore.get(index);
    if (delay == null) {
      delay = index == 0 ? script.firstChunkDelay : script.chunkDelay;
    }
    if (script.onSchedule) {
      clock[1] += delay.toNanos();
      sleep(Duration.ofNanos(clock[0] + clock[1] - System.nanoTime()));
    } else {
      sleep(delay);
    }
  }

  /**
   * Ends the exchange without finishing the chunked body: an exception escaping a handler makes the
   * JDK server close the connection as it is.
   */
  private static void breakConnection(RecordedRequest request) {
    request.finish(RecordedRequest.Outcome.BROKEN_BY_SCRIPT);
    throw new ScriptedConnectionBreak();
  }

  private void hangUntilClosed(HttpExchange exchange, RecordedRequest request) {
    awaitClose();
    request.finish(RecordedRequest.Outcome.HUNG_UNTIL_SERVER_CLOSED);
    exchange.close();
  }

  private void awaitClose() {
    try {
      closing.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private ObjectNode chunk(String id, String model, ObjectNode delta, String finishReason) {
    ObjectNode chunk = chunkEnvelope(id, model);
    ArrayNode choices = chunk.putArray("choices");
    ObjectNode choice = choices.addObject();
    choice.put("index", 0);
    choice.set("delta", delta);
    choice.putNull("logprobs");
    if (finishReason == null) {
      choice.putNull("finish_reason");
    } else {
      choice.put("finish_reason", finishReason);
    }
    return chunk;
  }

  private static ObjectNode toolCallJson(ScriptedResponse.ToolCall call) {
    ObjectNode json = JSON.createObjectNode();
    json.put("id", call.id());
    json.put("type", "function");
    ObjectNode function = json.putObject("function");
    function.put("name", call.name());
    function.put("arguments", call.argumentsJson());
    return json;
  }

  private static ObjectNode chunkEnvelope(String id, String model) {
    ObjectNode chunk = JSON.createObjectNode();
    chunk.put("id", id);
    chunk.put("object", "chat.completion.chunk");
    chunk.put("created", System.currentTimeMillis() / 1000);
    chunk.put("model", model);
    return chunk;
  }

  private static ObjectNode usage(ScriptedResponse script, RecordedRequest request) {
    long prompt;
    long completion;
    if (script.usage != null) {
      prompt = script.usage[0];
      completion = script.usage[1];
    } else {
      long chars = 0;
      for (RecordedRequest.Message message : request.messages()) {
        chars += message.content().length();
      }
      prompt = (chars + 3) / 4;
      completion = script.chunks.size() + script.toolCalls.size();
    }
    ObjectNode usage = JSON.createObjectNode();
    usage.put("prompt_tokens", prompt);
    usage.put("completion_tokens", completion);
    usage.put("total_tokens", prompt + completion);
    if (script.cachedPromptTokens >= 0) {
      usage.putObject("prompt_tokens_details").put("cached_tokens", script.cachedPromptTokens);
    }
    return usage;
  }

  private static void writeEvent(OutputStream out, JsonNode data) throws IOException {
    writeRaw(out, "data: " + JSON.writeValueAsString(data) + "\n\n");
  }

  private static void writeRaw(OutputStream out, String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private static void sleep(Duration delay) {
    if (delay.isZero() || delay.isNegative()) {
      return;
    }
    try {
      Thread.sleep(delay.toMillis(), delay.toNanosPart() % 1_000_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Thrown out of a handler to make the JDK server drop the connection mid-body. */
  private static final class ScriptedConnectionBreak extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ScriptedConnectionBreak() {
      super("scripted connection break", null, false, false);
    }
  }
}
