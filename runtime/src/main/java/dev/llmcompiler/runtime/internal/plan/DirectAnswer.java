package dev.llmcompiler.runtime.internal.plan;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmcompiler.runtime.internal.Json;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntFunction;

/**
 * The answer a plan gives in its join, {@code 7. join("The ratio is ${6}")} (or, in a JSON plan,
 * {@code {"id":7,"tool":"join","args":{"answer":"The ratio is ${6}"}}}): when every task it
 * references has succeeded, the runtime renders it and the run ends without a joiner call.
 *
 * <p>A join whose arguments cannot be an answer (two arguments, a number, a reference to a task
 * that does not exist) is still reported, with {@link #problem()} saying why, so the joiner can be
 * told.
 *
 * @param answer the answer: a {@link PlanValue.Literal} string or a {@link PlanValue.Template}
 *     whose references are rendered as text; {@code null} if the join cannot be used as an answer
 * @param problem why the join cannot be used as an answer, or {@code null}
 * @param line the join as the planner wrote it: its line, or its JSON object
 */
public record DirectAnswer(PlanValue answer, String problem, String line) {

  public DirectAnswer {
    Objects.requireNonNull(line, "line");
    if ((answer == null) == (problem == null)) {
      throw new IllegalArgumentException(
          "a direct answer has either an answer or a problem: " + answer + ", " + problem);
    }
    if (answer != null
        && !(answer instanceof PlanValue.Template)
        && !(answer instanceof PlanValue.Literal literal && literal.value().isTextual())) {
      throw new IllegalArgumentException(
          "a direct answer is a string or a string template: " + answer);
    }
  }

  /** A join that gives {@code answer}. */
  public static DirectAnswer of(PlanValue answer, String line) {
    return new DirectAnswer(Objects.requireNonNull(answer, "answer"), null, line);
  }

  /** A join with arguments that cannot be an answer, for the reason {@code problem}. */
  public static DirectAnswer unusable(String problem, String line) {
    return new DirectAnswer(null, Objects.requireNonNull(problem, "problem"), line);
  }

  /** Whether the join holds an answer that can be rendered once its references have results. */
  public boolean usable() {
    return answer != null;
  }

  /** The ids of the tasks the answer references, ascending; empty for an unusable one. */
  public Set<Integer> references() {
    Set<Integer> ids = new TreeSet<>();
    if (answer != null) {
      answer.collectReferences(ids);
    }
    return ids;
  }

  /**
   * The answer with each reference replaced by its result as text (a string without quotes,
   * anything else as compact JSON), as in a string argument.
   *
   * @param results the result of a finished task by id
   * @throws PlanReferenceException if a reference's field path does not exist in its result
   * @throws IllegalStateException if the answer is not {@link #usable()}
   */
  public String render(IntFunction<JsonNode> results) {
    if (answer == null) {
      throw new IllegalStateException("This join has no usable answer: " + problem);
    }
    return answer.resolve(results).asText();
  }

  /**
   * The answer as the plan would write it inside the quotes, references as {@code ${N}}: {@code The
   * ratio is ${6}}. {@code ""} for an unusable one.
   */
  public String template() {
    if (answer == null) {
      return "";
    }
    return Json.parse(answer.toPlanText(), "A direct answer's text").asText();
  }
}
