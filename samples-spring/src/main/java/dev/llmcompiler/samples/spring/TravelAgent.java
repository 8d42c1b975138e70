package dev.llmcompiler.samples.spring;

import dev.llmcompiler.annotations.Agent;

/**
 * Answers travel questions with {@link TravelService}'s tools. The processor generates {@code
 * TravelAgentImpl}; the starter makes it a bean of this type.
 */
@Agent(
    tools = TravelService.class,
    instructions = "Compare cities by their forecasts; answer in one sentence.")
public interface TravelAgent {

  /** Answers a travel question. */
  String ask(String question);
}
