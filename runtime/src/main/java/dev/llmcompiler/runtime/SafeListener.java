package dev.llmcompiler.runtime;

import java.lang.System.Logger.Level;

/**
 * Wraps the user's {@link RunListener} so its calls for one run are serialized and its exceptions
 * never reach the engine. Its monitor is always taken last, so it cannot deadlock with engine locks.
 */
final class SafeListener implements RunListener {
  private static final System.Logger LOG = System.getLogger(SafeListener.class.getName());

  private final RunListener delegate;
  private boolean reported;

  SafeListener(RunListener delegate) {
    this.delegate = delegate;
  }

  private synchronized void call(String event, Runnable call) {
    try {
      call.run();
    } catch (RuntimeException | Error e) {
      if (e instanceof VirtualMachineError) {
        throw e;
      }
      // The first failure is logged with its stack trace, later ones briefly: a broken progress
      // display must not flood the log.
      if (!reported) {
        reported = true;
        LOG.log(Level.WARNING, "RunListener." + event + " threw; the run continues.", e);
      } else {
        LOG.log(Level.DEBUG, () -> "RunListener." + event + " threw again: " + e);
      }
    }
  }

  @Override
  public void onRunStarted(String question, long startNanos) {
    call("onRunStarted", () -> delegate.onRunStarted(question, startNanos));
  }

  @Override
  public void onRoundStarted(int round) {
    call("onRoundStarted", () -> delegate.onRoundStarted(round));
  }

  @Override
  public void onPlanDelta(int round, String delta) {
    call("onPlanDelta", () -> delegate.onPlanDelta(round, delta));
  }

  @Override
  public void onTaskParsed(TaskEvent task) {
    call("onTaskParsed", () -> delegate.onTaskParsed(task));
  }

  @Override
  public void onTaskDispatched(TaskEvent task) {
    call("onTaskDispatched", () -> delegate.onTaskDispatched(task));
  }

  @Override
  public void onTaskFinished(int round, TaskTrace task) {
    call("onTaskFinished", () -> delegate.onTaskFinished(round, task));
  }

  @Override
  public void onJoinerDecision(int round, JoinerDecision decision, String text) {
    call("onJoinerDecision", () -> delegate.onJoinerDecision(round, decision, text));
  }

  @Override
  public void onRoundEnded(int round, RoundTrace trace) {
    call("onRoundEnded", () -> delegate.onRoundEnded(round, trace));
  }
}
