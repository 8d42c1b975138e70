package dev.llmcompiler.samples;

import dev.llmcompiler.runtime.llm.LlmClient;
import dev.llmcompiler.runtime.llm.LlmRequest;
import dev.llmcompiler.runtime.llm.LlmResponse;
import dev.llmcompiler.runtime.llm.LlmStreamListener;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Wraps the model to record when each call started and ended, for the timeline's LLM rows and the
 * sequential estimate (the trace has task times but not the joiner's).
 */
final class TimedLlm implements LlmClient {
  /** One LLM call, in ms since the run's start. */
  record Call(String purpose, long startMs, long endMs) {}

  private final LlmClient delegate;
  private final RunClock clock;
  private final List<Call> calls = new ArrayList<>();

  TimedLlm(LlmClient delegate, RunClock clock) {
    this.delegate = delegate;
    this.clock = clock;
  }

  @Override
  public CompletableFuture<LlmResponse> chat(LlmRequest request, LlmStreamListener listener) {
    long start = elapsedMs();
    CompletableFuture<LlmResponse> call = delegate.chat(request, listener);
    // The caller gets the future that completes after the call is recorded, so a run that has ended
    // has every call in the list; cancelling it still cancels the call itself.
    CompletableFuture<LlmResponse> recorded =
        call.whenComplete(
            (response, error) -> record(new Call(request.purpose(), start, elapsedMs())));
    recorded.whenComplete(
        (response, error) -> {
          if (recorded.isCancelled()) {
            call.cancel(true);
          }
        });
    return recorded;
  }

  private synchronized void record(Call call) {
    calls.add(call);
  }

  /** The calls that have ended, oldest start first. */
  synchronized List<Call> calls() {
    List<Call> sorted = new ArrayList<>(calls);
    sorted.sort((a, b) -> Long.compare(a.startMs(), b.startMs()));
    return sorted;
  }

  private long elapsedMs() {
    return clock.elapsedMs();
  }
}
