package dev.llmcompiler.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmcompiler.runtime.internal.plan.DirectAnswer;
import dev.llmcompiler.runtime.internal.plan.PlanReferenceException;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Decides whether a round's direct answer, {@code join("The ratio is ${6}")}, ends the run: only
 * when the join could be read as an answer, every task it references succeeded, and it renders to
 * text that is not blank (and, for a structured answer, matches the format). Otherwise it says why,
 * in words for the joiner, which then answers as usual.
 */
final class DirectAnswers {

  /**
   * What to do with a direct answer: exactly one of the two is set.
   *
   * @param answer the rendered answer that ends the run (for a structured answer, its JSON)
   * @param problem why the direct answer cannot be used
   */
  record Verdict(String answer, String problem) {}

  private DirectAnswers() {}

  /**
   * @param round the round's tasks, all finished
   * @param results the results of succeeded tasks of this and earlier rounds, by id
   * @param format the structured answer's format, or {@code null} for a text answer
   */
  static Verdict judge(
      DirectAnswer direct,
      List<TaskTrace> round,
      IntFunction<JsonNode> results,
      AnswerFormat<?> format) {
    if (!direct.usable()) {
      return problem(direct.problem());
    }
    for (int id : direct.references()) {
      TaskTrace task = find(round, id);
      if (task != null && task.status() != TaskStatus.OK) {
        return problem(
            "it uses the result of task "
                + id
                + ", which "
                + (task.status() == TaskStatus.SKIPPED ? "was " : "failed: ")
                + task.error().orElse("(no reason given)"));
      }
      if (results.apply(id) == null) {
        return problem("it uses the result of task " + id + ", which has none");
      }
    }
    String text;
    try {
      text = direct.render(results);
    } catch (PlanReferenceException e) {
      return problem(e.getMessage());
    }
    if (text.isBlank()) {
      return problem("it renders to blank text");
    }
    if (format == null) {
      return new Verdict(text, null);
    }
    AnswerFormat.Reading<?> reading = format.read(text);
    return reading.problem() == null
        ? new Verdict(reading.json(), null)
        : problem("it does not match the answer format: " + reading.problem());
  }

  private static Verdict problem(String why) {
    String sentence = why.strip();
    return new Verdict(null, sentence.endsWith(".") ? sentence : sentence + ".");
  }

  /**
   * The round's first task with that id (a later duplicate is a failed task of its own), or {@code
   * null}.
   */
  private static TaskTrace find(List<TaskTrace> round, int id) {
    for (TaskTrace task : round) {
      if (task.id() == id) {
        return task;
      }
    }
    return null;
  }
}
