package dev.llmcompiler.runtime;

import java.util.Objects;

/**
 * The result of a run with a structured answer: the answer bound to its type, the JSON it was read
 * from, and the run's {@link RunResult} (trace, tokens, wall time).
 *
 * <pre>{@code
 * StructuredResult<Comparison> result = compiler.run(question, AnswerFormat.of(Comparison.class, schema));
 * Comparison comparison = result.value();
 * System.out.println(result.json() + " in " + result.result().wallTime().toMillis() + " ms");
 * }</pre>
 *
 * @param <T> the answer's type
 */
public final class StructuredResult<T> {
  private final T value;
  private final String json;
  private final RunResult result;

  StructuredResult(T value, String json, RunResult result) {
    this.value = value;
    this.json = Objects.requireNonNull(json, "json");
    this.result = Objects.requireNonNull(result, "result");
  }

  /**
   * The answer, bound to the format's type; never {@code null} unless the schema allows a JSON
   * null.
   */
  public T value() {
    return value;
  }

  /** The answer as compact JSON text; also {@link RunResult#answer()}. */
  public String json() {
    return json;
  }

  /** The run: outcome, trace, tokens and wall time. */
  public RunResult result() {
    return result;
  }

  @Override
  public String toString() {
    return "StructuredResult[" + json + "]";
  }
}
