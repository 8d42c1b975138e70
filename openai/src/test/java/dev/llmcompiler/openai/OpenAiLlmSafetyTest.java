package dev.llmcompiler.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.llmcompiler.runtime.llm.LlmException;
import dev.llmcompiler.runtime.llm.LlmException.Kind;
import dev.llmcompiler.runtime.llm.LlmMessage;
import dev.llmcompiler.runtime.llm.LlmRequest;
import dev.llmcompiler.runtime.llm.LlmResponse;
import dev.llmcompiler.testkit.RecordedRequest.Outcome;
import dev.llmcompiler.testkit.ScriptedOpenAiServer;
import dev.llmcompiler.testkit.ScriptedResponse;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Keys never reach a message, and a call that never ends is cut at its time limit. */
class OpenAiLlmSafetyTest {
  private static final String CANARY = "sk-SECRET-CANARY-123";
  private static final LlmRequest REQUEST =
      LlmRequest.builder().system("s").addMessage(LlmMessage.user("q")).build();

  private ScriptedOpenAiServer server;
  private final List<OpenAiLlm> clients = new ArrayList<>();

  @BeforeAll
  static void warmUp() throws Exception {
    SdkWarmUp.once();
  }

  @BeforeEach
  void start() {
    server = ScriptedOpenAiServer.start();
  }

  @AfterEach
  void stop() {
    clients.forEach(OpenAiLlm::close);
    server.close();
  }

  private OpenAiLlm client(String apiKey, Duration callTimeout) {
    OpenAiLlm llm =
        OpenAiLlm.builder()
            .baseUrl(server.baseUrl())
            .apiKey(apiKey)
            .model("test-model")
            .maxRetries(0)
            .callTimeout(callTimeout)
            .build();
    clients.add(llm);
    return llm;
  }

  private static LlmException failure(CompletableFuture<LlmResponse> future) {
    Throwable thrown = catchThrowable(() -> future.get(10, TimeUnit.SECONDS));
    assertThat(thrown).isInstanceOf(ExecutionException.class);
    assertThat(thrown.getCause()).isInstanceOf(LlmException.class);
    return (LlmException) thrown.getCause();
  }

  /** The exception as a log line would show it: message, causes, suppressed, stack frames. */
  static String printed(Throwable error) {
    StringWriter out = new StringWriter();
    error.printStackTrace(new PrintWriter(out, true));
    return out.toString();
  }

  @Test
  void aKeyTheServerEchoesIsMaskedInTheMessageAndEveryCause() {
    server.respondWith(
        request ->
            ScriptedResponse.error(
                401,
                "Incorrect API key provided: "
                    + CANARY
                    + ". You can find your API key at https://platform.openai.com/account/api-keys."));

    LlmException e = failure(client(CANARY, Duration.ofMinutes(1)).chat(REQUEST, delta -> {}));

    assertThat(e.kind()).isEqualTo(Kind.AUTHENTICATION);
    assertThat(e.statusCode()).hasValue(401);
    assertThat(e.getMessage()).contains("Incorrect API key provided: ***", "OPENAI_API_KEY");
    assertThat(printed(e)).doesNotContain(CANARY).doesNotContain("SECRET-CANARY");
    // The request itself did carry the key: only what comes back is masked.
    assertThat(server.request(0).header("Authorization")).hasValue("Bearer " + CANARY);
  }

  @Test
  void aStringShapedLikeAKeyIsMaskedEvenIfItIsNotTheConfiguredOne() {
    server.respondWith(
        request ->
            ScriptedResponse.error(
                401,
                "Incorrect API key provided: "
                    + CANARY
                    + " (Authorization: Bearer "
                    + CANARY
                    + ")"));

    LlmException e =
        failure(
            client("sk-proj-another-configured-key", Duration.ofMinutes(1)).chat(REQUEST, d -> {}));

    assertThat(e.getMessage())
        .contains("Incorrect API key provided: sk-*** (Authorization: Bearer ***)");
    assertThat(printed(e)).doesNotContain("SECRET-CANARY");
  }

  @Test
  void theConfiguredKeyIsMaskedWhateverItsShape() {
    String key = "local-7f3a9c-passphrase";
    server.respondWith(
        request -> ScriptedResponse.error(500, "upstream rejected key " + key + " for this model"));

    LlmException e = failure(client(key, Duration.ofMinutes(1)).chat(REQUEST, delta -> {}));

    assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
    assertThat(e.getMessage()).contains("upstream rejected key *** for this model");
    assertThat(printed(e)).doesNotContain(key);
  }

  @Test
  void aServerThatTricklesTextForeverIsCutAtTheCallTimeout() throws Exception {
    // 3000 chunks 5 ms apart take 15 s at least: far past the limit, yet never idle for long.
    List<String> chunks = new ArrayList<>(Collections.nCopies(3000, "x"));
    server.enqueue(ScriptedResponse.stream(chunks).chunkDelay(Duration.ofMillis(5)));
    List<String> received = Collections.synchronizedList(new ArrayList<>());

    LlmException e = failure(client(CANARY, Duration.ofMillis(300)).chat(REQUEST, received::add));

    assertThat(e.kind()).isEqualTo(Kind.TIMEOUT);
    assertThat(e.getMessage()).contains("callTimeout").contains("300 ms");
    assertThat(received).as("text was arriving when the limit cut the call").isNotEmpty();
    assertThat(server.request(0).outcome().get(10, TimeUnit.SECONDS))
        .isEqualTo(Outcome.CLIENT_DISCONNECTED);
    assertThat(server.request(0).chunksSent()).isLessThan(3000);
  }

  @Test
  void aCallThatEndsInTimeIsNotTouchedByTheLimit() throws Exception {
    server.enqueue(ScriptedResponse.stream("fine").usage(3, 1));

    LlmResponse response =
        client(CANARY, Duration.ofSeconds(30)).chat(REQUEST, delta -> {}).get(10, TimeUnit.SECONDS);

    assertThat(response.text()).isEqualTo("fine");
  }

  @Test
  void theCallTimeoutMustBePositiveAndDefaultsToTenMinutes() {
    assertThat(OpenAiLlm.DEFAULT_CALL_TIMEOUT).isEqualTo(Duration.ofMinutes(10));
    assertThatThrownBy(() -> OpenAiLlm.builder().callTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("callTimeout must be positive");
    assertThat(CallTimeLimit.nanos(Duration.ofSeconds(Long.MAX_VALUE))).isEqualTo(Long.MAX_VALUE);
  }
}
