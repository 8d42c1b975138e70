package dev.llmcompiler.springai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmcompiler.runtime.LlmCompiler;
import dev.llmcompiler.runtime.RunOutcome;
import dev.llmcompiler.runtime.RunResult;
import dev.llmcompiler.runtime.TaskStatus;
import dev.llmcompiler.runtime.TaskTrace;
import dev.llmcompiler.testkit.ScriptedOpenAiServer;
import dev.llmcompiler.testkit.ScriptedResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The planner and the joiner running on a Spring AI model: Spring AI's own OpenAI client streams
 * from the scripted server on loopback, and the plan's two quotes meet at a barrier, so the run
 * passes only if they ran in parallel.
 */
class SpringAiEndToEndTest {

  @Test
  void answersAMultiToolQuestionWithParallelToolsAndAddsUpTheUsage() {
    String plan =
        "Thought: Both caps are independent.\n"
            + "1. quote(\"Microsoft\")\n"
            + "2. quote(company=\"Apple\")\n"
            + "3. subtract($2.marketCapBillions, $1.marketCapBillions)\n"
            + "4. join()<END_OF_PLAN>";
    MarketData market = new MarketData();
    try (ScriptedOpenAiServer server = ScriptedOpenAiServer.start();
        LlmCompiler compiler =
            LlmCompiler.builder()
                .llm(SpringAiLlm.of(SpringAiLlmTest.openAi(server)))
                .tools(MarketDataTools.of(market))
                .runDeadline(Duration.ofSeconds(60))
                .build()) {
      server.enqueue(
          ScriptedResponse.stream(
                  List.of(plan.substring(0, 40), plan.substring(40, 90), plan.substring(90)))
              .usage(900, 60, 512),
          ScriptedResponse.stream(
                  "Thought: I have both.\n", "Action: Finish(Apple is worth $300 billion more.)")
              .usage(400, 20));

      RunResult result = compiler.run("How much bigger is Apple than Microsoft?");

      assertThat(result.outcome()).isEqualTo(RunOutcome.FINISHED);
      assertThat(result.answer()).isEqualTo("Apple is worth $300 billion more.");
      assertThat(result.llmCalls()).isEqualTo(2);
      assertThat(result.usage().promptTokens()).isEqualTo(900 + 400);
      assertThat(result.usage().completionTokens()).isEqualTo(60 + 20);
      assertThat(result.usage().cachedPromptTokens()).hasValue(512);
      assertThat(market.quotesServed()).isEqualTo(2);

      List<TaskTrace> tasks = result.trace().tasks();
      assertThat(tasks).extracting(TaskTrace::status).containsOnly(TaskStatus.OK);
      TaskTrace microsoft = tasks.get(0);
      TaskTrace apple = tasks.get(1);
      // The barrier let both through only together; their spans overlap.
      assertThat(microsoft.startMs()).isLessThan(apple.endMs());
      assertThat(apple.startMs()).isLessThan(microsoft.endMs());
      assertThat(tasks.get(2).result().orElseThrow().asDouble()).isEqualTo(300.0);
      assertThat(server.request(0).stop()).containsExactly("<END_OF_PLAN>");
      assertThat(server.request(1).lastUserMessage()).contains("3100").contains("3400");
    }
  }
}
