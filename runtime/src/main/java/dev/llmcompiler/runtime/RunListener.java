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
 * <h2>Threads and order</h2>
 *
 * <ul>
 *   <li>The events of one run arrive one at a time (never concurrently) and in the order they
 *       happened: {@code onRunStarted} first, {@code onRunEnded} last, a task's {@code
 *       onTaskParsed} before its {@code onTaskDispatched} before its {@code onTaskFinished}. A
 *       listener that serves one run at a time needs no locking of its own; the events of
 *       concurrent runs may interleave.
 *   <li>They arrive on a thread of the run's executor (the one given to {@code executor(...)}, else
 *       the compiler's own), never on a thread that holds a lock of the runtime. The run does not
 *       wait for its listener: a slow listener delays only its own events, never a task or an LLM
 *       call.
 *   <li>The run's result (the return of {@code run}, the completion of {@code runAsync}'s future)
 *       comes after the listener has received every event of the run, so a listener read after
 *       {@code run} returns has seen everything. Two exceptions: a cancelled run's future is
 *       cancelled at once, and once the run deadline has passed the result no longer waits for the
 *       listener (so a listener that never returns cannot hold a run past its deadline, but holds
 *       it forever without one). Events still arrive after such a result.
 *   <li>Anything a callback throws, {@link Error}s included, is caught and logged through {@link
 *       System.Logger} (the first failure of a run at WARNING with its stack trace, later ones at
 *       DEBUG); it never stops, stalls or changes the run, and later events still arrive.
 * </ul>
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
   * The parser read a task's line: a task that can run, or one it rejected ({@link
   * TaskEvent#error()}). The arguments are as the plan wrote them.
   */
  default void onTaskParsed(TaskEvent task) {}

  /**
   * A task's dependencies are done and its tool is being called; the event's arguments are the
   * resolved ones the tool receives. When {@link TaskEvent#reusedFrom()} is present the task
   * repeats an earlier identical call and shares its outcome instead: the tool is not called again.
   */
  default void onTaskDispatched(TaskEvent task) {}

  /** A task ended: ok, error, or skipped. */
  default void onTaskFinished(int round, TaskTrace task) {}

  /**
   * The joiner decided; for a round that a direct answer finished ({@code join("...")} in the plan,
   * see {@link RoundTrace#directAnswer()}), {@link JoinerDecision#FINISH} with that answer.
   *
   * @param decision {@link JoinerDecision#FINISH} or {@link JoinerDecision#REPLAN}, never {@link
   *     JoinerDecision#NONE}
   * @param text the answer or the reason to replan
   */
  default void onJoinerDecision(int round, JoinerDecision decision, String text) {}

  /**
   * The next piece of the final answer, as it streams: the text inside the joiner's {@code Action:
   * Finish(...)}, without the blanks around it and without the closing parenthesis (one inside the
   * answer arrives once the text after it shows it is not the last). A reply that asks for a new
   * plan sends none.
   *
   * <p>A direct answer ({@code join("...")} in the plan, no joiner call) arrives as one piece, as
   * does a structured answer once it has been checked against its {@link AnswerFormat}, and an
   * answer the stream did not show (a {@code Finish(} that does not start a line, a reply used as
   * it is). Joined, the pieces are the answer as the model wrote it; {@link RunResult#answer()} is
   * the final word (it drops quotes around the whole answer, for one). {@link
   * RunTrace#firstAnswerMs()} records when the first piece came.
   *
   * <pre>{@code
   * .listener(new RunListener() {
   *   @Override public void onAnswerDelta(int round, String delta) {
   *     System.out.print(delta);
   *   }
   * })
   * }</pre>
   */
  default void onAnswerDelta(int round, String delta) {}

  /** A round ended, with or without a joiner decision. */
  default void onRoundEnded(int round, RoundTrace trace) {}

  /**
   * The run ended; called once, after every other event of the run. A run without an answer (see
   * {@link RunResult#outcome()}) passes the partial result that its {@link LlmCompilerException}
   * carries; a cancelled run passes one with outcome {@link RunOutcome#CANCELLED}.
   */
  default void onRunEnded(RunResult result) {}
}
