package dev.llmcompiler.runtime.internal.plan;

/**
 * Reads a plan as it streams, in one plan format, and tells a {@link PlanListener} each task the
 * moment it is complete: {@link PlanParser} for the text plan language, {@link JsonPlanParser} for
 * a JSON plan. Neither method throws for anything the planner wrote.
 *
 * <p>Not thread-safe: feed a reader from one thread at a time.
 */
public interface PlanReader {

  /** Reads the next piece of the plan; it may end anywhere, mid-token or mid-line. */
  void feed(CharSequence text);

  /**
   * The stream is over: reads what is still pending, then ends the plan ({@link
   * PlanListener#onPlanEnd} is called if it was not yet). Further input is ignored.
   */
  void finish();

  /**
   * The highest id a task of this plan took: a replan numbers its tasks from one more. Ids the plan
   * wrote but could not use (repeated, out of order, or far ahead) do not count, so a replan is
   * never asked for ids it could not write.
   */
  int lastId();
}
