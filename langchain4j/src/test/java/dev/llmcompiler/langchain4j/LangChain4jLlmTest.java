package dev.llmcompiler.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.langchain4j.exception.UnsupportedFeatureException;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.llmcompiler.runtime.llm.LlmException;
import dev.llmcompiler.runtime.llm.LlmMessage;
import dev.llmcompiler.runtime.llm.LlmRequest;
import dev.llmcompiler.runtime.llm.LlmResponse;
import dev.llmcompiler.runtime.llm.TokenUsage;
import dev.llmcompiler.testkit.RecordedRequest;
import dev.llmcompiler.testkit.RecordedRequest.Message;
import dev.llmcompiler.testkit.RecordedRequest.Outcome;
import dev.llmcompiler.testkit.ScriptedOpenAiServer;
import dev.llmcompiler.testkit.ScriptedResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link LangChain4jLlm} over LangChain4j's own OpenAI client, against the scripted server on
 * loopback.
 */
class LangChain4jLlmTest {
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
  private StreamingChatModel openAi;
  private LangChain4jLlm llm;

  @BeforeEach
  void start() {
    server = ScriptedOpenAiServer.start();
    openAi =
        OpenAiStreamingChatModel.builder()
            .baseUrl(server.baseUrl())
            .apiKey("test-key")
            .modelName("scripted-model")
            .timeout(WAIT)
            .build();
    llm = LangChain4jLlm.of(openAi);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static ScriptedResponse longStream(int gateBefore, CountDownLatch gate) {
    List<String> chunks = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      chunks.add("chunk" + i + " ");
    }
    return ScriptedResponse.stream(chunks)
        .chunkDelay(Duration.ofMillis(5))
        .pauseBefore(gateBefore, gate);
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
  void aProviderWithoutCachedTokensReportsThemAsUnknown() throws Exception {
    server.enqueue(ScriptedResponse.stream("Paris").usage(40, 1).finishReason("length"));

    LlmResponse response = llm.chat(PLAN, delta -> {}).get(WAIT.toSeconds(), TimeUnit.SECONDS);

    assertThat(response.usage()).isEqualTo(TokenUsage.of(40, 1));
    assertThat(response.usage().cachedPromptTokens()).isEmpty();
    assertThat(response.finishReason()).hasValue("length");
  }

  @Test
  void aStopSequenceCutsTheTextEvenWhenTheServerIgnoresIt() throws Exception {
    // The scripted server does not honour `stop`, like some OpenAI-compatible servers; the sequence
    // is split.
    server.enqueue(
        ScriptedResponse.stream("1. quote(\"Apple\")\njoin()<END_", "OF_PLAN>", "\nThought: more"));
    DeltaRecorder deltas = new DeltaRecorder();

    LlmResponse response = llm.chat(PLAN, deltas).get(WAIT.toSeconds(), TimeUnit.SECONDS);

    assertThat(response.text()).isEqualTo("1. quote(\"Apple\")\njoin()");
    assertThat(deltas.text()).isEqualTo(response.text());
  }

  @Test
  void aModelThatRejectsStopSequencesIsAskedAgainWithoutThemAndTheGuardStillCuts()
      throws Exception {
    List<ChatRequest> asked = new ArrayList<>();
    // Like OpenAI's Responses API models, which throw at once for stop sequences.
    StreamingChatModel refusesStops =
        new StreamingChatModel() {
          @Override
          public void chat(ChatRequest request, StreamingChatResponseHandler handler) {
            asked.add(request);
            List<String> stops = request.parameters().stopSequences();
            if (stops != null && !stops.isEmpty()) {
              throw new UnsupportedFeatureException(
                  "'stopSequences' parameter is not supported by this API");
            }
            openAi.chat(request, handler);
          }
        };
    server.enqueue(ScriptedResponse.stream("join()<END_OF_PLAN>", " trailing"));

    LlmResponse response =
        LangChain4jLlm.of(refusesStops)
            .chat(PLAN, delta -> {})
            .get(WAIT.toSeconds(), TimeUnit.SECONDS);

    assertThat(response.text()).isEqualTo("join()");
    assertThat(asked).hasSize(2);
    assertThat(server.requestCount()).isEqualTo(1);
    assertThat(server.request(0).stop()).isEmpty();
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
  void aRejectedKeyIsAnAuthenticationFailureAndTheEchoedKeyIsMasked() {
    server.enqueue(
        ScriptedResponse.error(401, "Incorrect API key provided: sk-SECRET-CANARY-0123456789"));

    LlmException failure = failureOf(llm.chat(PLAN, delta -> {}));

    assertThat(failure.kind()).isEqualTo(LlmException.Kind.AUTHENTICATION);
    assertThat(failure.statusCode()).hasValue(401);
    assertThat(failure).hasMessageContaining("Incorrect API key provided: sk-***");
    for (Throwable t = failure; t != null; t = t.getCause()) {
      assertThat(String.valueOf(t.getMessage())).doesNotContain("SECRET-CANARY");
    }
  }

  @Test
  void anUnknownModelIsABadRequestAndAServerErrorMeansUnavailable() {
    server.enqueue(
        ScriptedResponse.error(404, "The model `gpt-9` does not exist").code("model_not_found"),
        ScriptedResponse.error(503, "overloaded"));

    LlmException notFound = failureOf(llm.chat(PLAN, delta -> {}));
    LlmException unavailable = failureOf(llm.chat(PLAN, delta -> {}));

    assertThat(notFound.kind()).isEqualTo(LlmException.Kind.BAD_REQUEST);
    assertThat(notFound).hasMessageContaining("The model `gpt-9` does not exist");
    assertThat(unavailable.kind()).isEqualTo(LlmException.Kind.UNAVAILABLE);
    assertThat(unavailable.statusCode()).hasValue(503);
  }

  @Test
  void aStreamThatBreaksAfterSomeTextIsABrokenStream() throws Exception {
    // The connection breaks only once the client has read the first two chunks: LangChain4j drops
    // events it has not handed on yet when the stream fails, which would make this a race.
    CountDownLatch read = new CountDownLatch(1);
    server.enqueue(
        ScriptedResponse.stream("1. quote(", "\"Apple\")\n", "join()")
            .pauseBefore(2, read)
            .breakAfter(2));
    DeltaRecorder deltas = new DeltaRecorder();

    CompletableFuture<LlmResponse> call = llm.chat(PLAN, deltas);
    deltas.awaitDeltas(2, WAIT);
    read.countDown();
    LlmException failure = failureOf(call);

    assertThat(failure.kind()).as(failure.getMessage()).isEqualTo(LlmException.Kind.STREAM_BROKEN);
    assertThat(deltas.text()).isEqualTo("1. quote(\"Apple\")\n");
  }

  @Test
  void cancellingMidStreamDeliversNothingMoreAndClosesTheConnection() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    server.enqueue(longStream(3, gate));
    DeltaRecorder deltas = new DeltaRecorder();
    CompletableFuture<LlmResponse> future = llm.chat(PLAN, deltas);
    deltas.awaitDeltas(3, WAIT);

    assertThat(future.cancel(true)).isTrue();
    gate.countDown(); // the server goes on writing into a connection the client has closed

    assertThat(server.request(0).outcome().get(WAIT.toSeconds(), TimeUnit.SECONDS))
        .isEqualTo(Outcome.CLIENT_DISCONNECTED);
    assertThat(deltas.deltas()).containsExactly("chunk0 ", "chunk1 ", "chunk2 ");
    assertThat(future).isCancelled();
  }

  @Test
  void aCallCancelledBeforeItsFirstTokenClosesTheStreamWhenThatTokenArrives() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    server.enqueue(longStream(0, gate));
    DeltaRecorder deltas = new DeltaRecorder();
    CompletableFuture<LlmResponse> future = llm.chat(PLAN, deltas);
    server.awaitRequests(1, WAIT);

    future.cancel(true);
    gate.countDown();

    // LangChain4j hands out the stream's handle with the first partial response only.
    assertThat(server.request(0).outcome().get(WAIT.toSeconds(), TimeUnit.SECONDS))
        .isEqualTo(Outcome.CLIENT_DISCONNECTED);
    assertThat(server.request(0).chunksSent()).isLessThan(40);
    assertThat(deltas.deltas()).isEmpty();
    assertThat(catchThrowable(future::join)).isInstanceOf(CancellationException.class);
  }

  @Test
  void aListenerThatThrowsEndsTheCallAndTheStream() throws Exception {
    CountDownLatch never = new CountDownLatch(0);
    server.enqueue(longStream(3, never));
    AtomicReference<Integer> seen = new AtomicReference<>(0);

    LlmException failure =
        failureOf(
            llm.chat(
                PLAN,
                delta -> {
                  if (seen.updateAndGet(n -> n + 1) == 2) {
                    throw new IllegalStateException("listener bug");
                  }
                }));

    assertThat(failure.kind()).isEqualTo(LlmException.Kind.OTHER);
    assertThat(failure).hasMessageContaining("listener bug");
    assertThat(server.request(0).outcome().get(WAIT.toSeconds(), TimeUnit.SECONDS))
        .isEqualTo(Outcome.CLIENT_DISCONNECTED);
    assertThat(seen.get()).isEqualTo(2);
  }

  @Test
  void aModelIsRequired() {
    assertThat(catchThrowable(() -> LangChain4jLlm.builder().build()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("`model` is required");
  }
}
