package dev.llmcompiler.openai;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.Timeout;
import com.openai.core.http.StreamResponse;
import com.openai.models.ResponseFormatJsonSchema;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.completions.CompletionUsage;
import dev.llmcompiler.runtime.internal.StreamedText;
import dev.llmcompiler.runtime.llm.LlmClient;
import dev.llmcompiler.runtime.llm.LlmException;
import dev.llmcompiler.runtime.llm.LlmMessage;
import dev.llmcompiler.runtime.llm.LlmRequest;
import dev.llmcompiler.runtime.llm.LlmResponse;
import dev.llmcompiler.runtime.llm.LlmStreamListener;
import dev.llmcompiler.runtime.llm.TokenUsage;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An {@link LlmClient} over the official OpenAI Java SDK: streaming chat completions against OpenAI
 * or any OpenAI-compatible server (vLLM, Ollama, llama.cpp, LM Studio, …).
 *
 * <pre>{@code
 * // OPENAI_API_KEY, and optionally OPENAI_MODEL / OPENAI_BASE_URL, from the environment:
 * try (OpenAiLlm llm = OpenAiLlm.fromEnv()) {
 *   LlmCompiler agent = LlmCompiler.builder().llm(llm).tools(tools).build();
 *   System.out.println(agent.run("How much bigger is Microsoft than Apple?").answer());
 * }
 *
 * // A local server: no key needed.
 * OpenAiLlm ollama = OpenAiLlm.builder()
 *     .baseUrl("http://localhost:11434/v1")      // Ollama
 *     // .baseUrl("http://localhost:8000/v1")    // vLLM  (vllm serve …)
 *     // .baseUrl("http://localhost:8080/v1")    // llama.cpp (llama-server …)
 *     .model("qwen2.5:7b-instruct")
 *     .idleTimeout(Duration.ofMinutes(5))        // a cold model may take long to start
 *     .build();
 * }</pre>
 *
 * <h2>Behaviour</h2>
 *
 * <ul>
 *   <li>Every call streams ({@code stream: true}) with {@code stream_options.include_usage}, so the
 *       response carries token usage. The system prompt goes first as a system message; stop
 *       sequences, temperature and the token limit are sent when set ({@code max_completion_tokens}
 *       to OpenAI itself, {@code max_tokens} to other servers, which widely support only that).
 *       Stop sequences are also enforced on the client, for servers that run past them. A request's
 *       {@linkplain LlmRequest#responseSchema() response schema} goes as {@code response_format}
 *       {@code json_schema}, with {@code strict} set where the schema allows OpenAI's strict mode.
 *   <li><b>Timeouts</b>: a connect timeout; an idle timeout (the longest silence between two pieces
 *       of the response, also while waiting for it to begin); and a limit on one whole call ({@link
 *       Builder#callTimeout}, default {@link #DEFAULT_CALL_TIMEOUT 10 minutes}), so a server that
 *       trickles text forever cannot hold a call open: when it passes, the call is aborted with
 *       {@code TIMEOUT}. The runtime's run deadline bounds a whole run.
 *   <li><b>Retries</b>: the SDK retries connection failures, 408, 409, 429 and 5xx up to {@code
 *       maxRetries} times with exponential back-off, honouring {@code Retry-After} and {@code
 *       retry-after-ms}. Nothing is retried once text has been delivered.
 *   <li><b>Errors</b> end the future with an {@link LlmException}: 401/403 {@code AUTHENTICATION},
 *       429 {@code RATE_LIMITED}, 400/404/422 {@code BAD_REQUEST} (with the server's message, e.g.
 *       an unknown model), 5xx and unreachable servers {@code UNAVAILABLE}, an idle timeout {@code
 *       TIMEOUT}, a stream that breaks or ends without a finish reason {@code STREAM_BROKEN}. The
 *       API key, and anything shaped like a credential, is masked in every message, also when a
 *       server echoes it ({@code Incorrect API key provided: sk-***}).
 * </ul>
 *
 * <h2>Threading</h2>
 *
 * {@link #chat} returns at once. Each call then occupies one thread of the client's executor from
 * sending the request to the end of the stream (the SDK reads the stream with blocking I/O); the
 * listener is called on that thread, one delta at a time, in order. By default the executor is an
 * unbounded pool of daemon threads named {@code llmcompiler-openai-N} that are reclaimed after 30 s
 * idle; {@link Builder#executor} supplies another one (for example virtual threads). Cancelling the
 * returned future cancels the HTTP exchange at once, whatever stage it is in (connecting, waiting
 * between retries, streaming); a delta whose delivery had already begun completes, no later delta
 * is delivered, and the future never completes normally.
 *
 * <p>One instance serves any number of concurrent calls. {@link #close()} aborts calls still
 * running (their futures fail with {@code OTHER}) and releases the SDK's connections and threads.
 *
 * <p><b>Cold start</b>: in a fresh JVM the first call costs about a second more than later ones;
 * {@link #warmUp()} pays that ahead, in the background and without a request.
 */
public final class OpenAiLlm implements LlmClient, AutoCloseable {

  /** The model used when none is configured: small, fast and cheap. */
  public static final String DEFAULT_MODEL = "gpt-4o-mini";

  /** OpenAI's API, used when no base URL is configured. */
  public static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";

  /**
   * The API key sent to a custom base URL when none is configured: local servers ignore it, and the
   * SDK insists on some key.
   */
  static final String PLACEHOLDER_API_KEY = "no-key-needed";

  /** The longest one call may take unless {@link Builder#callTimeout} says otherwise. */
  public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofMinutes(10);

  private static final AtomicInteger POOL_THREADS = new AtomicInteger();

  private final String baseUrl;
  private final String model;
  private final Duration connectTimeout;
  private final Duration idleTimeout;
  private final Duration callTimeout;
  private final int maxRetries;
  private final Double defaultTemperature;
  private final boolean openAiItself;
  private final OpenAIClient sdk;
  private final CallTracker tracker = new CallTracker();
  private final Executor executor;
  private final ExecutorService ownedExecutor;
  private final ErrorTranslator errors;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicReference<CompletableFuture<Void>> warmUp = new AtomicReference<>();

  private OpenAiLlm(Builder builder, String apiKey) {
    this.baseUrl = builder.baseUrl;
    this.model = builder.model;
    this.connectTimeout = builder.connectTimeout;
    this.idleTimeout = builder.idleTimeout;
    this.callTimeout = builder.callTimeout;
    this.maxRetries = builder.maxRetries;
    this.defaultTemperature = builder.defaultTemperature;
    this.openAiItself = isOpenAi(baseUrl);
    this.errors =
        new ErrorTranslator(
            baseUrl, model, maxRetries, connectTimeout, idleTimeout, callTimeout, apiKey);
    if (builder.executor != null) {
      this.executor = builder.executor;
      this.ownedExecutor = null;
    } else {
      this.ownedExecutor = newPool();
      this.executor = ownedExecutor;
    }
    this.sdk =
        OpenAIOkHttpClient.builder()
            .baseUrl(baseUrl)
            .apiKey(apiKey)
            .maxRetries(maxRetries)
            .timeout(
                Timeout.builder()
                    .connect(connectTimeout)
                    .read(idleTimeout)
                    .write(idleTimeout)
                    // Zero: no limit on the whole call, which would cut long streams.
                    .request(Duration.ZERO)
                    .build())
            .addInterceptor(tracker)
            .build();
  }

  /**
   * A client configured from the environment: {@code OPENAI_API_KEY}, {@code OPENAI_BASE_URL}
   * (default {@value #DEFAULT_BASE_URL}) and {@code OPENAI_MODEL} (default {@value
   * #DEFAULT_MODEL}). With a base URL but no key (a local server) a placeholder key is sent.
   *
   * @throws IllegalStateException if neither {@code OPENAI_API_KEY} nor {@code OPENAI_BASE_URL} is
   *     set, or a value is invalid; the message says what to set
   */
  public static OpenAiLlm fromEnv() {
    return builder().fromEnv().build();
  }

  /** The same as {@link #fromEnv()}, reading the given variables instead of the process's. */
  static OpenAiLlm fromEnv(Map<String, String> environment) {
    return builder().fromEnv(environment).build();
  }

  /** A builder with the defaults described on its methods. */
  public static Builder builder() {
    return new Builder();
  }

  /** The model every call asks for. */
  public String model() {
    return model;
  }

  /** The base URL of the OpenAI-compatible API, without a trailing slash. */
  public String baseUrl() {
    return baseUrl;
  }

  @Override
  public CompletableFuture<LlmResponse> chat(LlmRequest request, LlmStreamListener listener) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(listener, "listener");
    ensureOpen();
    return start(request, listener, false);
  }

  /**
   * Pays the SDK's one-time costs now, in the background, so that the first real call is about as
   * fast as later ones. Sends nothing over the network.
   *
   * <p>In a fresh JVM the first call through openai-java costs about a second more than later ones:
   * the SDK is written in Kotlin, and its JSON mapper's Kotlin module loads about 1,100 classes of
   * kotlin-reflect the first time it serializes a request; its HTTP adapter, stream parser and
   * response classes are loaded and run for the first time too. The warm-up makes one complete call
   * (the request body, the SDK's retry loop and Server-Sent Events parser, the chunk classes, this
   * client's stream handling) whose HTTP exchange is answered inside the process before a
   * connection would be opened. The server sees no request, and no tokens are billed. What it
   * cannot pay ahead is the connection itself: TCP, and for {@code https} the TLS handshake, of
   * which it runs only the first step offline.
   *
   * <pre>{@code
   * OpenAiLlm llm = OpenAiLlm.fromEnv();
   * llm.warmUp();          // at startup, in the background; or
   * llm.warmUp().join();   // before accepting traffic
   * }</pre>
   *
   * <p>It runs on the client's executor (by default its daemon threads) and takes about as long as
   * the cold first call would have taken beyond a warm one. Calls made meanwhile work normally. It
   * is idempotent and thread-safe: only the first invocation starts the warm-up, and every
   * invocation returns a future of that same warm-up (a new copy each time, so cancelling one
   * neither stops the warm-up nor affects the others). A failed warm-up is not repeated.
   *
   * @return a future that completes when the warm-up is done, or fails with an {@link LlmException}
   *     if it failed, or if this client was closed while it ran
   * @throws IllegalStateException if this client is closed
   */
  public CompletableFuture<Void> warmUp() {
    ensureOpen();
    CompletableFuture<Void> current = warmUp.get();
    if (current == null) {
      CompletableFuture<Void> mine = new CompletableFuture<>();
      if (warmUp.compareAndSet(null, mine)) {
        start(WarmUp.REQUEST, delta -> {}, true)
            .whenComplete(
                (response, failure) -> {
                  if (failure == null) {
                    mine.complete(null);
                  } else {
                    mine.completeExceptionally(warmUpFailed(failure));
                  }
                });
      }
      current = warmUp.get();
    }
    return current.copy();
  }

  private static LlmException warmUpFailed(Throwable failure) {
    LlmException.Kind kind =
        failure instanceof LlmException ? ((LlmException) failure).kind() : LlmException.Kind.OTHER;
    return new LlmException(
        kind, "The warm-up (a call answered in-process) failed: " + failure.getMessage(), failure);
  }

  private void ensureOpen() {
    if (closed.get()) {
      throw new IllegalStateException("This OpenAiLlm is closed; create a new one to make calls.");
    }
  }

  private CompletableFuture<LlmResponse> start(
      LlmRequest request, LlmStreamListener listener, boolean warmUp) {
    CompletableFuture<LlmResponse> result = new CompletableFuture<>();
    InFlightCall call = tracker.open(result, warmUp);
    ChatCompletionCreateParams params = toParams(request, call.id());
    // If the future ends early (cancelled, or failed by close()) the HTTP exchange must end too.
    result.whenComplete((response, failure) -> call.abort());
    CallTimeLimit.apply(result, callTimeout, errors::callTimedOut);
    try {
      executor.execute(() -> stream(call, params, request.stop(), listener, result));
    } catch (RejectedExecutionException e) {
      tracker.remove(call);
      result.completeExceptionally(
          new LlmException(
              LlmException.Kind.OTHER,
              "Could not start the call: the executor rejected it (is it shut down or"
                  + " saturated?).",
              e));
    }
    return result;
  }

  private void stream(
      InFlightCall call,
      ChatCompletionCreateParams params,
      List<String> stops,
      LlmStreamListener listener,
      CompletableFuture<LlmResponse> result) {
    if (!call.start()) {
      tracker.remove(call);
      return;
    }
    StreamedText text = new StreamedText(stops, listener);
    String finishReason = null;
    TokenUsage usage = TokenUsage.ZERO;
    boolean opened = false;
    LlmResponse response = null;
    LlmException failure = null;
    try {
      try (StreamResponse<ChatCompletionChunk> stream =
          sdk.chat().completions().createStreaming(params)) {
        opened = true;
        call.streamOpened();
        Iterator<ChatCompletionChunk> chunks = stream.stream().iterator();
        while (!call.isAborted() && chunks.hasNext()) {
          ChatCompletionChunk chunk = chunks.next();
          usage = chunk._usage().asKnown().map(OpenAiLlm::toUsage).orElse(usage);
          for (ChatCompletionChunk.Choice choice : chunk._choices().asKnown().orElse(List.of())) {
            if (choice._index().asKnown().orElse(0L) != 0L) {
              continue;
            }
            String content =
                choice
                    ._delta()
                    .asKnown()
                    .flatMap(ChatCompletionChunk.Choice.Delta::content)
                    .orElse("");
            deliver(text, content, call);
            finishReason = choice.finishReason().map(r -> r.asString()).orElse(finishReason);
          }
        }
      }
      if (!call.isAborted()) {
        abortIfFailed(text.finish(), call);
        if (finishReason == null) {
          failure = errors.endedWithoutFinish(text.length());
        } else {
          // A server may send an empty finish_reason: the stream did finish, for a reason unknown.
          response =
              LlmResponse.builder()
                  .text(text.text())
                  .usage(usage)
                  .finishReason(Optional.of(finishReason).filter(reason -> !reason.isEmpty()))
                  .build();
        }
      }
    } catch (ListenerFailure e) {
      failure = e.failure;
    } catch (Throwable e) {
      // Throwable: the SDK (Kotlin) can throw checked exceptions undeclared, e.g. an
      // InterruptedException from its retry back-off when an abort interrupts it.
      if (!call.isAborted()) {
        failure = errors.translate(e, opened, text.length());
      }
      if (e instanceof VirtualMachineError) {
        throw (VirtualMachineError) e;
      }
    } finally {
      // Release the thread and the exchange before the caller sees the outcome.
      call.finish();
      tracker.remove(call);
      if (response != null) {
        result.complete(response);
      } else if (failure != null) {
        result.completeExceptionally(failure);
      }
    }
  }

  private static void deliver(StreamedText text, String delta, InFlightCall call) {
    if (!call.isAborted()) {
      abortIfFailed(text.accept(delta), call);
    }
  }

  /** Ends the stream loop if the listener threw: {@code failure} is then not null. */
  private static void abortIfFailed(LlmException failure, InFlightCall call) {
    if (failure != null) {
      // Cancel the exchange first so closing the response does not wait for the server.
      call.abort();
      throw new ListenerFailure(failure);
    }
  }

  /**
   * Maps the provider's usage leniently: a missing or malformed count is 0, and cached tokens are
   * reported only when {@code prompt_tokens_details.cached_tokens} is there (many OpenAI-compatible
   * servers omit it), capped at the prompt tokens so a server's inconsistent figures cannot fail a
   * call that otherwise succeeded.
   */
  private static TokenUsage toUsage(CompletionUsage usage) {
    long prompt = Math.max(0L, usage._promptTokens().asKnown().orElse(0L));
    long completion = Math.max(0L, usage._completionTokens().asKnown().orElse(0L));
    TokenUsage.Builder mapped =
        TokenUsage.builder().promptTokens(prompt).completionTokens(completion);
    usage
        ._promptTokensDetails()
        .asKnown()
        .flatMap(details -> details._cachedTokens().asKnown())
        .ifPresent(cached -> mapped.cachedPromptTokens(Math.min(prompt, Math.max(0L, cached))));
    return mapped.build();
  }

  private ChatCompletionCreateParams toParams(LlmRequest request, String callId) {
    ChatCompletionCreateParams.Builder params = ChatCompletionCreateParams.builder().model(model);
    if (!request.system().isEmpty()) {
      params.addSystemMessage(request.system());
    }
    for (LlmMessage message : request.messages()) {
      if (message.role() == LlmMessage.Role.ASSISTANT) {
        params.addAssistantMessage(message.content());
      } else {
        params.addUserMessage(message.content());
      }
    }
    if (!request.stop().isEmpty()) {
      params.stop(ChatCompletionCreateParams.Stop.ofStrings(request.stop()));
    }
    OptionalDouble temperature = request.temperature();
    if (temperature.isPresent()) {
      params.temperature(temperature.getAsDouble());
    } else if (defaultTemperature != null) {
      params.temperature(defaultTemperature);
    }
    request.maxTokens().ifPresent(max -> limitTokens(params, max));
    request.responseSchema().ifPresent(schema -> respondWithSchema(params, schema));
    params.streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build());
    params.putAdditionalHeader(CallTracker.CALL_ID_HEADER, callId);
    return params.build();
  }

  /**
   * Asks for JSON matching the request's schema as {@code response_format: {type: json_schema,
   * json_schema: {name, schema, strict}}}, strict only where the schema qualifies for OpenAI's
   * strict mode ({@link StrictSchemas}). vLLM and llama.cpp read the same field for their grammars.
   */
  private static void respondWithSchema(
      ChatCompletionCreateParams.Builder params, LlmRequest.ResponseSchema schema) {
    ResponseFormatJsonSchema.JsonSchema.Schema.Builder body =
        ResponseFormatJsonSchema.JsonSchema.Schema.builder();
    schema
        .schema()
        .fields()
        .forEachRemaining(
            field ->
                body.putAdditionalProperty(
                    field.getKey(), JsonValue.fromJsonNode(field.getValue())));
    params.responseFormat(
        ResponseFormatJsonSchema.builder()
            .jsonSchema(
                ResponseFormatJsonSchema.JsonSchema.builder()
                    .name(schema.name())
                    .schema(body.build())
                    .strict(StrictSchemas.qualifies(schema.schema()))
                    .build())
            .build());
  }

  /**
   * OpenAI deprecated {@code max_tokens} for {@code max_completion_tokens} (its reasoning models
   * reject the old name), but most OpenAI-compatible servers know only {@code max_tokens}.
   */
  @SuppressWarnings("deprecation")
  private void limitTokens(ChatCompletionCreateParams.Builder params, int max) {
    if (openAiItself) {
      params.maxCompletionTokens((long) max);
    } else {
      params.maxTokens((long) max);
    }
  }

  /**
   * Aborts calls still running (their futures fail with {@link LlmException.Kind#OTHER}), then
   * releases the SDK's connections and threads and, unless the executor was supplied, this client's
   * own threads. Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    tracker.abortAll(
        () ->
            new LlmException(
                LlmException.Kind.OTHER,
                "The OpenAiLlm was closed while this call was running; the call was aborted."));
    sdk.close();
    if (ownedExecutor != null) {
      ownedExecutor.shutdown();
      try {
        // Aborted calls end within milliseconds (their sockets are closed); don't hang close().
        ownedExecutor.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public String toString() {
    return "OpenAiLlm[model=" + model + ", baseUrl=" + baseUrl + "]";
  }

  private static ExecutorService newPool() {
    ThreadFactory threads =
        runnable -> {
          Thread thread =
              new Thread(runnable, "llmcompiler-openai-" + POOL_THREADS.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        };
    // Unbounded like the calls it serves: each in-flight call needs its own reading thread, and
    // queueing a call behind another would add the other's whole stream to its latency.
    return new ThreadPoolExecutor(
        0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), threads);
  }

  private static boolean isOpenAi(String baseUrl) {
    String host = URI.create(baseUrl).getHost();
    return host != null && host.toLowerCase(Locale.ROOT).endsWith("api.openai.com");
  }

  /** Carries the failure a listener's exception caused past the stream loop's error translation. */
  private static final class ListenerFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient LlmException failure;

    ListenerFailure(LlmException failure) {
      super(failure);
      this.failure = failure;
    }
  }

  /**
   * Builds an {@link OpenAiLlm}.
   *
   * <pre>{@code
   * OpenAiLlm llm = OpenAiLlm.builder()
   *     .apiKey(System.getenv("OPENAI_API_KEY"))
   *     .model("gpt-4o-mini")
   *     .connectTimeout(Duration.ofSeconds(5))
   *     .idleTimeout(Duration.ofSeconds(60))
   *     .maxRetries(3)
   *     .build();
   * }</pre>
   */
  public static final class Builder {
    private String baseUrl = DEFAULT_BASE_URL;
    private boolean customBaseUrl;
    private String apiKey;
    private String model = DEFAULT_MODEL;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration idleTimeout = Duration.ofMinutes(2);
    private Duration callTimeout = DEFAULT_CALL_TIMEOUT;
    private int maxRetries = 2;
    private Double defaultTemperature;
    private Executor executor;

    private Builder() {}

    /**
     * Reads {@code OPENAI_API_KEY}, {@code OPENAI_BASE_URL} and {@code OPENAI_MODEL} from the
     * environment; variables that are unset or blank leave the builder's values as they are.
     */
    public Builder fromEnv() {
      return fromEnv(System.getenv());
    }

    Builder fromEnv(Map<String, String> environment) {
      String key = nonBlank(environment.get("OPENAI_API_KEY"));
      String url = nonBlank(environment.get("OPENAI_BASE_URL"));
      String envModel = nonBlank(environment.get("OPENAI_MODEL"));
      if (key == null && url == null && apiKey == null && !customBaseUrl) {
        throw new IllegalStateException(
            "OpenAiLlm.fromEnv() found neither OPENAI_API_KEY nor OPENAI_BASE_URL. Set"
                + " OPENAI_API_KEY to use OpenAI, or OPENAI_BASE_URL to use an OpenAI-compatible"
                + " server (e.g. http://localhost:11434/v1 for Ollama, http://localhost:8000/v1"
                + " for vLLM); OPENAI_MODEL picks the model (default "
                + DEFAULT_MODEL
                + ").");
      }
      if (key != null) {
        apiKey(key);
      }
      if (url != null) {
        try {
          baseUrl(url);
        } catch (IllegalArgumentException e) {
          throw new IllegalStateException("OPENAI_BASE_URL is invalid: " + e.getMessage(), e);
        }
      }
      if (envModel != null) {
        model(envModel);
      }
      return this;
    }

    /**
     * The OpenAI-compatible API to call, including its version path, e.g. {@code
     * http://localhost:11434/v1} (Ollama), {@code http://localhost:8000/v1} (vLLM), {@code
     * http://localhost:8080/v1} (llama.cpp). Default {@value OpenAiLlm#DEFAULT_BASE_URL}.
     */
    public Builder baseUrl(String baseUrl) {
      Objects.requireNonNull(baseUrl, "baseUrl");
      this.baseUrl = normalizeBaseUrl(baseUrl);
      this.customBaseUrl = true;
      return this;
    }

    /**
     * The API key. Required for OpenAI itself; optional for a custom base URL (a placeholder is
     * sent, which local servers ignore).
     */
    public Builder apiKey(String apiKey) {
      Objects.requireNonNull(apiKey, "apiKey");
      if (apiKey.isBlank()) {
        throw new IllegalArgumentException("apiKey must not be blank");
      }
      this.apiKey = apiKey;
      return this;
    }

    /** The model to ask for. Default {@value OpenAiLlm#DEFAULT_MODEL}. */
    public Builder model(String model) {
      Objects.requireNonNull(model, "model");
      if (model.isBlank()) {
        throw new IllegalArgumentException("model must not be blank");
      }
      this.model = model;
      return this;
    }

    /** How long to wait for a connection to the server. Default 10 s. */
    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = positive(connectTimeout, "connectTimeout");
      return this;
    }

    /**
     * The longest silence allowed while waiting for the response to begin and between two of its
     * pieces. It bounds a stalled server without cutting a long answer. Default 2 minutes.
     */
    public Builder idleTimeout(Duration idleTimeout) {
      this.idleTimeout = positive(idleTimeout, "idleTimeout");
      return this;
    }

    /**
     * The most one whole call may take, from sending the request to the end of the stream (retries
     * included); then it is aborted and fails with {@code TIMEOUT}. Unlike the idle timeout it also
     * stops a server that keeps sending text without end. Default {@link
     * OpenAiLlm#DEFAULT_CALL_TIMEOUT 10 minutes}; raise it for answers that stream longer.
     */
    public Builder callTimeout(Duration callTimeout) {
      this.callTimeout = positive(callTimeout, "callTimeout");
      return this;
    }

    /**
     * How often the SDK retries a failed request (connection failure, 408, 409, 429, 5xx) before
     * giving up; 0 turns retries off. Default 2.
     */
    public Builder maxRetries(int maxRetries) {
      if (maxRetries < 0) {
        throw new IllegalArgumentException("maxRetries must not be negative, got " + maxRetries);
      }
      this.maxRetries = maxRetries;
      return this;
    }

    /**
     * The sampling temperature for requests that set none. By default none is sent and the server's
     * default applies.
     */
    public Builder defaultTemperature(double temperature) {
      if (!(temperature >= 0 && temperature <= 2)) {
        throw new IllegalArgumentException(
            "defaultTemperature must be between 0 and 2, got " + temperature);
      }
      this.defaultTemperature = temperature;
      return this;
    }

    /**
     * The executor that runs calls; each call holds one of its threads until its stream ends, so it
     * must not be a small bounded pool. Not shut down by {@link OpenAiLlm#close()}. Default: a pool
     * the client owns.
     */
    public Builder executor(Executor executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /**
     * Builds the client.
     *
     * @throws IllegalStateException if no API key was set for OpenAI's own API
     */
    public OpenAiLlm build() {
      String key = apiKey;
      if (key == null) {
        if (!customBaseUrl) {
          throw new IllegalStateException(
              "`apiKey` is required for "
                  + DEFAULT_BASE_URL
                  + " but was not set: set OPENAI_API_KEY (and use fromEnv()) or call"
                  + " apiKey(...). For a local OpenAI-compatible server set baseUrl(...); a key"
                  + " is then optional.");
        }
        key = PLACEHOLDER_API_KEY;
      }
      return new OpenAiLlm(this, key);
    }

    private static String normalizeBaseUrl(String raw) {
      String trimmed = raw.trim();
      while (trimmed.endsWith("/")) {
        trimmed = trimmed.substring(0, trimmed.length() - 1);
      }
      try {
        URI uri = new URI(trimmed);
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
          throw new IllegalArgumentException(badUrl(raw));
        }
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException(badUrl(raw), e);
      }
      return trimmed;
    }

    private static String badUrl(String raw) {
      return "baseUrl must be an http(s) URL including the API path, such as"
          + " http://localhost:11434/v1, but was '"
          + raw
          + "'";
    }

    private static Duration positive(Duration duration, String name) {
      Objects.requireNonNull(duration, name);
      if (duration.isNegative() || duration.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, got " + duration);
      }
      return duration;
    }

    private static String nonBlank(String value) {
      return value == null || value.isBlank() ? null : value.trim();
    }
  }
}
