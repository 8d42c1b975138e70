package dev.llmcompiler.benchmarks;

import dev.llmcompiler.annotations.Effect;
import dev.llmcompiler.annotations.Tool;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/** Tools that cost nothing (for framework overhead) or only wait without a thread (for scale). */
public final class NoopTools {
  private final Executor delayed;

  /** @param pauseMs how long {@link #pause} takes; its waiting holds no thread */
  NoopTools(long pauseMs, Executor scheduler) {
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
   * Returns its input after a fixed pause, like a call to a remote service, without holding a thread.
   *
   * @param input any text
   */
  @Tool(effect = Effect.READ_ONLY)
  public CompletableFuture<String> pause(String input) {
    return CompletableFuture.supplyAsync(() -> input, delayed);
  }
}
