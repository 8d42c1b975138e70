package dev.llmcompiler.samples;

import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * One question the offline demo model knows: the plan it streams, the ReAct steps it takes, and how
 * its answer is computed from the tool results (never a fixed string, so the answer always says
 * what the tools returned).
 *
 * @param question the question as the user asks it
 * @param plan the planner's recorded output, ending with {@code <END_OF_PLAN>}
 * @param reactSteps the ReAct agent's tool calls, one per turn, numbered like the plan's tasks
 * @param joinerThought the joiner's (and the final ReAct turn's) thought
 * @param answer the final answer, computed from the results by task id
 */
record DemoQuestion(
    String question,
    String plan,
    List<ReactStep> reactSteps,
    String joinerThought,
    Function<ToolResults, String> answer) {

  /**
   * One ReAct turn: a thought and an action written from the observations so far, as a model copies
   * numbers from them.
   */
  record ReactStep(String thought, Function<ToolResults, String> action) {}

  /** The form questions are matched in: lower case, letters and digits, single spaces. */
  static String normalize(String question) {
    return question
        .toLowerCase(Locale.ROOT)
        .replace("’", "'")
        .replaceAll("[^\\p{L}\\p{N}']+", " ")
        .strip();
  }
}
