package dev.llmcompiler.runtime;

import java.lang.System.Logger.Level;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Delivers one run's events to the user's {@link RunListener}: a serial queue that the engine fills
 * in causal order, often while it holds its own locks (adding is cheap and runs no user code), and
 * that one drainer at a time empties on the run's executor, outside every engine lock. So a slow
 * listener delays only its own events, and nothing it throws, {@link Error}s included, reaches the
 * engine.
 *
 * <p>Without a listener every method returns at once, and callers skip building events when {@link
 * #enabled()} says no one listens.
 */
final class RunEvents {
  private static final System.Logger LOG = System.getLogger(RunListener.class.getName());
  private static final AtomicInteger FALLBACK_THREADS = new AtomicInteger();

  /** The user's listener, or {@code null} for none. */
  private final RunListener listener;

  private final Executor executor;
  private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();

  /**
   * Events added and not yet delivered. Whoever raises it from 0 starts the drainer, and the
   * drainer stops when it brings it back to 0, so exactly one drainer runs while events are
   * waiting.
   */
  private final AtomicInteger pending = new AtomicInteger();

  /** Whether a failure of the listener was logged in full; read and written by the drainer only. */
  private volatile boolean reported;

  /**
   * @param listener the user's listener, or {@code null} for none
   * @param executor where the drainer runs: the run's tool executor
   */
  RunEvents(RunListener listener, Executor executor) {
    this.listener = listener;
    this.executor = executor;
  }

  /** Whether anyone listens; without a listener, callers build no events. */
  boolean enabled() {
    return listener != null;
  }

  void runStarted(String question, long startNanos) {
    post("onRunStarted", l -> l.onRunStarted(question, startNanos));
  }

  void roundStarted(int round) {
    post("onRoundStarted", l -> l.onRoundStarted(round));
  }

  void planDelta(int round, String delta) {
    post("onPlanDelta", l -> l.onPlanDelta(round, delta));
  }

  void taskParsed(TaskEvent task) {
    post("onTaskParsed", l -> l.onTaskParsed(task));
  }

  void taskDispatched(TaskEvent task) {
    post("onTaskDispatched", l -> l.onTaskDispatched(task));
  }

  void taskFinished(int round, TaskTrace task) {
    post("onTaskFinished", l -> l.onTaskFinished(round, task));
  }

  void joinerDecision(int round, JoinerDecision decision, String text) {
    post("onJoinerDecision", l -> l.onJoinerDecision(round, decision, text));
  }

  void answerDelta(int round, String delta) {
    post("onAnswerDelta", l -> l.onAnswerDelta(round, delta));
  }

  void roundEnded(int round, RoundTrace trace) {
    post("onRoundEnded", l -> l.onRoundEnded(round, trace));
  }

  void runEnded(RunResult result) {
    post("onRunEnded", l -> l.onRunEnded(result));
  }

  /**
   * Completes once the listener has received every event added before this call; at once without a
   * listener. It completes on the drainer's thread.
   */
  CompletableFuture<Void> delivered() {
    if (listener == null) {
      return CompletableFuture.completedFuture(null);
    }
    CompletableFuture<Void> delivered = new CompletableFuture<>();
    add(() -> delivered.complete(null));
    return delivered;
  }

  private void post(String callback, Consumer<RunListener> call) {
    if (listener != null) {
      add(() -> deliver(callback, call));
    }
  }

  private void add(Runnable event) {
    queue.add(event);
    if (pending.getAndIncrement() == 0) {
      startDrainer();
    }
  }

  private void startDrainer() {
    try {
      executor.execute(this::drain);
    } catch (RuntimeException e) {
      // The executor refused (the compiler was closed while the run was ending): the remaining
      // events still arrive, on a thread of their own.
      Thread thread =
          new Thread(this::drain, "llmcompiler-events-" + FALLBACK_THREADS.incrementAndGet());
      thread.setDaemon(true);
      thread.start();
    }
  }

  private void drain() {
    do {
      // Never null: every count in pending was added after its event was queued.
      queue.poll().run();
    } while (pending.decrementAndGet() != 0);
  }

  private void deliver(String callback, Consumer<RunListener> call) {
    try {
      call.accept(listener);
    } catch (Throwable e) {
      // Errors too: a listener's StackOverflowError or AssertionError says nothing about the run.
      report(callback, e);
    }
  }

  private void report(String callback, Throwable e) {
    try {
      // The first failure is logged with its stack trace, later ones briefly: a broken progress
      // display must not flood the log.
      if (!reported) {
        reported = true;
        LOG.log(
            Level.WARNING,
            "RunListener."
                + callback
                + " threw; the run goes on, and later failures of"
                + " this run's listener are logged at DEBUG.",
            e);
      } else {
        LOG.log(Level.DEBUG, () -> "RunListener." + callback + " threw again: " + e);
      }
    } catch (Throwable loggingFailed) {
      // Logging failed as well (no memory left, a broken handler): the events must still flow.
    }
  }
}
