package dev.llmcompiler.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.llmcompiler.runtime.llm.LlmException;
import dev.llmcompiler.runtime.llm.LlmMessage;
import dev.llmcompiler.runtime.llm.LlmRequest;
import dev.llmcompiler.runtime.llm.LlmResponse;
import dev.llmcompiler.testkit.RecordedRequest.Outcome;
import dev.llmcompiler.testkit.ScriptedOpenAiServer;
import dev.llmcompiler.testkit.ScriptedResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OpenAiLlmLifecycleTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final LlmRequest REQUEST =
      LlmRequest.builder().system("s").addMessage(LlmMessage.user("q")).build();

  private ScriptedOpenAiServer server;

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
    server.close();
  }

  private OpenAiLlm.Builder client() {
    return OpenAiLlm.builder().baseUrl(server.baseUrl()).idleTimeout(Duration.ofSeconds(5));
  }

  /** Forty chunks; the fourth waits for {@code gate}, the rest follow 10 ms apart. */
  private static ScriptedResponse longStream(CountDownLatch gate) {
    List<String> chunks = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      chunks.add("chunk" + i + " ");
    }
    return ScriptedResponse.stream(chunks).chunkDelay(Duration.ofMillis(10)).pauseBefore(3, gate);
  }

  @Test
  void cancellingMidStreamClosesTheConnectionAndDeliversNothingMore() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    server.enqueue(longStream(gate));
    DeltaRecorder deltas = new DeltaRecorder();
    try (OpenAiLlm llm = client().build()) {
      CompletableFuture<LlmResponse> future = llm.chat(REQUEST, deltas);
      deltas.awaitDeltas(3, WAIT);

      assertThat(future.cancel(true)).isTrue();
      gate.countDown(); // the server goes on writing into a connection the client has closed

      assertThat(server.request(0).outcome().get(WAIT.toSeconds(), TimeUnit.SECONDS))
          .isEqualTo(Outcome.CLIENT_DISCONNECTED);
      assertThat(deltas.deltas()).containsExactly("chunk0 ", "chunk1 ", "chunk2 ");
      assertThat(server.request(0).chunksSent()).isLessThan(40);
      assertThat(future).isCancelled();
    }
  }

  @Test
  void cancellingFromInsideTheListenerStopsDeliveryAtOnce() throws Exception {
    CountDownLatch never = new CountDownLatch(0);
    server.enqueue(longStream(never));
    DeltaRecorder deltas = new DeltaRecorder();
    AtomicReference<CompletableFuture<LlmResponse>> self = new AtomicReference<>();
    CountDownLatch started = new CountDownLatch(1);
    try (OpenAiLlm llm = client().build()) {
      self.set(
          llm.chat(
              REQUEST,
              delta -> {
                awaitQuietly(started);
                deltas.onText(delta);
                if (deltas.deltas().size() == 2) {
                  self.get().cancel(true);
                }
              }));
      started.countDown();
      server.awaitRequests(1, WAIT);

      assertThat(server.request(0).outcome().get(WAIT.toSeconds(), TimeUnit.SECONDS))
          .isEqualTo(Outcome.CLIENT_DISCONNECTED);
      assertThat(deltas.deltas()).containsExactly("chunk0 ", "chunk1 ");
      assertThat(self.get()).isCancelled();
    }
  }

  @Test
  void cancellingWhileWaitingForTheResponseFreesTheWorkerAtOnce() throws Exception {
    ExecutorService oneThread = Executors.newSingleThreadExecutor();
    // The idle timeout is three times the wait below: only a cancel that frees the worker lets the
    // second call through in time.
    try (OpenAiLlm llm = client().idleTimeout(WAIT.multipliedBy(3)).executor(oneThread).build()) {
      server.enqueue(ScriptedResponse.hang(), ScriptedResponse.stream("second"));
      CompletableFuture<LlmResponse> hanging = llm.chat(REQUEST, delta -> {});
      server.awaitRequests(1, WAIT);

      hanging.cancel(true);
      LlmResponse second = llm.chat(REQUEST, delta -> {}).get(WAIT.toSeconds(), TimeUnit.SECONDS);

      assertThat(second.text()).isEqualTo("second");
    } finally {
      oneThread.shutdownNow();
    }
  }

  @Test
  void cancellingDuringRetryBackOffStopsTheRetries() throws Exception {
    ExecutorService oneThread = Executors.newSingleThreadExecutor();
    try (OpenAiLlm llm = client().executor(oneThread).maxRetries(2).build()) {
      server.enqueue(
          ScriptedResponse.error(429, "wait a minute").retryAfterSeconds(30),
          ScriptedResponse.stream("second"));
      CompletableFuture<LlmResponse> backingOff = llm.chat(REQUEST, delta -> {});
      server.awaitRequests(1, WAIT);
      server.request(0).outcome().get(WAIT.toSeconds(), TimeUnit.SECONDS);

      backingOff.cancel(true);
      LlmResponse second = llm.chat(REQUEST, delta -> {}).get(WAIT.toSeconds(), TimeUnit.SECONDS);

      assertThat(second.text()).isEqualTo("second");
      assertThat(server.requestCount()).as("the cancelled call never retried").isEqualTo(2);
    } finally {
      oneThread.shutdownNow();
    }
  }

  @Test
  void closeAbortsCallsInFlightWithAClearError() throws Exception {
    server.enqueue(ScriptedResponse.stream("a", "b").hangAfter(1));
    DeltaRecorder deltas = new DeltaRecorder();
    OpenAiLlm llm = client().build();
    CompletableFuture<LlmResponse> future = llm.chat(REQUEST, deltas);
    deltas.awaitDeltas(1, WAIT);

    llm.close();

    Throwable thrown = catchThrowable(() -> future.get(WAIT.toSeconds(), TimeUnit.SECONDS));
    assertThat(thrown).isInstanceOf(ExecutionException.class);
    assertThat(thrown.getCause())
        .isInstanceOf(LlmException.class)
        .hasMessageContaining("closed while this call was running");
    assertThat(((LlmException) thrown.getCause()).kind()).isEqualTo(LlmException.Kind.OTHER);
  }

  @Test
  void aClosedClientRefusesNewCalls() {
    OpenAiLlm llm = client().build();
    llm.close();
    llm.close(); // idempotent

    assertThatThrownBy(() -> llm.chat(REQUEST, delta -> {}))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void closeLeavesNoThreadsBehind() throws Exception {
    Set<Thread> before = Thread.getAllStackTraces().keySet();
    server.enqueue(
        ScriptedResponse.stream("ok"),
        ScriptedResponse.error(500, "boom"),
        ScriptedResponse.stream("a", "b").hangAfter(1));
    try (OpenAiLlm llm = client().maxRetries(0).build()) {
      llm.chat(REQUEST, delta -> {}).get(WAIT.toSeconds(), TimeUnit.SECONDS);
      catchThrowable(() -> llm.chat(REQUEST, delta -> {}).get(WAIT.toSeconds(), TimeUnit.SECONDS));
      DeltaRecorder deltas = new DeltaRecorder();
      CompletableFuture<LlmResponse> cancelled = llm.chat(REQUEST, deltas);
      deltas.awaitDeltas(1, WAIT);
      cancelled.cancel(true);
    }

    List<Thread> ours =
        Thread.getAllStackTraces().keySet().stream()
            .filter(t -> t.getName().startsWith("llmcompiler-openai-"))
            .collect(Collectors.toList());
    for (Thread thread : ours) {
      thread.join(5000);
    }
    assertThat(ours).noneMatch(Thread::isAlive);
    // Nothing else either (the SDK's retry timer, OkHttp's dispatcher), apart from the test
    // server's threads and OkHttp's process-wide TaskRunner, which idles out on its own.
    List<String> leftOver =
        Thread.getAllStackTraces().keySet().stream()
            .filter(t -> !before.contains(t) && t.isAlive())
            .map(Thread::getName)
            .filter(name -> !name.startsWith("scripted-openai-server-"))
            .filter(name -> !name.startsWith("OkHttp TaskRunner"))
            .collect(Collectors.toList());
    assertThat(leftOver).isEmpty();
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
