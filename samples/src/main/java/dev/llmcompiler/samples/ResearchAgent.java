package dev.llmcompiler.samples;

import dev.llmcompiler.annotations.Agent;
import dev.llmcompiler.annotations.PlanExample;

/**
 * A generated agent over the sample tools: the processor writes {@code ResearchAgentImpl}, and
 * checks the example plan below against the tools' signatures at build time.
 *
 * <pre>{@code
 * try (ResearchAgentImpl agent = ResearchAgentImpl.create(OpenAiLlm.fromEnv(),
 *     EncyclopediaTools.of(new Encyclopedia(Duration.ZERO)), CalculatorTools.of(new Calculator()))) {
 *   System.out.println(agent.ask("How much deeper is the Mariana Trench than the Tonga Trench?"));
 * }
 * }</pre>
 */
@Agent(
    tools = {Encyclopedia.class, Calculator.class},
    instructions = "Numbers in search results are in the article's value and unit fields.")
@PlanExample(
    question = "How much deeper is the Mariana Trench than the Tonga Trench?",
    plan =
        """
        1. search("Mariana Trench")
        2. search("Tonga Trench")
        3. math("${1.value} - ${2.value}")
        4. join()
        """)
public interface ResearchAgent {

  /** Answers a question with the encyclopedia and the calculator. */
  String ask(String question);

  /**
   * Compares two ocean trenches; the answer is JSON checked against {@link TrenchFacts}' schema.
   */
  TrenchFacts facts(String question);

  /**
   * A structured answer.
   *
   * @param deeper the name of the deeper trench
   * @param differenceMetres how much deeper it is, in metres
   */
  record TrenchFacts(String deeper, double differenceMetres) {}
}
