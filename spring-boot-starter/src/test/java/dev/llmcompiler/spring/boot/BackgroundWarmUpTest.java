package dev.llmcompiler.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The warm-up runs off the thread that starts the context, and a failure changes nothing. */
class BackgroundWarmUpTest {

  @Test
  void startReturnsAtOnceAndTheWarmUpRunsOnItsOwnThread() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicReference<String> thread = new AtomicReference<>();
    BackgroundWarmUp<String> warmUp =
        new BackgroundWarmUp<>(
            "test",
            () -> List.of("a"),
            client -> {
              thread.set(Thread.currentThread().getName());
              return CompletableFuture.runAsync(
                  () -> {
                    try {
                      release.await();
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                  });
            });
    // start() cannot wait for the warm-up: it is held until after start() returned.
    warmUp.start();
    assertThat(warmUp.done()).isNotDone();
    release.countDown();
    warmUp.done().get(10, TimeUnit.SECONDS);
    assertThat(thread.get()).isEqualTo("llmcompiler-warm-up");
  }

  @Test
  void aFailedWarmUpIsLoggedAndEnds() throws Exception {
    BackgroundWarmUp<String> warmUp =
        new BackgroundWarmUp<>(
            "test",
            () -> List.of("a", "b"),
            client -> {
              if (client.equals("a")) {
                throw new IllegalStateException("boom");
              }
              return CompletableFuture.completedFuture(null);
            });
    warmUp.start();
    warmUp.done().get(10, TimeUnit.SECONDS);
    assertThat(warmUp.isRunning()).isTrue();
  }
}
