package dev.llmcompiler.runtime;

import java.util.Optional;

/**
 * A run ended without an answer: an LLM call failed, or the run deadline passed. Tasks already
 * planned still ran (or were stopped, for a deadline) and {@link #partialResult()} holds their
 * trace.
 *
 * <pre>{@code
 * try {
 *   System.out.println(compiler.run(question).answer());
 * } catch (LlmCompilerException e) {
 *   System.err.println(e.getMessage());
 *   e.partialResult().ifPresent(r -> System.err.println(r.trace().toJson()));
 * }
 * }</pre>
 */
public final class LlmCompilerException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient RunResult partialResult;

  LlmCompilerException(String message, Throwable cause, RunResult partialResult) {
    super(message, cause);
    this.partialResult = partialResult;
  }

  /** How the run ended, if it got far enough to have a result. */
  public Optional<RunOutcome> outcome() {
    return partialResult().map(RunResult::outcome);
  }

  /**
   * The run's result up to where it stopped: the trace of the tasks that ran, tokens, wall time.
   */
  public Optional<RunResult> partialResult() {
    return Optional.ofNullable(partialResult);
  }
}
