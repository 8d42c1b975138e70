package dev.llmcompiler.runtime.internal.plan;

/** Receives what a {@link PlanParser} reads, as soon as it has read it. */
public interface PlanListener {

  /** A task line is complete: a task that can run, or a failed one (see {@link PlannedTask#error()}). */
  void onTask(PlannedTask task);

  /**
   * The plan is over: {@code join()} was read, {@code <END_OF_PLAN>} was read, or {@link
   * PlanParser#finish()} was called. Called exactly once, after the last {@link #onTask}.
   *
   * @param joinSeen whether the plan contained {@code join()}
   */
  void onPlanEnd(boolean joinSeen);
}
