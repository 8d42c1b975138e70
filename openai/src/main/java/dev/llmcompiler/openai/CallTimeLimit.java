package dev.llmcompiler.openai;

import dev.llmcompiler.runtime.llm.LlmException;
import dev.llmcompiler.runtime.llm.LlmResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The limit on one whole call: the idle timeout cannot stop a server that trickles text forever,
 * since every piece resets it. When the limit passes, the call's future fails with the exception
 * {@code expired} makes, and the call's own completion handling aborts the HTTP exchange.
 *
 * <p>The timer is the JDK's shared delayer behind {@link CompletableFuture#orTimeout}: no thread of
 * ours, and the timer is cancelled the moment the call ends, so a finished call holds nothing.
 */
final class CallTimeLimit {
  private CallTimeLimit() {}

  /** Fails {@code call} with {@code expired.get()} if it has not ended within {@code limit}. */
  static void apply(
      CompletableFuture<LlmResponse> call, Duration limit, Supplier<LlmException> expired) {
    CompletableFuture<Void> timer =
        new CompletableFuture<Void>().orTimeout(nanos(limit), TimeUnit.NANOSECONDS);
    timer.whenComplete(
        (ignored, timedOut) -> {
          if (timedOut != null && !call.isDone()) {
            call.completeExceptionally(expired.get());
          }
        });
    // Completing the timer cancels its pending task in the delayer.
    call.whenComplete((response, failure) -> timer.complete(null));
  }

  /** The limit in nanoseconds; a limit of more than 292 years is as good as none. */
  static long nanos(Duration limit) {
    try {
      return limit.toNanos();
    } catch (ArithmeticException tooLong) {
      return Long.MAX_VALUE;
    }
  }
}
