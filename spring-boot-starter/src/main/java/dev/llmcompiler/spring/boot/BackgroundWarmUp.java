package dev.llmcompiler.spring.boot;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Warms clients up on a daemon thread of its own when the application context starts, before the
 * web server (phase 0), so startup never waits for it. The clients are looked up when the context
 * starts; the warm-ups run in the background. A failed warm-up is logged and changes nothing else:
 * the first real call then pays the cost instead.
 *
 * @param <T> the kind of client
 */
final class BackgroundWarmUp<T> implements SmartLifecycle {
  private static final Log LOG = LogFactory.getLog(BackgroundWarmUp.class);

  private final String what;
  private final Supplier<List<T>> clients;
  private final Function<T, CompletionStage<?>> warmUp;
  private final CompletableFuture<Void> done = new CompletableFuture<>();
  private volatile boolean running;

  BackgroundWarmUp(String what, Supplier<List<T>> clients, Function<T, CompletionStage<?>> warmUp) {
    this.what = Objects.requireNonNull(what, "what");
    this.clients = Objects.requireNonNull(clients, "clients");
    this.warmUp = Objects.requireNonNull(warmUp, "warmUp");
  }

  @Override
  public void start() {
    if (running) {
      return;
    }
    running = true;
    List<T> targets = clients.get();
    Thread thread = new Thread(() -> run(targets), "llmcompiler-warm-up");
    thread.setDaemon(true);
    thread.start();
  }

  private void run(List<T> targets) {
    long start = System.nanoTime();
    try {
      CompletableFuture.allOf(
              targets.stream()
                  .map(warmUp)
                  .map(CompletionStage::toCompletableFuture)
                  .toArray(CompletableFuture[]::new))
          .whenComplete((ignored, failure) -> finished(start, failure));
    } catch (RuntimeException | Error e) {
      finished(start, e);
    }
  }

  private void finished(long start, Throwable failure) {
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    if (failure == null) {
      LOG.debug(what + " warm-up done in " + millis + " ms");
    } else if (!running) {
      LOG.debug(what + " warm-up ended by shutdown: " + failure);
    } else {
      LOG.warn(
          what
              + " warm-up failed after "
              + millis
              + " ms; the first call will pay the one-time cost instead: "
              + failure,
          failure);
    }
    done.complete(null);
  }

  /** Completes when the warm-up has ended, successfully or not. */
  CompletableFuture<Void> done() {
    return done;
  }

  /** Nothing to stop: the warm-up ends on its own, or when its client is closed. */
  @Override
  public void stop() {
    running = false;
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public int getPhase() {
    return 0;
  }
}
