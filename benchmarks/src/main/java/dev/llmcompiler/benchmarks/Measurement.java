package dev.llmcompiler.benchmarks;

/**
 * One run of one system on one workload.
 *
 * @param system the system's name
 * @param workload the workload's name
 * @param repeat 0-based repeat number
 * @param wallMs wall time from the call to the answer
 * @param firstAnswerMs from the call to the first token of the final answer reaching the client
 *     (see each system for what it can see; a system that gets its answer in one piece gets it at
 *     the end)
 * @param floorMs the critical-path bound for LLMCompiler runs, else NaN
 * @param promptTokens prompt tokens over all LLM calls
 * @param cachedPromptTokens of those, the ones the provider reported as served from its prompt
 *     cache
 * @param completionTokens completion tokens over all LLM calls
 * @param llmCalls LLM calls the run made
 * @param correct whether the run returned the scripted answer with every task run exactly once
 * @param note what went wrong, if anything
 */
record Measurement(
    String system,
    String workload,
    int repeat,
    double wallMs,
    double firstAnswerMs,
    double floorMs,
    long promptTokens,
    long cachedPromptTokens,
    long completionTokens,
    int llmCalls,
    boolean correct,
    String note) {

  /**
   * A run of a function-calling peer, which has no floor: correct when it answered with the
   * scripted answer and made exactly one tool call per task.
   *
   * @param answer what the peer answered ({@code null} if it gave none)
   * @param toolCalls the tool calls the run made
   */
  static Measurement ofPeer(
      String system,
      Workload workload,
      int repeat,
      double wallMs,
      double firstAnswerMs,
      long promptTokens,
      long cachedPromptTokens,
      long completionTokens,
      int llmCalls,
      String answer,
      long toolCalls) {
    boolean correct = workload.answer().equals(answer) && toolCalls == workload.taskCount();
    return new Measurement(
        system,
        workload.name(),
        repeat,
        wallMs,
        firstAnswerMs,
        Double.NaN,
        promptTokens,
        cachedPromptTokens,
        completionTokens,
        llmCalls,
        correct,
        correct ? "" : "answer=" + answer + ", toolCalls=" + toolCalls);
  }

  /** Prompt plus completion tokens. */
  long totalTokens() {
    return promptTokens + completionTokens;
  }
}
