package dev.llmcompiler.samples;

import dev.llmcompiler.openai.OpenAiLlm;

/**
 * Creates the real model. Kept apart from {@link Main} so the offline demo never loads the OpenAI
 * SDK, whose first use costs seconds of class loading.
 */
final class OpenAiModel {
  private OpenAiModel() {}

  /** {@link OpenAiLlm#fromEnv()}, described for the header. */
  static Main.Model fromEnv() {
    OpenAiLlm llm = OpenAiLlm.fromEnv();
    return new Main.Model(llm, llm::close, llm.model() + " at " + llm.baseUrl());
  }
}
