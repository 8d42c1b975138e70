package dev.llmcompiler.langchain4j;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.UnsupportedFeatureException;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.DefaultChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;
import dev.langchain4j.model.output.FinishReason;
import dev.llmcompiler.runtime.internal.StreamedText;
import dev.llmcompiler.runtime.llm.LlmClient;
import dev.llmcompiler.runtime.llm.LlmException;
import dev.llmcompiler.runtime.llm.LlmMessage;
import dev.llmcompiler.runtime.llm.LlmRequest;
import dev.llmcompiler.runtime.llm.LlmResponse;
import dev.llmcompiler.runtime.llm.LlmStreamListener;
import dev.llmcompiler.runtime.llm.TokenUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * An {@link LlmClient} over a LangChain4j {@link StreamingChatModel}, so that any provider
 * LangChain4j supports (OpenAI, Anthropic, Gemini, Bedrock, Azure OpenAI, Ollama, Mistral, …) can
 * drive the planner and the joiner.
 *
 * <pre>{@code
 * StreamingChatModel model = OpenAiStreamingChatModel.builder()   // or AnthropicStreamingChatModel, …
 *     .apiKey(System.getenv("OPENAI_API_KEY"))
 *     .modelName("gpt-4o-mini")
 *     .build();
 * try (LlmCompiler compiler = LlmCompiler.builder()
 *     .llm(LangChain4jLlm.of(model))
 *     .tools(WeatherServiceTools.of(new WeatherService()))
 *     .build()) {
 *   System.out.println(compiler.run("Is it warmer in Paris or in Rome?").answer());
 * }
 * }</pre>
 *
 * <h2>Behaviour</h2>
 *
 * <ul>
 *   <li>The request becomes a {@link ChatRequest}: the system prompt as a {@link SystemMessage},
 *       then the messages; temperature, token limit and stop sequences as request parameters, which
 *       override the model's defaults. Everything else (model name, timeouts, retries, logging) is
 *       the model's own configuration.
 *   <li>Text is delivered as the model streams it, from LangChain4j's thread, one delta at a time.
 *       Stop sequences are also enforced here, so the text ends before the first one even when the
 *       provider ignores them; a model that rejects stop sequences (OpenAI's Responses API models
 *       throw {@code UnsupportedFeatureException}) is asked again without them.
 *   <li>Usage: input and output tokens as LangChain4j reports them, with the cached prompt tokens
 *       of LangChain4j's OpenAI models ({@code OpenAiTokenUsage}). Other providers report cached
 *       tokens in their own usage types; {@link Builder#usageMapper} reads them. The finish reason
 *       is LangChain4j's, in OpenAI's words: {@code stop}, {@code length}, {@code tool_calls},
 *       {@code content_filter} or {@code other}.
 *   <li>Errors end the future with an {@link LlmException}: the HTTP status where LangChain4j kept
 *       it (401/403 {@code AUTHENTICATION}, 429 {@code RATE_LIMITED}, 400/404/422 {@code
 *       BAD_REQUEST}, 408 {@code TIMEOUT}, 5xx {@code UNAVAILABLE}), otherwise LangChain4j's
 *       exception types ({@code RateLimitException}, {@code AuthenticationException}, {@code
 *       TimeoutException}, …); an I/O failure after text had arrived is {@code STREAM_BROKEN}.
 *   <li><b>Cancelling</b> the future delivers no more text, and closes the stream through the
 *       {@link StreamingHandle} LangChain4j hands out with each partial response. LangChain4j gives
 *       no handle before the first token, so a call cancelled while waiting for it keeps its
 *       connection until that token arrives (then it is closed) or the provider ends the response;
 *       providers without cancellation support stream on, unheard, to the end.
 * </ul>
 *
 * <p>One instance serves concurrent calls if the model does, as LangChain4j's models do. The model
 * stays the caller's: {@link #close()} does nothing.
 */
public final class LangChain4jLlm implements LlmClient {
  private final StreamingChatModel model;
  private final Function<? super dev.langchain4j.model.output.TokenUsage, TokenUsage> usageMapper;
  private final String description;
  private final ErrorTranslator errors;

  private LangChain4jLlm(Builder builder) {
    this.model = builder.model;
    this.usageMapper = builder.usageMapper;
    String modelName =
        model.defaultRequestParameters() == null
            ? null
            : model.defaultRequestParameters().modelName();
    this.description =
        model.getClass().getSimpleName() + (modelName == null ? "" : " (" + modelName + ")");
    this.errors = new ErrorTranslator(description);
  }

  /** A client over {@code model} with the default usage mapping. */
  public static LangChain4jLlm of(StreamingChatModel model) {
    return builder().model(model).build();
  }

  /** A builder; the model is required. */
  public static Builder builder() {
    return new Builder();
  }

  /** The LangChain4j model every call goes to. */
  public StreamingChatModel model() {
    return model;
  }

  @Override
  public CompletableFuture<LlmResponse> chat(LlmRequest request, LlmStreamListener listener) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(listener, "listener");
    CompletableFuture<LlmResponse> result = new CompletableFuture<>();
    Call call = new Call(request, listener, result);
    result.whenComplete(
        (response, failure) -> {
          if (result.isCancelled()) {
            call.stopStream();
          }
        });
    call.start(!request.stop().isEmpty());
    return result;
  }

  @Override
  public String toString() {
    return "LangChain4jLlm[model=" + description + "]";
  }

  private static ChatRequest toChatRequest(LlmRequest request, boolean withStops) {
    List<ChatMessage> messages = new ArrayList<>(request.messages().size() + 1);
    // LangChain4j rejects a blank system message; an empty system prompt means none.
    if (!request.system().isBlank()) {
      messages.add(SystemMessage.from(request.system()));
    }
    for (LlmMessage message : request.messages()) {
      messages.add(
          message.role() == LlmMessage.Role.ASSISTANT
              ? AiMessage.from(message.content())
              : UserMessage.from(message.content()));
    }
    DefaultChatRequestParameters.Builder<?> parameters = ChatRequestParameters.builder();
    request.temperature().ifPresent(parameters::temperature);
    request.maxTokens().ifPresent(parameters::maxOutputTokens);
    if (withStops) {
      parameters.stopSequences(request.stop());
    }
    return ChatRequest.builder().messages(messages).parameters(parameters.build()).build();
  }

  /** OpenAI's words for LangChain4j's finish reasons, as {@code OpenAiLlm} reports them. */
  private static Optional<String> finishReason(FinishReason reason) {
    if (reason == null) {
      return Optional.empty();
    }
    switch (reason) {
      case TOOL_EXECUTION:
        return Optional.of("tool_calls");
      case CONTENT_FILTER:
        return Optional.of("content_filter");
      default:
        return Optional.of(reason.name().toLowerCase(Locale.ROOT));
    }
  }

  /**
   * One {@link #chat} call: LangChain4j's handler for it, and what has been delivered. LangChain4j
   * calls a handler's methods one at a time; only {@link #stopStream()} comes from another thread.
   */
  private final class Call implements StreamingChatResponseHandler {
    private final LlmRequest request;
    private final CompletableFuture<LlmResponse> result;
    private final StreamedText text;
    private volatile StreamingHandle handle;
    private boolean sawText;

    Call(LlmRequest request, LlmStreamListener listener, CompletableFuture<LlmResponse> result) {
      this.request = request;
      this.result = result;
      this.text = new StreamedText(request.stop(), listener);
    }

    void start(boolean withStops) {
      try {
        model.chat(toChatRequest(request, withStops), this);
      } catch (UnsupportedFeatureException e) {
        if (withStops && mentionsStop(e)) {
          // The guard cuts the text anyway, so a model that refuses stop sequences can go without.
          start(false);
        } else {
          result.completeExceptionally(errors.translate(e, 0));
        }
      } catch (RuntimeException e) {
        result.completeExceptionally(errors.translate(e, 0));
      }
    }

    @Override
    public void onPartialResponse(PartialResponse partial, PartialResponseContext context) {
      StreamingHandle current = context == null ? null : context.streamingHandle();
      if (current != null) {
        // Published before the check below; stopStream() sets the future's state before it reads
        // the handle, so one of the two sides always closes the stream.
        handle = current;
      }
      if (result.isDone()) {
        stopStream();
        return;
      }
      deliver(partial.text());
    }

    @Override
    public void onPartialResponse(String partial) {
      // Models that hand out no handle call this variant.
      deliver(partial);
    }

    @Override
    public void onCompleteResponse(ChatResponse response) {
      if (result.isDone()) {
        return;
      }
      AiMessage message = response == null ? null : response.aiMessage();
      if (!sawText && message != null && message.text() != null) {
        // A model that streamed nothing gives its whole answer here.
        deliver(message.text());
      }
      if (!result.isDone()) {
        failIfListenerThrew(text.finish());
      }
      if (result.isDone()) {
        return;
      }
      LlmResponse mapped;
      try {
        mapped =
            LlmResponse.builder()
                .text(text.text())
                .usage(response == null ? TokenUsage.ZERO : usageOf(response))
                .finishReason(finishReason(response == null ? null : response.finishReason()))
                .build();
      } catch (RuntimeException e) {
        result.completeExceptionally(
            new LlmException(
                LlmException.Kind.OTHER,
                "Could not read the response of " + description + ": " + e.getMessage(),
                e));
        return;
      }
      result.complete(mapped);
    }

    @Override
    public void onError(Throwable error) {
      if (!result.isDone()) {
        result.completeExceptionally(errors.translate(error, text.length()));
      }
    }

    /** Closes the stream if LangChain4j has handed out a handle; safe from any thread. */
    void stopStream() {
      StreamingHandle current = handle;
      if (current != null && !current.isCancelled()) {
        try {
          current.cancel();
        } catch (RuntimeException unsupported) {
          // Some providers cannot cancel; their stream runs on, and nothing more is delivered.
        }
      }
    }

    private TokenUsage usageOf(ChatResponse response) {
      TokenUsage usage = usageMapper.apply(response.tokenUsage());
      return usage == null ? TokenUsage.ZERO : usage;
    }

    /** Passes a delta on, unless the call is over (done, failed or cancelled). */
    private void deliver(String delta) {
      if (delta == null || delta.isEmpty() || result.isDone()) {
        return;
      }
      sawText = true;
      failIfListenerThrew(text.accept(delta));
    }

    private void failIfListenerThrew(LlmException failure) {
      if (failure != null) {
        result.completeExceptionally(failure);
        stopStream();
      }
    }

    private boolean mentionsStop(UnsupportedFeatureException e) {
      return e.getMessage() != null && e.getMessage().toLowerCase(Locale.ROOT).contains("stop");
    }
  }

  /**
   * Builds a {@link LangChain4jLlm}.
   *
   * <pre>{@code
   * LangChain4jLlm llm = LangChain4jLlm.builder()
   *     .model(anthropicStreamingModel)
   *     // Anthropic counts cache reads apart from the input tokens; report them as cached prompt tokens.
   *     .usageMapper(usage -> {
   *       AnthropicTokenUsage anthropic = (AnthropicTokenUsage) usage;
   *       int cached = anthropic.cacheReadInputTokens() == null ? 0 : anthropic.cacheReadInputTokens();
   *       return TokenUsage.builder()
   *           .promptTokens(anthropic.inputTokenCount() + cached)
   *           .completionTokens(anthropic.outputTokenCount())
   *           .cachedPromptTokens(cached)
   *           .build();
   *     })
   *     .build();
   * }</pre>
   */
  public static final class Builder {
    private StreamingChatModel model;
    private Function<? super dev.langchain4j.model.output.TokenUsage, TokenUsage> usageMapper =
        DefaultUsageMapper.INSTANCE;

    private Builder() {}

    /** The LangChain4j model to call. Required. */
    public Builder model(StreamingChatModel model) {
      this.model = Objects.requireNonNull(model, "model");
      return this;
    }

    /**
     * How to read a response's token usage, which may be {@code null} when the provider reported
     * none. Default: input and output tokens, and the cached prompt tokens of LangChain4j's OpenAI
     * models.
     */
    public Builder usageMapper(
        Function<? super dev.langchain4j.model.output.TokenUsage, TokenUsage> usageMapper) {
      this.usageMapper = Objects.requireNonNull(usageMapper, "usageMapper");
      return this;
    }

    /**
     * @throws IllegalStateException if no model was set
     */
    public LangChain4jLlm build() {
      if (model == null) {
        throw new IllegalStateException(
            "`model` is required but was not set: pass a LangChain4j StreamingChatModel,"
                + " e.g. OpenAiStreamingChatModel.builder()...build()");
      }
      return new LangChain4jLlm(this);
    }
  }
}
