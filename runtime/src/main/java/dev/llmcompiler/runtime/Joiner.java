package dev.llmcompiler.runtime;

import dev.llmcompiler.runtime.llm.LlmMessage;
import dev.llmcompiler.runtime.llm.LlmRequest;
import java.util.List;
import java.util.Optional;

/**
 * Writes the joiner's prompts and reads its decisions. Like the planner's, its system prompt is
 * fixed, so it is byte-identical across runs.
 */
final class Joiner {
  /** The actions the joiner may write, as {@link ActionText} reads them. */
  private static final String ACTIONS = "finish|replan";

  static final String SYSTEM_PROMPT = String.join("\n",
      "You are the joiner of an LLM compiler. A planner turned the user's question into tool calls,",
      "which have run. Read the question and the results, then decide.",
      "",
      "Reply in exactly this format:",
      "Thought: <brief reasoning: do the results answer the question?>",
      "Action: Finish(<the final answer for the user>)",
      "or",
      "Thought: <brief reasoning>",
      "Action: Replan(<what is missing or went wrong, so the planner can fix it>)",
      "",
      "Rules:",
      "- Finish when the results answer the question. Base the answer on the results; do not invent",
      "  facts they do not contain. Answer in the language of the question.",
      "- Replan only if a result the answer needs is missing and a new plan could get it, e.g. a",
      "  task failed because of a wrong argument. Say exactly what the new plan must do.",
      "- If something cannot be found, Finish and say so.",
      "- Write nothing after the closing parenthesis of the action.");

  /**
   * What the joiner decided: {@link JoinerDecision#FINISH} with the answer, or {@link
   * JoinerDecision#REPLAN} with the reason.
   */
  record Decision(JoinerDecision decision, String text, String thought) {
    static Decision finish(String answer, String thought) {
      return new Decision(JoinerDecision.FINISH, answer, thought);
    }

    boolean isFinish() {
      return decision == JoinerDecision.FINISH;
    }
  }

  private Joiner() {}

  /**
   * The joiner's request; with a {@code format}, the user message (never the system prompt, which
   * stays byte-identical) asks for a Finish holding JSON that matches the format's schema.
   *
   * @param unusedAnswer why the plan's direct answer, {@code join("...")}, could not be used, or
   *     {@code null}
   */
  static LlmRequest request(String question, List<RoundTrace> earlier, List<TaskTrace> current,
      String currentPlanError, String unusedAnswer, int maxObservationChars, AnswerFormat<?> format) {
    StringBuilder user = new StringBuilder("Question: ").append(question).append("\n\n");
    int round = 1;
    for (RoundTrace trace : earlier) {
      user.append("Results of round ").append(round++).append(":\n");
      Observations.append(user, trace.tasks(), maxObservationChars);
      trace.reason().ifPresent(reason -> user.append("(You asked for a new plan: ").append(reason).append(")\n"));
      user.append('\n');
    }
    user.append(earlier.isEmpty() ? "Results:\n" : "Results of round " + round + ":\n");
    Observations.append(user, current, maxObservationChars);
    if (currentPlanError != null) {
      user.append("(The plan was cut off: ").append(currentPlanError).append(")\n");
    }
    if (unusedAnswer != null) {
      user.append("(").append(unusedAnswer).append(")\n");
    }
    user.append("\nDecide now: Thought, then Action: Finish(...) or Action: Replan(...).");
    if (format != null) {
      user.append("\n\n").append(structuredInstruction(format));
    }
    return LlmRequest.builder().purpose("joiner").system(SYSTEM_PROMPT).addMessage(LlmMessage.user(user.toString())).build();
  }

  /** How a structured final answer must be written. */
  static String structuredInstruction(AnswerFormat<?> format) {
    return "The final answer must be JSON: when you Finish, write inside Finish(...) only one JSON value"
        + " that matches this JSON Schema, with every required field, and nothing else (no prose, no"
        + " markdown):\n" + format.schemaText();
  }

  /** The follow-up when a Finish answer did not match the answer format. */
  static LlmRequest structuredRetry(LlmRequest asked, String reply, String problem, AnswerFormat<?> format) {
    return asked.toBuilder()
        .addMessage(LlmMessage.assistant(reply))
        .addMessage(LlmMessage.user("Your final answer cannot be used: " + problem + ". Reply again with"
            + " Thought: <brief reasoning>\nAction: Finish(<JSON>)\nwhere <JSON> matches this JSON Schema exactly:\n"
            + format.schemaText()))
        .build();
  }

  /** The follow-up when the joiner's reply could not be read. */
  static LlmRequest formatRetry(LlmRequest asked, String reply) {
    return asked.toBuilder()
        .addMessage(LlmMessage.assistant(reply))
        .addMessage(LlmMessage.user("Your reply has no action I can read. Reply again in exactly this"
            + " format:\nThought: <brief reasoning>\nAction: Finish(<the final answer>)\nor\n"
            + "Thought: <brief reasoning>\nAction: Replan(<what is missing>)"))
        .build();
  }

  /** The follow-up when the joiner wants to replan but the replan budget is spent. */
  static LlmRequest finalAnswer(LlmRequest asked, String reply, int maxReplans) {
    return asked.toBuilder()
        .addMessage(LlmMessage.assistant(reply))
        .addMessage(LlmMessage.user("No new plan is possible: the limit of " + maxReplans
            + " replans is reached. Give the best final answer the results allow, and say what is"
            + " missing. Reply with:\nThought: <brief reasoning>\nAction: Finish(<the final answer>)"))
        .build();
  }

  /** The decision in {@code text}, if it has one; an empty Finish or Replan counts as none. */
  static Optional<Decision> parse(String text) {
    return ActionText.parse(text, ACTIONS)
        .filter(action -> !action.content().isEmpty() || action.keyword().equals("replan"))
        .map(action -> new Decision(action.keyword().equals("finish") ? JoinerDecision.FINISH : JoinerDecision.REPLAN,
            action.content().isEmpty() ? "(no reason given)" : action.content(), action.thought()));
  }

  /** The answer to use when the joiner's text has no readable action: the text minus its thought. */
  static String rawAnswer(String text) {
    String stripped = text.strip();
    String withoutThought = stripped.replaceFirst("(?is)^thought\\s*:.*?(\\n\\s*\\n|$)", "").strip();
    return withoutThought.isEmpty() ? stripped : withoutThought;
  }
}
