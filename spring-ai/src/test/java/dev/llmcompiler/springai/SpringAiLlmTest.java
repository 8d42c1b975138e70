package dev.llmcompiler.springai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.llmcompiler.runtime.llm.LlmException;
import dev.llmcompiler.runtime.llm.LlmMessage;
import dev.llmcompiler.runtime.llm.LlmRequest;
import dev.llmcompiler.runtime.llm.LlmResponse;
import dev.llmcompiler.runtime.llm.TokenUsage;
import dev.llmcompiler.testkit.RecordedRequest;
import dev.llmcompiler.testkit.RecordedRequest.Message;
import dev.llmcompiler.testkit.ScriptedOpenAiServer;
import dev.llmcompiler.testkit.ScriptedResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.StreamingChatModel;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.ai.openai.OpenAiChatOptions;
import org.springframework.ai.openai.api.OpenAiApi;

/**
 * {@link SpringAiLlm} over Spring AI's own OpenAI client, against the scripted server on loopback.
 */
class SpringAiLlmTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final LlmRequest PLAN =
      LlmRequest.builder()
          .purpose("planner")
          .system("You plan.")
          .addMessage(LlmMessage.user("Question: how big is Apple?"))
          .addMessage(LlmMessage.assistant("Thought: I will look it up."))
          .addMessage(LlmMessage.user("Go on."))
          .stop(List.of("<END_OF_PLAN>"))
          .temperature(0.25)
          .maxTokens(300)
          .build();

  private ScriptedOpenAiServer server;
  private OpenAiChatModel openAi;
  private SpringAiLlm llm;

  /** Spring AI's OpenAI client on the scripted server: its paths already start with /v1. */
  static OpenAiChatModel openAi(ScriptedOpenAiServer server) {
    return OpenAiChatModel.builder()
        .openAiApi(
            OpenAiApi.builder()
                .baseUrl(server.baseUrl().substring(0, server.baseUrl().length() - "/v1".length()))
                .apiKey("test-key")
                .build())
        .defaultOptions(
            OpenAiChatOptions.builder().model("scripted-model").streamUsage(true).build())
        .build();
  }

  @BeforeEach
  void start() {
    server = ScriptedOpenAiServer.start();
    openAi = openAi(server);
    llm = SpringAiLlm.of(openAi);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static ScriptedResponse longStream(CountDownLatch gate) {
    List<String> chunks = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      chunks.add("chunk" + i + " ");
    }
    return ScriptedResponse.stream(chunks).chunkDelay(Duration.ofMillis(5)).pauseBefore(3, gate);
  }

  private static LlmException failureOf(CompletableFuture<LlmResponse> future) {
    Throwable thrown = catchThrowable(() -> future.get(WAIT.toSeconds(), TimeUnit.SECONDS));
    assertThat(thrown).isInstanceOf(ExecutionException.class);
    assertThat(thrown.getCause()).isInstanceOf(LlmException.class);
    return (LlmException) thrown.getCause();
  }

  @Test
  void streamsTheTextInOrderAndReportsUsageCachedTokensAndTheFinishReason() throws Exception {
    server.enqueue(
        ScriptedResponse.stream("1. quote(", "\"Apple\")\n", "join()").usage(1200, 9, 1024));
    DeltaRecorder deltas = new DeltaRecorder();

    LlmResponse response = llm.chat(PLAN, deltas).get(WAIT.toSeconds(), TimeUnit.SECONDS);

    assertThat(deltas.deltas()).containsExactly("1. quote(", "\"Apple\")\n", "join()");
    assertThat(response.text()).isEqualTo("1. quote(\"Apple\")\njoin()");
    assertThat(response.usage())
        .isEqualTo(
            TokenUsage.builder()
                .promptTokens(1200)
                .completionTokens(9)
                .cachedPromptTokens(1024)
                .build());
    assertThat(response.finishReason()).hasValue("stop");

    RecordedRequest sent = server.request(0);
    assertThat(sent.stream()).isTrue();
    assertThat(sent.includeUsage()).isTrue();
    assertThat(sent.model()).isEqualTo("scripted-model");
    assertThat(sent.messages())
        .containsExactly(
            new Message("system", "You plan."),
            new Message("user", "Question: how big is Apple?"),
            new Message("assistant", "Thought: I will look it up."),
            new Message("user", "Go on."));
    assertThat(sent.stop()).containsExactly("<END_OF_PLAN>");
    assertThat(sent.temperature()).hasValue(0.25);
    assertThat(sent.maxTokens()).hasValue(300);
  }

  @Test
  void aStopSequenceCutsTheTextEvenWhenTheServerIgnoresIt() throws Exception {
    server.enqueue(
        ScriptedResponse.stream("1. quote(\"Apple\")\njoin()<END_", "OF_PLAN>", "\nThought: more")
            .finishReason("length"));
    DeltaRecorder deltas = new DeltaRecorder();

    LlmResponse response = llm.chat(PLAN, deltas).get(WAIT.toSeconds(), TimeUnit.SECONDS);

    assertThat(response.text()).isEqualTo("1. quote(\"Apple\")\njoin()");
    assertThat(deltas.text()).isEqualTo(response.text());
    assertThat(response.finishReason()).hasValue("length");
  }

  @Test
  void aChatModelThatCannotStreamIsCalledOnceAndItsTextDeliveredWhole() throws Exception {
    ChatModel blocking = prompt -> openAi.call(prompt);
    server.enqueue(
        ScriptedResponse.stream("1. quote(\"Apple\")\n", "join()<END_OF_PLAN>").usage(300, 12));
    DeltaRecorder deltas = new DeltaRecorder();

    LlmResponse response =
        SpringAiLlm.of(blocking).chat(PLAN, deltas).get(WAIT.toSeconds(), TimeUnit.SECONDS);

    assertThat(deltas.deltas()).containsExactly("1. quote(\"Apple\")\njoin()");
    assertThat(response.usage()).isEqualTo(TokenUsage.of(300, 12));
    assertThat(server.request(0).stream()).isFalse();
  }

  @Test
  void rateLimitingIsRateLimitedWithTheServersMessage() {
    server.enqueue(ScriptedResponse.error(429, "Rate limit reached for requests"));

    LlmException failure = failureOf(llm.chat(PLAN, delta -> {}));

    assertThat(failure.kind()).isEqualTo(LlmException.Kind.RATE_LIMITED);
    assertThat(failure.statusCode()).hasValue(429);
    assertThat(failure)
        .hasMessageContaining("Rate limit reached for requests")
        .hasMessageContaining("HTTP 429");
  }

  @Test
  void aRejectedKeyIsAnAuthenticationFailureAndAServerErrorMeansUnavailable() {
    server.enqueue(
        ScriptedResponse.error(401, "Incorrect API key provided: sk-SECRET-CANARY-0123456789"),
        ScriptedResponse.error(500, "boom"));

    LlmException rejected = failureOf(llm.chat(PLAN, delta -> {}));
    LlmException failed = failureOf(llm.chat(PLAN, delta -> {}));

    assertThat(rejected.kind()).isEqualTo(LlmException.Kind.AUTHENTICATION);
    assertThat(rejected).hasMessageContaining("Incorrect API key provided: sk-***");
    for (Throwable t = rejected; t != null; t = t.getCause()) {
      assertThat(String.valueOf(t.getMessage())).doesNotContain("SECRET-CANARY");
    }
    assertThat(failed.kind()).isEqualTo(LlmException.Kind.UNAVAILABLE);
    assertThat(failed.statusCode()).hasValue(500);
  }

  @Test
  void anUnreachableServerIsUnavailable() {
    int port;
    try (ScriptedOpenAiServer gone = ScriptedOpenAiServer.start()) {
      port = Integer.parseInt(gone.baseUrl().replaceAll(".*:(\\d+)/v1", "$1"));
    }
    OpenAiChatModel nowhere =
        OpenAiChatModel.builder()
            .openAiApi(
                OpenAiApi.builder().baseUrl("http://127.0.0.1:" + port).apiKey("test-key").build())
            .defaultOptions(OpenAiChatOptions.builder().model("scripted-model").build())
            .build();

    LlmException failure = failureOf(SpringAiLlm.of(nowhere).chat(PLAN, delta -> {}));

    assertThat(failure.kind()).isEqualTo(LlmException.Kind.UNAVAILABLE);
  }

  @Test
  void aStreamThatBreaksAfterSomeTextIsABrokenStream() {
    server.enqueue(ScriptedResponse.stream("1. quote(", "\"Apple\")\n", "join()").breakAfter(2));
    DeltaRecorder deltas = new DeltaRecorder();

    LlmException failure = failureOf(llm.chat(PLAN, deltas));

    assertThat(failure.kind()).isEqualTo(LlmException.Kind.STREAM_BROKEN);
    // The second chunk was still held back by Spring AI (see above) when the connection broke.
    assertThat(deltas.text()).isEqualTo("1. quote(");
  }

  /** The OpenAI model, noting when its stream's subscription is cancelled. */
  private SpringAiLlm noticingCancel(CountDownLatch cancelled) {
    StreamingChatModel noticing = prompt -> openAi.stream(prompt).doOnCancel(cancelled::countDown);
    return SpringAiLlm.of(noticing);
  }

  @Test
  void cancellingMidStreamCancelsTheSubscriptionAndDeliversNothingMore() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    CountDownLatch cancelled = new CountDownLatch(1);
    server.enqueue(longStream(gate));
    DeltaRecorder deltas = new DeltaRecorder();
    CompletableFuture<LlmResponse> future = noticingCancel(cancelled).chat(PLAN, deltas);
    // Spring AI's OpenAI client holds each chunk back until the next one arrives: chunk2 waits for
    // chunk3.
    deltas.awaitDeltas(2, WAIT);

    assertThat(future.cancel(true)).isTrue();
    gate.countDown();

    assertThat(cancelled.await(WAIT.toSeconds(), TimeUnit.SECONDS))
        .as("the subscription was cancelled")
        .isTrue();
    // Spring's JDK connector then reads the response to its end to keep the connection; nothing
    // reaches us.
    server.request(0).outcome().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(deltas.deltas()).containsExactly("chunk0 ", "chunk1 ");
    assertThat(future).isCancelled();
  }

  @Test
  void aListenerThatThrowsEndsTheCallAndCancelsTheSubscription() throws Exception {
    CountDownLatch cancelled = new CountDownLatch(1);
    server.enqueue(longStream(new CountDownLatch(0)));
    AtomicInteger seen = new AtomicInteger();

    LlmException failure =
        failureOf(
            noticingCancel(cancelled)
                .chat(
                    PLAN,
                    delta -> {
                      if (seen.incrementAndGet() == 2) {
                        throw new IllegalStateException("listener bug");
                      }
                    }));

    assertThat(failure.kind()).isEqualTo(LlmException.Kind.OTHER);
    assertThat(failure).hasMessageContaining("listener bug");
    assertThat(cancelled.await(WAIT.toSeconds(), TimeUnit.SECONDS))
        .as("the subscription was cancelled")
        .isTrue();
    assertThat(seen.get()).isEqualTo(2);
  }

  @Test
  void aModelIsRequired() {
    assertThat(catchThrowable(() -> SpringAiLlm.builder().build()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("`model` is required");
  }
}
