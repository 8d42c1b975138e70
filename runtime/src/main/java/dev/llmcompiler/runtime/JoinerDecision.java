package dev.llmcompiler.runtime;

import java.util.Locale;

/**
 * What the joiner decided at the end of a round, as {@link RoundTrace#decision()} and {@link
 * RunListener#onJoinerDecision} report it; the trace JSON writes its {@link #json()} name.
 *
 * <pre>{@code
 * for (RoundTrace round : result.trace().rounds()) {
 *   if (round.decision() == JoinerDecision.REPLAN) {
 *     System.out.println("replanned: " + round.reason().orElse(""));
 *   }
 * }
 * }</pre>
 */
public enum JoinerDecision {
  /** The results answer the question: the run ends with the joiner's answer. */
  FINISH,
  /** A result the answer needs is missing: the planner is asked for a new plan. */
  REPLAN,
  /**
   * The round ended without a joiner decision: an LLM call failed, the deadline passed, or the run
   * was cancelled. {@link RunListener#onJoinerDecision} never receives it.
   */
  NONE;

  /**
   * The lowercase name used in the trace JSON: {@code "finish"}, {@code "replan"} or {@code
   * "none"}.
   */
  public String json() {
    return name().toLowerCase(Locale.ROOT);
  }

  static JoinerDecision fromJson(String text) {
    for (JoinerDecision decision : values()) {
      if (decision.json().equals(text)) {
        return decision;
      }
    }
    throw new IllegalArgumentException(
        "Unknown joiner decision '" + text + "' in the trace: expected finish, replan or none.");
  }
}
