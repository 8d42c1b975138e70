package dev.llmcompiler.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmcompiler.runtime.llm.LlmException;
import dev.llmcompiler.runtime.llm.LlmMessage;
import dev.llmcompiler.runtime.llm.LlmRequest;
import dev.llmcompiler.runtime.llm.LlmResponse;
import dev.llmcompiler.testkit.RecordedRequest;
import dev.llmcompiler.testkit.ScriptedOpenAiServer;
import dev.llmcompiler.testkit.ScriptedResponse;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OpenAiLlmWarmUpTest {
  private static final long WAIT_SECONDS = 60;

  private ScriptedOpenAiServer server;
  private final ExecutorService pool = Executors.newCachedThreadPool();

  @BeforeEach
  void start() {
    // Nothing scripted: a request reaching the server would be recorded and answered with a 500.
    server = ScriptedOpenAiServer.start();
  }

  @AfterEach
  void stop() {
    server.close();
    pool.shutdownNow();
  }

  @Test
  void warmUpSendsNoRequestToTheServer() throws Exception {
    try (OpenAiLlm llm = OpenAiLlm.builder().baseUrl(server.baseUrl()).build()) {
      CompletableFuture<Void> warmUp = llm.warmUp();

      assertThat(warmUp.get(WAIT_SECONDS, TimeUnit.SECONDS)).isNull();
      assertThat(server.requestCount()).isZero();
    }
  }

  @Test
  void warmUpOpensNoConnectionEvenForHttps() throws Exception {
    // A listening socket that nobody accepts from: a connection attempt would show in its backlog,
    // and a TLS handshake could never finish, so a warm-up that completes opened no connection.
    try (ServerSocket silent = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
        OpenAiLlm llm =
            OpenAiLlm.builder()
                .baseUrl("https://127.0.0.1:" + silent.getLocalPort() + "/v1")
                .build()) {
      llm.warmUp().get(WAIT_SECONDS, TimeUnit.SECONDS);

      silent.setSoTimeout(1);
      assertThatThrownBy(silent::accept).isInstanceOf(java.net.SocketTimeoutException.class);
    }
  }

  @Test
  void aCallAfterWarmUpWorksNormally() throws Exception {
    server.enqueue(ScriptedResponse.stream("Hello", ", world").usage(12, 3));
    try (OpenAiLlm llm = OpenAiLlm.builder().baseUrl(server.baseUrl()).model("m1").build()) {
      llm.warmUp().get(WAIT_SECONDS, TimeUnit.SECONDS);
      DeltaRecorder deltas = new DeltaRecorder();

      LlmResponse response =
          llm.chat(
                  LlmRequest.builder()
                      .system("sys")
                      .addMessage(LlmMessage.user("question"))
                      .build(),
                  deltas)
              .get(WAIT_SECONDS, TimeUnit.SECONDS);

      assertThat(response.text()).isEqualTo("Hello, world");
      assertThat(response.usage().promptTokens()).isEqualTo(12);
      assertThat(deltas.deltas()).containsExactly("Hello", ", world");
      assertThat(server.requestCount()).isEqualTo(1);
      RecordedRequest request = server.request(0);
      assertThat(request.model()).isEqualTo("m1");
      assertThat(request.messages())
          .containsExactly(
              new RecordedRequest.Message("system", "sys"),
              new RecordedRequest.Message("user", "question"));
      assertThat(request.header(CallTracker.CALL_ID_HEADER)).isEmpty();
    }
  }

  @Test
  void concurrentWarmUpsRunOneWarmUpAndAllComplete() throws Exception {
    AtomicInteger tasks = new AtomicInteger();
    Executor counting =
        task -> {
          tasks.incrementAndGet();
          pool.execute(task);
        };
    int callers = 8;
    CyclicBarrier together = new CyclicBarrier(callers);
    ExecutorService callerThreads = Executors.newFixedThreadPool(callers);
    try (OpenAiLlm llm = OpenAiLlm.builder().baseUrl(server.baseUrl()).executor(counting).build()) {
      List<Future<CompletableFuture<Void>>> started = new ArrayList<>();
      for (int i = 0; i < callers; i++) {
        started.add(
            callerThreads.submit(
                () -> {
                  together.await();
                  return llm.warmUp();
                }));
      }
      List<CompletableFuture<Void>> warmUps = new ArrayList<>();
      for (Future<CompletableFuture<Void>> future : started) {
        warmUps.add(future.get(WAIT_SECONDS, TimeUnit.SECONDS));
      }
      // Cancelling one caller's future stops neither the warm-up nor the other callers' futures.
      warmUps.get(0).cancel(true);
      for (CompletableFuture<Void> warmUp : warmUps.subList(1, callers)) {
        assertThat(warmUp.get(WAIT_SECONDS, TimeUnit.SECONDS)).isNull();
      }
      assertThat(llm.warmUp().get(WAIT_SECONDS, TimeUnit.SECONDS)).isNull();

      assertThat(tasks).as("tasks the warm-ups gave the executor").hasValue(1);
      assertThat(server.requestCount()).isZero();
    } finally {
      callerThreads.shutdownNow();
    }
  }

  @Test
  void warmUpAfterCloseFailsClearly() {
    OpenAiLlm llm = OpenAiLlm.builder().baseUrl(server.baseUrl()).build();
    llm.close();

    assertThatThrownBy(llm::warmUp)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed")
        .hasMessageContaining("create a new one");
  }

  @Test
  void closingDuringWarmUpFailsTheWarmUp() throws Exception {
    // An executor that holds tasks back, so the warm-up is certainly still pending at close().
    ConcurrentLinkedQueue<Runnable> held = new ConcurrentLinkedQueue<>();
    OpenAiLlm llm = OpenAiLlm.builder().baseUrl(server.baseUrl()).executor(held::add).build();
    CompletableFuture<Void> warmUp = llm.warmUp();

    llm.close();
    held.forEach(Runnable::run); // the held task finds its call aborted and returns

    assertThatThrownBy(() -> warmUp.get(WAIT_SECONDS, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(LlmException.class)
        .hasMessageContaining("warm-up")
        .hasMessageContaining("closed");
    assertThat(((LlmException) catchCause(warmUp)).kind()).isEqualTo(LlmException.Kind.OTHER);
    assertThat(server.requestCount()).isZero();
  }

  private static Throwable catchCause(CompletableFuture<?> future) {
    try {
      future.get(WAIT_SECONDS, TimeUnit.SECONDS);
      throw new AssertionError("expected the future to fail");
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
