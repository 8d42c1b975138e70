package dev.llmcompiler.runtime;

/**
 * Receives the events of a run as they happen, e.g. for a progress display. Every method has a
 * no-op default; override what you need.
 *
 * <pre>{@code
 * LlmCompiler compiler = LlmCompiler.builder()
 *     .llm(llm)
 *     .tools(tools)
 *     .listener(new RunListener() {
 *       @Override public void onTaskFinished(int round, TaskTrace task) {
 *         System.out.println(task.id() + ". " + task.tool() + " -> " + task.status());
 *       }
 *     })
 *     .build();
 * }</pre>
 *
 * <p>Calls for one run come one at a time (never concurrently), so a listener needs no locking of
 * its own if it serves one run at a time; they run on the runtime's threads, so keep them quick. An
 * exception thrown by a listener is logged and ignored: it never breaks the run.
 */
public interface RunListener {

  /**
   * A run starts; called once, before every other event of the run.
   *
   * @param question the question asked
   * @param startNanos the {@link System#nanoTime()} reading the trace's times count from, so a
   *     listener can put its own timings on the trace's axis
   */
  default void onRunStarted(String question, long startNanos) {}

  /** A round starts: the planner is about to be asked. Rounds count from 1. */
  default void onRoundStarted(int round) {}

  /** The planner streamed another piece of the plan. */
  default void onPlanDelta(int round, String delta) {}

  /**
   * The parser read a task's line: a task that can run, or one it rejected ({@link TaskEvent#error()}).
   * The arguments are as the plan wrote them.
   */
  default void onTaskParsed(TaskEvent task) {}

  /**
   * A task's dependencies are done and its tool is being called; the event's arguments are the
   * resolved ones the tool receives.
   */
  default void onTaskDispatched(TaskEvent task) {}

  /** A task ended: ok, error, or skipped. */
  default void onTaskFinished(int round, TaskTrace task) {}

  /**
   * The joiner decided.
   *
   * @param decision {@link JoinerDecision#FINISH} or {@link JoinerDecision#REPLAN}, never {@link
   *     JoinerDecision#NONE}
   * @param text the answer or the reason to replan
   */
  default void onJoinerDecision(int round, JoinerDecision decision, String text) {}

  /** A round ended, with or without a joiner decision. */
  default void onRoundEnded(int round, RoundTrace trace) {}
}
