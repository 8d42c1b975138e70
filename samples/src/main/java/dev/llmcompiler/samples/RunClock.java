package dev.llmcompiler.samples;

/**
 * Milliseconds since the run started, shared by the timed model and the progress view. Started
 * right before {@code run(question)}, so its zero matches the trace's (which counts from the start
 * of the run, not from building the compiler).
 */
final class RunClock {
  private volatile long startNanos = System.nanoTime();

  void start() {
    startNanos = System.nanoTime();
  }

  /** Starts the clock at a {@link System#nanoTime()} reading, e.g. the run's own start. */
  void startAt(long nanos) {
    startNanos = nanos;
  }

  long elapsedMs() {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  double elapsedSeconds() {
    return (System.nanoTime() - startNanos) / 1e9;
  }
}
