package dev.llmcompiler.springai;

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
import org.reactivestreams.Subscription;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.metadata.Usage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.model.StreamingChatModel;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * An {@link LlmClient} over a Spring AI {@link StreamingChatModel} (every {@link ChatModel} is
 * one), so that any provider Spring AI supports (OpenAI, Anthropic, Gemini, Bedrock, Azure OpenAI,
 * Ollama, Mistral, …) can drive the planner and the joiner.
 *
 * <pre>{@code
 * OpenAiChatModel model = OpenAiChatModel.builder()      // or an auto-configured ChatModel bean
 *     .openAiApi(OpenAiApi.builder().apiKey(System.getenv("OPENAI_API_KEY")).build())
 *     .defaultOptions(OpenAiChatOptions.builder().model("gpt-4o-mini").streamUsage(true).build())
 *     .build();
 * try (LlmCompiler compiler = LlmCompiler.builder()
 *     .llm(SpringAiLlm.of(model))
 *     .tools(WeatherServiceTools.of(new WeatherService()))
 *     .build()) {
 *   System.out.println(compiler.run("Is it warmer in Paris or in Rome?").answer());
 * }
 * }</pre>
 *
 * <h2>Behaviour</h2>
 *
 * <ul>
 *   <li>The request becomes a {@link Prompt}: the system prompt as a {@link SystemMessage}, then
 *       the messages, with {@link ChatOptions} for the temperature, the token limit and the stop
 *       sequences, which override the model's default options. Everything else (model name, API
 *       key, retries) is the model's own configuration. Use a model without default tool callbacks:
 *       the planner and the joiner answer in text.
 *   <li>Text is delivered as the model's {@code Flux} emits it, one delta at a time. (Spring AI's
 *       OpenAI client holds each chunk back until the next one arrives, to attach the usage to the
 *       last one, so its text arrives one chunk late.) Stop sequences are also enforced here, so
 *       the text ends before the first one even when the provider ignores them. A {@code ChatModel}
 *       that cannot stream is called once, on Reactor's bounded-elastic scheduler, and its whole
 *       text delivered as one delta.
 *   <li>Usage: prompt and completion tokens of the last chunk that reports them, with the cached
 *       prompt tokens of Spring AI's OpenAI client (from its native usage); other providers' cached
 *       tokens can be read with {@link Builder#usageMapper}. Spring AI's OpenAI client reports
 *       usage in a stream only with {@code OpenAiChatOptions.streamUsage(true)} (Spring Boot:
 *       {@code spring.ai.openai.chat.options.stream-usage=true}); without it the usage is zero. The
 *       finish reason is the provider's, in lower case ({@code stop}, {@code length}, …).
 *   <li>Errors end the future with an {@link LlmException}: the HTTP status of a WebClient-based
 *       provider's error (401/403 {@code AUTHENTICATION}, 429 {@code RATE_LIMITED}, 400/404/422
 *       {@code BAD_REQUEST}, 408 {@code TIMEOUT}, 5xx {@code UNAVAILABLE}) with the provider's
 *       message; a timeout {@code TIMEOUT}; an I/O failure {@code UNAVAILABLE} before any text and
 *       {@code STREAM_BROKEN} after; anything else {@code OTHER}.
 *   <li><b>Cancelling</b> the future cancels the subscription to the model's stream and delivers no
 *       more text. What happens to the HTTP exchange is up to the provider's client: with Spring's
 *       JDK connector (WebClient's default when Reactor Netty is absent) the JDK reads the rest of
 *       the response to keep the connection, so the provider generates to the end.
 * </ul>
 *
 * <p>One instance serves concurrent calls. The model stays the caller's: {@link #close()} does
 * nothing.
 */
public final class SpringAiLlm implements LlmClient {
  private final StreamingChatModel model;
  private final Function<? super Usage, TokenUsage> usageMapper;
  private final String description;
  private final ErrorTranslator errors;

  private SpringAiLlm(Builder builder) {
    this.model = builder.model;
    this.usageMapper = builder.usageMapper;
    this.description = model.getClass().getSimpleName();
    this.errors = new ErrorTranslator(description);
  }

  /** A client over {@code model} with the default usage mapping. */
  public static SpringAiLlm of(StreamingChatModel model) {
    return builder().model(model).build();
  }

  /** A builder; the model is required. */
  public static Builder builder() {
    return new Builder();
  }

  /** The Spring AI model every call goes to. */
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
            // Safe before the subscription exists: it is then cancelled as it arrives.
            call.dispose();
          }
        });
    Flux<ChatResponse> responses;
    try {
      responses = stream(toPrompt(request));
    } catch (RuntimeException e) {
      result.completeExceptionally(errors.translate(e, 0));
      return result;
    }
    responses.subscribe(call);
    return result;
  }

  @Override
  public String toString() {
    return "SpringAiLlm[model=" + description + "]";
  }

  private Flux<ChatResponse> stream(Prompt prompt) {
    try {
      return model.stream(prompt);
    } catch (UnsupportedOperationException notStreaming) {
      if (model instanceof ChatModel chatModel) {
        // ChatModel's default stream() refuses; call() blocks, so it runs off the caller's thread.
        return Mono.fromCallable(() -> chatModel.call(prompt))
            .subscribeOn(Schedulers.boundedElastic())
            .flux();
      }
      throw notStreaming;
    }
  }

  private static Prompt toPrompt(LlmRequest request) {
    List<Message> messages = new ArrayList<>(request.messages().size() + 1);
    // An empty system prompt means none; providers reject blank system messages.
    if (!request.system().isBlank()) {
      messages.add(new SystemMessage(request.system()));
    }
    for (LlmMessage message : request.messages()) {
      messages.add(
          message.role() == LlmMessage.Role.ASSISTANT
              ? new AssistantMessage(message.content())
              : new UserMessage(message.content()));
    }
    ChatOptions.Builder options = ChatOptions.builder();
    request.temperature().ifPresent(options::temperature);
    request.maxTokens().ifPresent(options::maxTokens);
    if (!request.stop().isEmpty()) {
      options.stopSequences(request.stop());
    }
    return new Prompt(messages, options.build());
  }

  /**
   * One {@link #chat} call: the subscriber to the model's stream. Reactive Streams deliver its
   * signals one at a time; only {@link #dispose()} comes from another thread.
   */
  private final class Call extends BaseSubscriber<ChatResponse> {
    private final CompletableFuture<LlmResponse> result;
    private final StreamedText text;
    private Usage usage;
    private String finishReason;

    Call(LlmRequest request, LlmStreamListener listener, CompletableFuture<LlmResponse> result) {
      this.result = result;
      this.text = new StreamedText(request.stop(), listener);
    }

    @Override
    protected void hookOnSubscribe(Subscription subscription) {
      // The stream is read as fast as it comes; the listener's work is the only back-pressure.
      subscription.request(Long.MAX_VALUE);
    }

    @Override
    protected void hookOnNext(ChatResponse response) {
      if (result.isDone()) {
        dispose();
        return;
      }
      if (response.getMetadata() != null && reportsTokens(response.getMetadata().getUsage())) {
        usage = response.getMetadata().getUsage();
      }
      for (Generation generation : response.getResults()) {
        if (generation == null) {
          continue;
        }
        if (generation.getOutput() != null && !result.isDone()) {
          failIfListenerThrew(text.accept(generation.getOutput().getText()));
        }
        String reason =
            generation.getMetadata() == null ? null : generation.getMetadata().getFinishReason();
        if (reason != null && !reason.isBlank()) {
          finishReason = reason.toLowerCase(Locale.ROOT);
        }
      }
    }

    @Override
    protected void hookOnComplete() {
      if (result.isDone()) {
        return;
      }
      failIfListenerThrew(text.finish());
      if (result.isDone()) {
        return;
      }
      LlmResponse response;
      try {
        TokenUsage mapped = usageMapper.apply(usage);
        response =
            LlmResponse.builder()
                .text(text.text())
                .usage(mapped == null ? TokenUsage.ZERO : mapped)
                .finishReason(Optional.ofNullable(finishReason))
                .build();
      } catch (RuntimeException e) {
        result.completeExceptionally(
            new LlmException(
                LlmException.Kind.OTHER,
                "Could not read the response of " + description + ": " + e.getMessage(),
                e));
        return;
      }
      result.complete(response);
    }

    @Override
    protected void hookOnError(Throwable error) {
      if (!result.isDone()) {
        result.completeExceptionally(errors.translate(error, text.length()));
      }
    }

    private void failIfListenerThrew(LlmException failure) {
      if (failure != null) {
        result.completeExceptionally(failure);
        dispose();
      }
    }

    private boolean reportsTokens(Usage candidate) {
      if (candidate == null) {
        return false;
      }
      Integer prompt = candidate.getPromptTokens();
      Integer completion = candidate.getCompletionTokens();
      // Chunks without usage carry an empty one (zeros); only the last chunk has the real counts.
      return (prompt != null && prompt > 0) || (completion != null && completion > 0);
    }
  }

  /**
   * Builds a {@link SpringAiLlm}.
   *
   * <pre>{@code
   * SpringAiLlm llm = SpringAiLlm.builder()
   *     .model(anthropicChatModel)
   *     // Read the provider's cached prompt tokens from its native usage object.
   *     .usageMapper(usage -> TokenUsage.builder()
   *         .promptTokens(usage.getPromptTokens())
   *         .completionTokens(usage.getCompletionTokens())
   *         .cachedPromptTokens(cacheReadTokensOf(usage.getNativeUsage()))
   *         .build())
   *     .build();
   * }</pre>
   */
  public static final class Builder {
    private StreamingChatModel model;
    private Function<? super Usage, TokenUsage> usageMapper = DefaultUsageMapper.INSTANCE;

    private Builder() {}

    /** The Spring AI model to call; a {@link ChatModel} bean will do. Required. */
    public Builder model(StreamingChatModel model) {
      this.model = Objects.requireNonNull(model, "model");
      return this;
    }

    /**
     * How to read the token usage of the call, which is {@code null} when the provider reported
     * none. Default: prompt and completion tokens, and the cached prompt tokens of Spring AI's
     * OpenAI client.
     */
    public Builder usageMapper(Function<? super Usage, TokenUsage> usageMapper) {
      this.usageMapper = Objects.requireNonNull(usageMapper, "usageMapper");
      return this;
    }

    /**
     * @throws IllegalStateException if no model was set
     */
    public SpringAiLlm build() {
      if (model == null) {
        throw new IllegalStateException(
            "`model` is required but was not set: pass a Spring AI ChatModel or"
                + " StreamingChatModel, e.g. the auto-configured ChatModel bean");
      }
      return new SpringAiLlm(this);
    }
  }
}
