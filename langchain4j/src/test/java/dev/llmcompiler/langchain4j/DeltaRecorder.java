package dev.llmcompiler.langchain4j;

import dev.llmcompiler.runtime.llm.LlmStreamListener;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** A listener that records deltas and lets a test wait for the n-th one. */
final class DeltaRecorder implements LlmStreamListener {
  private final List<String> deltas = new CopyOnWriteArrayList<>();

  @Override
  public void onText(String delta) {
    synchronized (this) {
      deltas.add(delta);
      notifyAll();
    }
  }

  List<String> deltas() {
    return List.copyOf(deltas);
  }

  String text() {
    return String.join("", deltas);
  }

  /** Waits until {@code count} deltas arrived; fails the test if they do not in time. */
  synchronized void awaitDeltas(int count, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (deltas.size() < count) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError(
            "expected " + count + " deltas within " + timeout + ", got " + deltas);
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
  }
}
