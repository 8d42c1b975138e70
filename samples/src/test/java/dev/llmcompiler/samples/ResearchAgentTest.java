package dev.llmcompiler.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmcompiler.runtime.llm.LlmClient;
import dev.llmcompiler.runtime.llm.LlmResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The generated {@code ResearchAgentImpl} answers through the real runtime. */
class ResearchAgentTest {

  @Test
  void theGeneratedAgentAnswersTheSeedQuestionWithItsExampleInThePlannerPrompt() {
    try (ReplayLlm replay = new ReplayLlm(ReplayLlm.Pacing.INSTANT);
        ResearchAgentImpl agent =
            ResearchAgentImpl.create(
                replay,
                EncyclopediaTools.of(new Encyclopedia(Duration.ZERO)),
                CalculatorTools.of(new Calculator()))) {
      String answer = agent.ask(DemoQuestions.SEED);

      assertThat(answer).contains("100 billion USD", "3.03%");
      assertThat(agent.compiler().plannerSystemPrompt())
          .contains("Question: How much deeper is the Mariana Trench than the Tonga Trench?")
          .contains("3. math(\"${1.value} - ${2.value}\")")
          .contains("Numbers in search results are in the article's value and unit fields.");
    }
  }

  @Test
  void aRecordMethodReturnsTheJoinersJsonBoundToTheRecord() {
    String question = "Which is deeper, the Kermadec or the Tonga Trench?";
    LlmClient llm =
        (request, listener) -> {
          String text =
              request.purpose().equals("planner")
                  ? "1. search(\"Kermadec Trench\")\n2. search(\"Tonga Trench\")\n"
                      + "3. math(\"${2.value} - ${1.value}\")\n4. join()"
                  : "Thought: Tonga is deeper.\nAction: Finish({\"deeper\": \"Tonga Trench\", \"differenceMetres\": "
                      + "${3}})".replace("${3}", lastResult(request.messages().get(0).content()));
          listener.onText(text);
          return CompletableFuture.completedFuture(
              LlmResponse.builder().text(text).finishReason("stop").build());
        };
    try (ResearchAgentImpl agent =
        ResearchAgentImpl.create(
            llm,
            EncyclopediaTools.of(new Encyclopedia(Duration.ZERO)),
            CalculatorTools.of(new Calculator()))) {
      ResearchAgent.TrenchFacts facts = agent.facts(question);

      Encyclopedia encyclopedia = new Encyclopedia(Duration.ZERO);
      double tonga = encyclopedia.search("Tonga Trench").join().value();
      double kermadec = encyclopedia.search("Kermadec Trench").join().value();
      assertThat(facts.deeper()).isEqualTo("Tonga Trench");
      assertThat(facts.differenceMetres()).isEqualTo(tonga - kermadec);
    }
  }

  /** The result of task 3 as the joiner's prompt shows it ("3. math(...) -> 82.0"). */
  private static String lastResult(String joinerPrompt) {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("3\\. math\\(.*?\\) -> ([-0-9.E]+)").matcher(joinerPrompt);
    assertThat(m.find()).as("task 3's result in the joiner prompt:\n%s", joinerPrompt).isTrue();
    return m.group(1);
  }
}
