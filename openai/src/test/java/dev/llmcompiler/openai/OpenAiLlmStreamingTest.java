package dev.llmcompiler.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmcompiler.runtime.llm.LlmMessage;
import dev.llmcompiler.runtime.llm.LlmRequest;
import dev.llmcompiler.runtime.llm.LlmResponse;
import dev.llmcompiler.runtime.llm.TokenUsage;
import dev.llmcompiler.testkit.RecordedRequest;
import dev.llmcompiler.testkit.RecordedRequest.Message;
import dev.llmcompiler.testkit.ScriptedOpenAiServer;
import dev.llmcompiler.testkit.ScriptedResponse;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OpenAiLlmStreamingTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private ScriptedOpenAiServer server;
  private OpenAiLlm llm;

  @BeforeAll
  static void warmUp() throws Exception {
    SdkWarmUp.once();
  }

  @BeforeEach
  void start() {
    server = ScriptedOpenAiServer.start();
    llm =
        OpenAiLlm.builder()
            .baseUrl(server.baseUrl())
            .apiKey("test-key")
            .model("test-model")
            .idleTimeout(Duration.ofSeconds(5))
            .build();
  }

  @AfterEach
  void stop() {
    llm.close();
    server.close();
  }

  private static LlmRequest ask(String question) {
    return LlmRequest.builder().system("You plan.").addMessage(LlmMessage.user(question)).build();
  }

  @Test
  void deltasArriveInOrderWhileTheServerIsStillStreaming() throws Exception {
    CountDownLatch firstDeltaSeen = new CountDownLatch(1);
    server.enqueue(
        ScriptedResponse.stream("1. search(", "\"Apple\")\n", "2. search(\"MS\")\n", "join()")
            .chunkDelay(Duration.ofMillis(5))
            .pauseBefore(3, firstDeltaSeen) // the last chunk waits for the client's first delta
            .usage(17, 4));
    AtomicInteger chunksSentAtFirstDelta = new AtomicInteger(-1);
    DeltaRecorder deltas = new DeltaRecorder();

    CompletableFuture<LlmResponse> future =
        llm.chat(
            ask("plan"),
            delta -> {
              if (chunksSentAtFirstDelta.get() < 0) {
                chunksSentAtFirstDelta.set(server.request(0).chunksSent());
                firstDeltaSeen.countDown();
              }
              deltas.onText(delta);
            });
    LlmResponse response = future.get(WAIT.toSeconds(), TimeUnit.SECONDS);

    assertThat(chunksSentAtFirstDelta.get()).isBetween(1, 3);
    assertThat(deltas.deltas())
        .containsExactly("1. search(", "\"Apple\")\n", "2. search(\"MS\")\n", "join()");
    assertThat(response.text()).isEqualTo("1. search(\"Apple\")\n2. search(\"MS\")\njoin()");
    assertThat(response.finishReason()).hasValue("stop");
    assertThat(response.usage()).isEqualTo(TokenUsage.of(17, 4));
    assertThat(deltas.threads()).allMatch(name -> name.startsWith("llmcompiler-openai-"));
  }

  @Test
  void chatReturnsBeforeTheResponseBegins() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    server.enqueue(ScriptedResponse.stream("late").pauseBefore(0, release));

    CompletableFuture<LlmResponse> future = llm.chat(ask("q"), delta -> {});

    assertThat(future).isNotDone();
    release.countDown();
    assertThat(future.get(WAIT.toSeconds(), TimeUnit.SECONDS).text()).isEqualTo("late");
  }

  @Test
  void sendsTheRequestAsTheChatCompletionsApiExpects() throws Exception {
    server.enqueue(ScriptedResponse.stream("ok"));
    LlmRequest request =
        LlmRequest.builder()
            .purpose("planner")
            .system("You are a planner.")
            .addMessage(LlmMessage.user("Question: a?"))
            .addMessage(LlmMessage.assistant("1. search(\"a\")"))
            .addMessage(LlmMessage.user("Observation: 1"))
            .stop(List.of("<END_OF_PLAN>", "Observation:"))
            .temperature(0.25)
            .maxTokens(64)
            .build();

    llm.chat(request, delta -> {}).get(WAIT.toSeconds(), TimeUnit.SECONDS);

    RecordedRequest sent = server.request(0);
    assertThat(sent.method()).isEqualTo("POST");
    assertThat(sent.path()).isEqualTo("/v1/chat/completions");
    assertThat(sent.model()).isEqualTo("test-model");
    assertThat(sent.messages())
        .containsExactly(
            new Message("system", "You are a planner."),
            new Message("user", "Question: a?"),
            new Message("assistant", "1. search(\"a\")"),
            new Message("user", "Observation: 1"));
    assertThat(sent.stop()).containsExactly("<END_OF_PLAN>", "Observation:");
    assertThat(sent.stream()).isTrue();
    assertThat(sent.includeUsage()).isTrue();
    assertThat(sent.temperature()).hasValue(0.25);
    // Not OpenAI itself: the widely supported max_tokens.
    assertThat(sent.maxTokens()).hasValue(64);
    assertThat(sent.maxCompletionTokens()).isEmpty();
    assertThat(sent.header("Authorization")).hasValue("Bearer test-key");
    // The call-tracking header is stripped before anything is sent.
    assertThat(sent.headers().keySet()).noneMatch(name -> name.contains("llmcompiler"));
    assertThat(sent.body().has("purpose")).isFalse();
  }

  @Test
  void omitsWhatTheRequestDoesNotSet() throws Exception {
    server.enqueue(ScriptedResponse.stream("ok"));

    llm.chat(LlmRequest.builder().addMessage(LlmMessage.user("hi")).build(), delta -> {})
        .get(WAIT.toSeconds(), TimeUnit.SECONDS);

    RecordedRequest sent = server.request(0);
    assertThat(sent.messages()).containsExactly(new Message("user", "hi"));
    assertThat(sent.body().has("stop")).isFalse();
    assertThat(sent.body().has("temperature")).isFalse();
    assertThat(sent.body().has("max_tokens")).isFalse();
  }

  @Test
  void defaultTemperatureAppliesOnlyWhenTheRequestSetsNone() throws Exception {
    try (OpenAiLlm warm =
        OpenAiLlm.builder().baseUrl(server.baseUrl()).defaultTemperature(0.7).build()) {
      server.enqueue(ScriptedResponse.stream("a"), ScriptedResponse.stream("b"));

      warm.chat(ask("q"), delta -> {}).get(WAIT.toSeconds(), TimeUnit.SECONDS);
      warm.chat(ask("q").toBuilder().temperature(0).build(), delta -> {})
          .get(WAIT.toSeconds(), TimeUnit.SECONDS);

      assertThat(server.request(0).temperature()).hasValue(0.7);
      assertThat(server.request(1).temperature()).hasValue(0.0);
    }
  }

  @Test
  void stopSequencesAreEnforcedEvenWhenTheServerRunsPastThem() throws Exception {
    server.enqueue(
        ScriptedResponse.stream("1. a()\njoin()<END_", "OF_PLAN>", "text after the stop"));
    DeltaRecorder deltas = new DeltaRecorder();

    LlmResponse response =
        llm.chat(ask("q").toBuilder().stop(List.of("<END_OF_PLAN>")).build(), deltas)
            .get(WAIT.toSeconds(), TimeUnit.SECONDS);

    assertThat(response.text()).isEqualTo("1. a()\njoin()");
    assertThat(deltas.text()).isEqualTo("1. a()\njoin()");
  }

  @Test
  void reportsZeroUsageAndTheFinishReasonWhenTheServerSendsNoUsage() throws Exception {
    server.enqueue(ScriptedResponse.stream("cut", " short").noUsage().finishReason("length"));

    LlmResponse response = llm.chat(ask("q"), delta -> {}).get(WAIT.toSeconds(), TimeUnit.SECONDS);

    assertThat(response.text()).isEqualTo("cut short");
    assertThat(response.usage()).isEqualTo(TokenUsage.ZERO);
    assertThat(response.finishReason()).hasValue("length");
  }

  @Test
  void cachedPromptTokensOfTheFinalUsageChunkReachTheResponse() throws Exception {
    server.enqueue(ScriptedResponse.stream("Par", "is").usage(1200, 2, 1024));

    LlmResponse response = llm.chat(ask("q"), delta -> {}).get(WAIT.toSeconds(), TimeUnit.SECONDS);

    assertThat(server.request(0).includeUsage()).isTrue();
    assertThat(response.text()).isEqualTo("Paris");
    assertThat(response.usage().cachedPromptTokens()).hasValue(1024);
    assertThat(response.usage())
        .isEqualTo(
            TokenUsage.builder()
                .promptTokens(1200)
                .completionTokens(2)
                .cachedPromptTokens(1024)
                .build());
  }

  @Test
  void cachedPromptTokensAreUnknownWhenTheProviderOmitsTheDetails() throws Exception {
    server.enqueue(ScriptedResponse.stream("Paris").usage(1200, 1));

    LlmResponse response = llm.chat(ask("q"), delta -> {}).get(WAIT.toSeconds(), TimeUnit.SECONDS);

    assertThat(response.usage().cachedPromptTokens()).isEmpty();
    assertThat(response.usage()).isEqualTo(TokenUsage.of(1200, 1));
  }

  @Test
  void inconsistentUsageAndAnEmptyFinishReasonDoNotFailTheCall() throws Exception {
    server.enqueue(
        ScriptedResponse.custom(
            (exchange, request) -> {
              exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
              exchange.sendResponseHeaders(200, 0);
              try (OutputStream out = exchange.getResponseBody()) {
                out.write(
                    ("data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,"
                            + "\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":"
                            + "{\"content\":\"ok\"},\"finish_reason\":\"\"}]}\n\n"
                            + "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,"
                            + "\"model\":\"m\",\"choices\":[],\"usage\":{\"prompt_tokens\":10,"
                            + "\"completion_tokens\":1,\"total_tokens\":11,"
                            + "\"prompt_tokens_details\":{\"cached_tokens\":50}}}\n\n"
                            + "data: [DONE]\n\n")
                        .getBytes(StandardCharsets.UTF_8));
              }
            }));

    LlmResponse response = llm.chat(ask("q"), delta -> {}).get(WAIT.toSeconds(), TimeUnit.SECONDS);

    assertThat(response.text()).isEqualTo("ok");
    assertThat(response.finishReason()).isEmpty();
    assertThat(response.usage().promptTokens()).isEqualTo(10);
    assertThat(response.usage().cachedPromptTokens()).hasValue(10);
  }

  @Test
  void theIdleTimeoutDoesNotCutAStreamLongerThanIt() throws Exception {
    try (OpenAiLlm strict =
        OpenAiLlm.builder().baseUrl(server.baseUrl()).idleTimeout(Duration.ofMillis(500)).build()) {
      // 12 chunks 100 ms apart: 1.2 s in all, more than twice the idle timeout.
      List<String> chunks = List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l");
      server.enqueue(ScriptedResponse.stream(chunks).chunkDelay(Duration.ofMillis(100)));

      LlmResponse response =
          strict.chat(ask("q"), delta -> {}).get(WAIT.toSeconds(), TimeUnit.SECONDS);

      assertThat(response.text()).isEqualTo("abcdefghijkl");
    }
  }

  @Test
  void sequentialCallsReuseOneConnection() throws Exception {
    server.enqueue(
        ScriptedResponse.stream("one"),
        ScriptedResponse.stream("two"),
        ScriptedResponse.stream("three"));

    for (int i = 0; i < 3; i++) {
      llm.chat(ask("q"), delta -> {}).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    assertThat(server.request(1).clientPort()).isEqualTo(server.request(0).clientPort());
    assertThat(server.request(2).clientPort()).isEqualTo(server.request(0).clientPort());
  }

  @Test
  void concurrentCallsStreamInParallel() throws Exception {
    // The server answers none of the four until all four have arrived: a client that sent them one
    // after another would leave the first waiting until the gate gives up.
    CountDownLatch allArrived = new CountDownLatch(4);
    AtomicInteger arrivedTogether = new AtomicInteger();
    server.respondWith(
        request -> {
          allArrived.countDown();
          try {
            if (allArrived.await(WAIT.toSeconds(), TimeUnit.SECONDS)) {
              arrivedTogether.incrementAndGet();
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return ScriptedResponse.stream("answer to " + request.lastUserMessage());
        });

    List<CompletableFuture<LlmResponse>> calls =
        List.of(
            llm.chat(ask("1"), delta -> {}),
            llm.chat(ask("2"), delta -> {}),
            llm.chat(ask("3"), delta -> {}),
            llm.chat(ask("4"), delta -> {}));
    CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new))
        .get(3 * WAIT.toSeconds(), TimeUnit.SECONDS);

    assertThat(arrivedTogether.get()).as("requests in flight at the same time").isEqualTo(4);
    for (int i = 0; i < 4; i++) {
      assertThat(calls.get(i).get().text()).isEqualTo("answer to " + (i + 1));
    }
  }
}
