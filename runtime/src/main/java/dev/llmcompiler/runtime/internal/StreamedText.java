package dev.llmcompiler.runtime.internal;

import dev.llmcompiler.runtime.llm.LlmException;
import dev.llmcompiler.runtime.llm.LlmStreamListener;
import java.util.List;

/**
 * The text of one streaming call as an {@code LlmClient} delivers it: each delta passes the
 * request's stop sequences ({@link StopSequenceGuard}) and goes to the caller's listener, and what
 * was delivered is kept for the response. A listener that throws fails the call, in the same words
 * for every client, and nothing more is delivered after it. One per call; not thread-safe.
 *
 * <p>For the project's {@code LlmClient} implementations only: no compatibility promise.
 */
public final class StreamedText {
  private final StopSequenceGuard guard;
  private final LlmStreamListener listener;
  private final StringBuilder text = new StringBuilder();
  private boolean listenerFailed;

  /** The text of a call with these stop sequences, delivered to {@code listener}. */
  public StreamedText(List<String> stops, LlmStreamListener listener) {
    this.guard = new StopSequenceGuard(stops);
    this.listener = listener;
  }

  /**
   * Delivers what of {@code delta} may be delivered now.
   *
   * @return {@code null}, or the failure the call must end with because the listener threw (the
   *     caller then stops its stream)
   */
  public LlmException accept(String delta) {
    return deliver(guard.accept(delta == null ? "" : delta));
  }

  /**
   * The stream ended: delivers what was held back in case it began a stop sequence.
   *
   * @return as for {@link #accept(String)}
   */
  public LlmException finish() {
    return deliver(guard.flush());
  }

  /** The text delivered so far. */
  public String text() {
    return text.toString();
  }

  /** How many characters were delivered so far. */
  public int length() {
    return text.length();
  }

  private LlmException deliver(String out) {
    if (out.isEmpty() || listenerFailed) {
      return null;
    }
    text.append(out);
    try {
      listener.onText(out);
      return null;
    } catch (RuntimeException e) {
      listenerFailed = true;
      return new LlmException(
          LlmException.Kind.OTHER,
          "The stream listener threw "
              + e
              + " after "
              + text.length()
              + " characters; the call was aborted.",
          e);
    }
  }
}
