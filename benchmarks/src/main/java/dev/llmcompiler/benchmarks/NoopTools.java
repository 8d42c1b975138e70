package dev.llmcompiler.benchmarks;

import dev.llmcompiler.annotations.Effect;
import dev.llmcompiler.annotations.Tool;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Tools that cost nothing (for framework overhead), or wait a fixed pause: without a thread, or
 * holding their thread like a blocking HTTP client (for scale).
 */
public final class NoopTools {
  private final long pauseMs;
  private final Executor delayed;

  /**
   * @param pauseMs how long {@link #pause} and {@link #block} take
   */
  NoopTools(long pauseMs, Executor scheduler) {
    this.pauseMs = pauseMs;
    this.delayed = CompletableFuture.delayedExecutor(pauseMs, TimeUnit.MILLISECONDS, scheduler);
  }

  /**
   * Returns its input at once.
   *
   * @param input any text
   */
  @Tool(effect = Effect.READ_ONLY)
  public String noop(String input) {
    return input;
  }

  /**
   * Returns its input after a fixed pause, like a call to a remote service, without holding a
   * thread.
   *
   * @param input any text
   */
  @Tool(effect = Effect.READ_ONLY)
  public CompletableFuture<String> pause(String input) {
    return CompletableFuture.supplyAsync(() -> input, delayed);
  }

  /**
   * Returns its input after a fixed pause, holding its thread the whole time, like a call through a
   * blocking HTTP client.
   *
   * @param input any text
   */
  @Tool
  public String block(String input) throws InterruptedException {
    Thread.sleep(pauseMs);
    return input;
  }
}
