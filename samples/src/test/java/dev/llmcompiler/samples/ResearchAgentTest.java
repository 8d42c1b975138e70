package dev.llmcompiler.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The generated {@code ResearchAgentImpl} answers through the real runtime. */
class ResearchAgentTest {

  @Test
  void theGeneratedAgentAnswersTheSeedQuestionWithItsExampleInThePlannerPrompt() {
    try (ReplayLlm replay = new ReplayLlm(ReplayLlm.Pacing.INSTANT);
        ResearchAgentImpl agent = ResearchAgentImpl.create(replay,
            EncyclopediaTools.of(new Encyclopedia(Duration.ZERO)), CalculatorTools.of(new Calculator()))) {
      String answer = agent.ask(DemoQuestions.SEED);

      assertThat(answer).contains("100 billion USD", "3.03%");
      assertThat(agent.compiler().plannerSystemPrompt())
          .contains("Question: How much deeper is the Mariana Trench than the Tonga Trench?")
          .contains("3. math(\"${1.value} - ${2.value}\")")
          .contains("Numbers in search results are in the article's value and unit fields.");
    }
  }
}
