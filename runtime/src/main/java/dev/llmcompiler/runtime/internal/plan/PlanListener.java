package dev.llmcompiler.runtime.internal.plan;

/** Receives what a {@link PlanParser} reads, as soon as it has read it. */
public interface PlanListener {

  /**
   * A task line is complete: a task that can run, or a failed one (see {@link
   * PlannedTask#error()}).
   */
  void onTask(PlannedTask task);

  /**
   * The plan is over: {@code join()} was read, {@code <END_OF_PLAN>} was read, or {@link
   * PlanParser#finish()} was called. Called exactly once, after the last {@link #onTask}.
   *
   * @param joinSeen whether the plan contained {@code join()}
   */
  void onPlanEnd(boolean joinSeen);

  /**
   * The plan's join has arguments, {@code join("The ratio is ${6}")}: a direct answer, or a join
   * whose arguments cannot be one ({@link DirectAnswer#problem()} says why). Called at most once,
   * after the last {@link #onTask} and right before {@link #onPlanEnd onPlanEnd(true)}; not for a
   * plain {@code join()}.
   */
  default void onDirectAnswer(DirectAnswer answer) {}

  /**
   * The rest of the plan cannot be read (a JSON plan that is malformed or cut off): no task
   * follows. Called at most once, after the tasks read before the problem and before {@link
   * #onPlanEnd}.
   *
   * @param error where the plan broke and what was expected there, written for the LLM
   */
  void onPlanError(String error);
}
