package dev.llmcompiler.processor.model;

import dev.llmcompiler.runtime.internal.plan.PlanParser;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;

/**
 * One {@code @PlanExample}, as read from source.
 *
 * @param annotation the {@code @PlanExample} mirror (inside its container when repeated), to point
 *     diagnostics at
 * @param planValue the {@code plan} value, where plan errors are reported
 * @param question the question, stripped
 * @param plan the plan with common indentation and trailing blanks removed
 * @param repeatedIndex its place among the type's {@code @PlanExample}s when they are repeated
 *     (inside a container javac made up, which diagnostics cannot point into), else -1
 */
public record PlanExampleModel(
    AnnotationMirror annotation,
    AnnotationValue planValue,
    String question,
    String plan,
    int repeatedIndex) {
  /** Marks the end of a plan in the prompt, as the planner is told to write it. */
  public static final String END_OF_PLAN = PlanParser.END_OF_PLAN;

  /**
   * The example as the planner's prompt shows it: {@code Question: ...}, the plan, {@code
   * <END_OF_PLAN>}.
   */
  public String promptText() {
    return "Question: "
        + question
        + "\n"
        + plan
        + (plan.contains(END_OF_PLAN) ? "" : "\n" + END_OF_PLAN);
  }
}
