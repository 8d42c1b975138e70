package dev.llmcompiler.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.llmcompiler.runtime.llm.LlmException;
import dev.llmcompiler.runtime.llm.LlmException.Kind;
import dev.llmcompiler.runtime.llm.LlmMessage;
import dev.llmcompiler.runtime.llm.LlmRequest;
import dev.llmcompiler.runtime.llm.LlmResponse;
import dev.llmcompiler.runtime.llm.LlmStreamListener;
import dev.llmcompiler.testkit.RecordedRequest.Outcome;
import dev.llmcompiler.testkit.ScriptedOpenAiServer;
import dev.llmcompiler.testkit.ScriptedResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OpenAiLlmErrorTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final LlmRequest REQUEST =
      LlmRequest.builder().system("s").addMessage(LlmMessage.user("q")).build();

  private ScriptedOpenAiServer server;
  private OpenAiLlm llm;

  @BeforeAll
  static void warmUp() throws Exception {
    SdkWarmUp.once();
  }

  @BeforeEach
  void start() {
    server = ScriptedOpenAiServer.start();
    llm = client(2, Duration.ofSeconds(5));
  }

  @AfterEach
  void stop() {
    llm.close();
    server.close();
  }

  private OpenAiLlm client(int maxRetries, Duration idleTimeout) {
    return OpenAiLlm.builder()
        .baseUrl(server.baseUrl())
        .apiKey("test-key")
        .model("test-model")
        .maxRetries(maxRetries)
        .idleTimeout(idleTimeout)
        .build();
  }

  private static LlmException failure(CompletableFuture<LlmResponse> future) {
    Throwable thrown = catchThrowable(() -> future.get(WAIT.toSeconds(), TimeUnit.SECONDS));
    assertThat(thrown).isInstanceOf(ExecutionException.class);
    assertThat(thrown.getCause()).isInstanceOf(LlmException.class);
    return (LlmException) thrown.getCause();
  }

  @Test
  void rateLimitThenSuccessYieldsANormalResponse() throws Exception {
    server.enqueue(
        ScriptedResponse.error(429, "Rate limit reached for requests").retryAfterMillis(10),
        ScriptedResponse.stream("fine").usage(3, 1));

    LlmResponse response = llm.chat(REQUEST, delta -> {}).get(WAIT.toSeconds(), TimeUnit.SECONDS);

    assertThat(response.text()).isEqualTo("fine");
    assertThat(server.requestCount()).isEqualTo(2);
    assertThat(server.request(1).messages()).isEqualTo(server.request(0).messages());
  }

  @Test
  void retryAfterFromTheServerIsHonoured() throws Exception {
    server.enqueue(
        ScriptedResponse.error(429, "slow down").retryAfterMillis(400),
        ScriptedResponse.stream("after the wait"));
    long start = System.nanoTime();

    llm.chat(REQUEST, delta -> {}).get(WAIT.toSeconds(), TimeUnit.SECONDS);

    long elapsedMs = (System.nanoTime() - start) / 1_000_000;
    assertThat(elapsedMs).isGreaterThanOrEqualTo(380);
  }

  @Test
  void exhaustedRateLimitRetriesEndInRateLimited() {
    server.respondWith(
        request -> ScriptedResponse.error(429, "Rate limit reached for gpt").retryAfterMillis(5));

    LlmException e = failure(llm.chat(REQUEST, delta -> {}));

    assertThat(e.kind()).isEqualTo(Kind.RATE_LIMITED);
    assertThat(e.statusCode()).hasValue(429);
    assertThat(e.getMessage())
        .contains("HTTP 429", server.baseUrl(), "Rate limit reached for gpt", "2 retries", "Wait");
    assertThat(server.requestCount()).isEqualTo(3);
  }

  @Test
  void unauthorizedIsNotRetriedAndSaysToSetTheKey() {
    server.respondWith(request -> ScriptedResponse.error(401, "Incorrect API key provided"));

    LlmException e = failure(llm.chat(REQUEST, delta -> {}));

    assertThat(e.kind()).isEqualTo(Kind.AUTHENTICATION);
    assertThat(e.statusCode()).hasValue(401);
    assertThat(e.getMessage()).contains("Incorrect API key provided", "OPENAI_API_KEY");
    assertThat(server.requestCount()).isEqualTo(1);
  }

  @Test
  void forbiddenIsAnAuthenticationFailure() {
    server.respondWith(request -> ScriptedResponse.error(403, "Project lacks access"));

    LlmException e = failure(llm.chat(REQUEST, delta -> {}));

    assertThat(e.kind()).isEqualTo(Kind.AUTHENTICATION);
    assertThat(e.statusCode()).hasValue(403);
  }

  @Test
  void unknownModelIsABadRequestCarryingTheServersMessage() {
    server.respondWith(
        request ->
            ScriptedResponse.error(
                    404, "The model `" + request.model() + "` does not exist or you lack access.")
                .code("model_not_found"));

    LlmException e = failure(llm.chat(REQUEST, delta -> {}));

    assertThat(e.kind()).isEqualTo(Kind.BAD_REQUEST);
    assertThat(e.statusCode()).hasValue(404);
    assertThat(e.getMessage())
        .contains("The model `test-model` does not exist", "'test-model'", "OPENAI_MODEL");
    assertThat(server.requestCount()).isEqualTo(1);
  }

  @Test
  void invalidRequestIsABadRequest() {
    server.respondWith(request -> ScriptedResponse.error(400, "'stop' has too many items"));

    LlmException e = failure(llm.chat(REQUEST, delta -> {}));

    assertThat(e.kind()).isEqualTo(Kind.BAD_REQUEST);
    assertThat(e.getMessage()).contains("'stop' has too many items");
  }

  @Test
  void serverErrorThenSuccessYieldsANormalResponse() throws Exception {
    server.enqueue(
        ScriptedResponse.error(500, "The server had an error").retryAfterMillis(0),
        ScriptedResponse.stream("recovered"));

    LlmResponse response = llm.chat(REQUEST, delta -> {}).get(WAIT.toSeconds(), TimeUnit.SECONDS);

    assertThat(response.text()).isEqualTo("recovered");
    assertThat(server.requestCount()).isEqualTo(2);
  }

  @Test
  void persistentServerErrorsEndInUnavailableNamingTheServer() {
    server.respondWith(request -> ScriptedResponse.error(503, "Overloaded").retryAfterMillis(0));

    LlmException e = failure(llm.chat(REQUEST, delta -> {}));

    assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
    assertThat(e.statusCode()).hasValue(503);
    assertThat(e.getMessage()).contains(server.baseUrl(), "Overloaded");
    assertThat(server.requestCount()).isEqualTo(3);
  }

  @Test
  void anUnreachableServerIsUnavailableNamingTheBaseUrl() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    String url = "http://127.0.0.1:" + closedPort + "/v1";
    try (OpenAiLlm nowhere = OpenAiLlm.builder().baseUrl(url).maxRetries(0).build()) {

      LlmException e = failure(nowhere.chat(REQUEST, delta -> {}));

      assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
      assertThat(e.getMessage()).contains("Could not reach " + url, "OPENAI_BASE_URL");
    }
  }

  @Test
  void aConnectionBrokenMidStreamIsStreamBroken() {
    server.enqueue(
        ScriptedResponse.stream("1. sea", "rch(\"x\")", "\n2. more", "()").breakAfter(2));
    DeltaRecorder deltas = new DeltaRecorder();

    LlmException e = failure(llm.chat(REQUEST, deltas));

    assertThat(e.kind()).isEqualTo(Kind.STREAM_BROKEN);
    assertThat(e.getMessage()).contains("after 14 characters", server.baseUrl());
    assertThat(deltas.deltas()).containsExactly("1. sea", "rch(\"x\")");
    assertThat(server.requestCount()).as("nothing is retried once text arrived").isEqualTo(1);
    assertThat(server.request(0).outcome()).isCompletedWithValue(Outcome.BROKEN_BY_SCRIPT);
  }

  @Test
  void anErrorEventInsideTheStreamIsStreamBrokenWithTheServersMessage() {
    server.enqueue(
        ScriptedResponse.custom(
            (exchange, request) -> {
              exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
              exchange.sendResponseHeaders(200, 0);
              try (OutputStream out = exchange.getResponseBody()) {
                out.write(
                    ("data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,"
                            + "\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":"
                            + "{\"content\":\"par\"},\"finish_reason\":null}]}\n\n"
                            + "data: {\"error\":{\"message\":\"The model is overloaded\","
                            + "\"type\":\"server_error\"}}\n\n")
                        .getBytes(StandardCharsets.UTF_8));
              }
            }));
    DeltaRecorder deltas = new DeltaRecorder();

    LlmException e = failure(llm.chat(REQUEST, deltas));

    assertThat(e.kind()).isEqualTo(Kind.STREAM_BROKEN);
    assertThat(e.getMessage()).contains("The model is overloaded", "after 3 characters");
    assertThat(deltas.text()).isEqualTo("par");
  }

  @Test
  void aStreamEndingWithoutAFinishReasonIsStreamBroken() {
    server.enqueue(ScriptedResponse.stream("half a pl", "an").endWithoutFinish());

    LlmException e = failure(llm.chat(REQUEST, delta -> {}));

    assertThat(e.kind()).isEqualTo(Kind.STREAM_BROKEN);
    assertThat(e.getMessage()).contains("without a finish reason", "after 11 characters");
  }

  @Test
  void silenceMidStreamLongerThanTheIdleTimeoutIsATimeout() {
    try (OpenAiLlm impatient = client(2, Duration.ofMillis(300))) {
      server.enqueue(ScriptedResponse.stream("a", "b", "never").hangAfter(2));
      long start = System.nanoTime();

      LlmException e = failure(impatient.chat(REQUEST, delta -> {}));

      long elapsedMs = (System.nanoTime() - start) / 1_000_000;
      assertThat(e.kind()).isEqualTo(Kind.TIMEOUT);
      assertThat(e.getMessage()).contains("idle timeout", "300 ms", "after 2 characters");
      // Far below the server's 10 s gate, after which the stream would end as STREAM_BROKEN
      // instead.
      assertThat(elapsedMs).isBetween(250L, 8000L);
      assertThat(server.requestCount()).isEqualTo(1);
    }
  }

  @Test
  void aServerThatNeverAnswersTimesOutWhileWaitingForTheResponse() {
    try (OpenAiLlm impatient = client(0, Duration.ofMillis(300))) {
      server.enqueue(ScriptedResponse.hang());

      LlmException e = failure(impatient.chat(REQUEST, delta -> {}));

      assertThat(e.kind()).isEqualTo(Kind.TIMEOUT);
      assertThat(e.getMessage()).contains("waiting for the response to begin");
    }
  }

  @Test
  void aListenerThatThrowsAbortsTheCall() {
    server.enqueue(ScriptedResponse.stream("a", "b", "c"));
    LlmStreamListener failing =
        delta -> {
          throw new IllegalStateException("parser bug");
        };

    LlmException e = failure(llm.chat(REQUEST, failing));

    assertThat(e.kind()).isEqualTo(Kind.OTHER);
    assertThat(e.getCause()).hasMessage("parser bug");
    assertThat(e.getMessage()).contains("listener", "aborted");
  }
}
