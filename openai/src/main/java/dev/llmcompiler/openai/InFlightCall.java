package dev.llmcompiler.openai;

import dev.llmcompiler.runtime.llm.LlmResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import okhttp3.Call;

/**
 * One {@link OpenAiLlm#chat} call while it runs: the HTTP exchanges it opened (one per SDK attempt)
 * and the worker thread, so that cancelling can cut it off at once wherever it is.
 *
 * <p>All state changes happen under this object's monitor; no user code ever runs under it, so
 * {@link #abort()} cannot deadlock with a listener.
 */
final class InFlightCall {
  private final String id;
  private final CompletableFuture<LlmResponse> result;
  private final boolean warmUp;
  private final List<Call> httpCalls = new ArrayList<>(2);
  private Thread worker;
  private boolean streaming;
  private volatile boolean aborted;

  InFlightCall(String id, CompletableFuture<LlmResponse> result, boolean warmUp) {
    this.id = id;
    this.result = result;
    this.warmUp = warmUp;
  }

  String id() {
    return id;
  }

  /** The future the caller holds. */
  CompletableFuture<LlmResponse> result() {
    return result;
  }

  /** Whether this is {@link OpenAiLlm#warmUp}'s call, which must never reach the network. */
  boolean isWarmUp() {
    return warmUp;
  }

  boolean isAborted() {
    return aborted;
  }

  /** Binds the calling worker thread; false if the call was aborted before it started. */
  synchronized boolean start() {
    if (aborted) {
      return false;
    }
    worker = Thread.currentThread();
    return true;
  }

  /**
   * Registers an HTTP exchange the SDK is about to run for this call; false if the call was
   * aborted, in which case the exchange must not run.
   */
  synchronized boolean register(Call call) {
    if (aborted) {
      call.cancel();
      return false;
    }
    httpCalls.add(call);
    return true;
  }

  /**
   * The response headers arrived: from here on, aborting cancels the exchange, never interrupts.
   */
  synchronized void streamOpened() {
    streaming = true;
  }

  /**
   * The worker is done with this call: unbinds it, forgets the finished exchanges (a later abort
   * must not touch them) and clears an interrupt this call may have left on the thread.
   */
  synchronized void finish() {
    worker = null;
    httpCalls.clear();
    // An abort during connect or retry back-off interrupts the worker; the pool thread must not
    // carry that flag into its next task.
    Thread.interrupted();
  }

  /**
   * Stops the call wherever it is: cancels every HTTP exchange (closing its socket, so a blocked
   * read ends at once) and, while the SDK may be sleeping between retries, interrupts the worker.
   * Never interrupts while the listener may be running.
   */
  synchronized void abort() {
    if (aborted) {
      return;
    }
    aborted = true;
    httpCalls.forEach(Call::cancel);
    if (worker != null && !streaming) {
      worker.interrupt();
    }
  }
}
