package dev.llmcompiler.runtime;

import dev.llmcompiler.runtime.llm.TokenUsage;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What a run produced: the answer, how the run ended, the full {@link RunTrace}, and what it cost
 * (LLM calls, tokens split by planner and joiner, wall time).
 *
 * <pre>{@code
 * RunResult result = compiler.run("What is 2 + 2, and the capital of France?");
 * System.out.println(result.answer());
 * System.out.println(result.llmCalls() + " LLM calls, " + result.usage().totalTokens() + " tokens, "
 *     + result.wallTime().toMillis() + " ms");
 * }</pre>
 *
 * <p>{@code LlmCompiler.run} returns a result only when the run has an answer ({@link
 * RunOutcome#hasAnswer()}); other endings throw an {@link LlmCompilerException} carrying the
 * partial result.
 */
public final class RunResult {
  private final RunTrace trace;
  private final TokenUsage plannerUsage;
  private final TokenUsage joinerUsage;
  private final Duration wallTime;

  RunResult(RunTrace trace, TokenUsage plannerUsage, TokenUsage joinerUsage, Duration wallTime) {
    this.trace = Objects.requireNonNull(trace, "trace");
    this.plannerUsage = Objects.requireNonNull(plannerUsage, "plannerUsage");
    this.joinerUsage = Objects.requireNonNull(joinerUsage, "joinerUsage");
    this.wallTime = Objects.requireNonNull(wallTime, "wallTime");
  }

  /** The answer, or {@code ""} when {@link #outcome()} has none. */
  public String answer() {
    return trace.answer();
  }

  /** How the run ended. */
  public RunOutcome outcome() {
    return trace.outcome();
  }

  /** What went wrong, when the run ended without an answer. */
  public Optional<String> error() {
    return trace.error();
  }

  /** Everything the run did; its JSON form is described in docs/trace-format.md. */
  public RunTrace trace() {
    return trace;
  }

  /** Tokens of the planner calls (for the ReAct agent: of all its calls). */
  public TokenUsage plannerUsage() {
    return plannerUsage;
  }

  /** Tokens of the joiner calls, including retries and the final-answer call. */
  public TokenUsage joinerUsage() {
    return joinerUsage;
  }

  /** Tokens of all LLM calls. */
  public TokenUsage usage() {
    return plannerUsage.plus(joinerUsage);
  }

  /** How many LLM calls the run made. */
  public int llmCalls() {
    return trace.llmCalls();
  }

  /** Wall time from the start of the run to its end. */
  public Duration wallTime() {
    return wallTime;
  }

  /** How many rounds (plans) the run had. */
  public int rounds() {
    return trace.rounds().size();
  }

  @Override
  public String toString() {
    return "RunResult[outcome="
        + outcome()
        + ", answer="
        + answer()
        + ", llmCalls="
        + llmCalls()
        + ", wallMs="
        + wallTime.toMillis()
        + "]";
  }
}
