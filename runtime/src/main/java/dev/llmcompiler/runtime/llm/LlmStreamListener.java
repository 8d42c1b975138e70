package dev.llmcompiler.runtime.llm;

/** Receives the text of a streaming {@link LlmClient#chat} call as it is generated. */
@FunctionalInterface
public interface LlmStreamListener {

  /** A listener that ignores the stream. */
  LlmStreamListener IGNORE = delta -> {};

  /**
   * Called with each new piece of text, in order. A piece may end anywhere: inside a word, a string
   * literal or a line.
   */
  void onText(String delta);
}
