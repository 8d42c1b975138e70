package dev.llmcompiler.runtime;

/**
 * How a run ended. Only {@link #FINISHED}, {@link #REPLANS_EXHAUSTED} and {@link #STEPS_EXHAUSTED}
 * carry an answer; the others reach callers of {@code run} as an {@link LlmCompilerException} whose
 * {@link LlmCompilerException#partialResult()} holds the trace of what did run.
 */
public enum RunOutcome {
  /** The joiner (or the ReAct agent) answered with {@code Finish(...)}. */
  FINISHED,
  /**
   * The joiner still wanted to replan when {@code maxReplans} was spent and gave its best answer.
   */
  REPLANS_EXHAUSTED,
  /** The ReAct agent used {@code maxSteps} tool calls and gave its best answer. */
  STEPS_EXHAUSTED,
  /** An LLM call failed; tasks already parsed ran and are in the trace, there is no answer. */
  LLM_FAILED,
  /** The run deadline passed; pending tasks were stopped and marked {@code "deadline"}. */
  DEADLINE_EXCEEDED,
  /** The run was cancelled; pending tasks were stopped and marked {@code "cancelled"}. */
  CANCELLED,
  /**
   * The joiner gave no usable answer, also after it was told what was wrong and asked once more:
   * its reply was empty or had no readable {@code Action: Finish(...)}, or a structured answer (see
   * {@link AnswerFormat}) did not match its schema. {@link RunResult#error()} says which.
   */
  INVALID_ANSWER;

  /** Whether a run that ended this way has an answer. */
  public boolean hasAnswer() {
    return this == FINISHED || this == REPLANS_EXHAUSTED || this == STEPS_EXHAUSTED;
  }
}
