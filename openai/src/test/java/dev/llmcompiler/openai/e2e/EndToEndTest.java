package dev.llmcompiler.openai.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmcompiler.openai.OpenAiLlm;
import dev.llmcompiler.runtime.JoinerDecision;
import dev.llmcompiler.runtime.LlmCompiler;
import dev.llmcompiler.runtime.RunOutcome;
import dev.llmcompiler.runtime.RunResult;
import dev.llmcompiler.runtime.RunTrace;
import dev.llmcompiler.runtime.TaskStatus;
import dev.llmcompiler.runtime.TaskTrace;
import dev.llmcompiler.testkit.RecordedRequest;
import dev.llmcompiler.testkit.ScriptedOpenAiServer;
import dev.llmcompiler.testkit.ScriptedResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The whole stack at once: tools compiled by the annotation processor, the runtime's planner,
 * streaming parser, task fetching unit, executor and joiner with a replan, and {@link OpenAiLlm}
 * speaking real HTTP and Server-Sent Events to a scripted OpenAI-compatible server on loopback.
 */
class EndToEndTest {

  private static List<String> chunksOf(String text, int size) {
    List<String> chunks = new ArrayList<>();
    for (int i = 0; i < text.length(); i += size) {
      chunks.add(text.substring(i, Math.min(text.length(), i + size)));
    }
    return chunks;
  }

  @Test
  void answersAMultiStepQuestionInParallelWithTypedReferencesAndAReplan() throws Exception {
    String plan1 =
        "Thought: Both caps are independent.\n"
            + "1. quote(\"Microsoft\")\n"
            + "2. quote(company=\"Apple\")\n"
            + "Thought: The gap needs both.\n"
            + "3. subtract($2.marketCapBillions, $1.marketCapBillions)\n"
            + "4. join()<END_OF_PLAN>";
    String plan2 = "4. percent_of($3, $1.marketCapBillions)\n5. join()<END_OF_PLAN>";
    try (ScriptedOpenAiServer server = ScriptedOpenAiServer.start();
        OpenAiLlm llm = OpenAiLlm.builder().baseUrl(server.baseUrl()).model("scripted").build();
        LlmCompiler compiler =
            LlmCompiler.builder()
                .llm(llm)
                .tools(MarketDataTools.of(new MarketData()))
                .runDeadline(Duration.ofSeconds(60))
                .build()) {
      server.enqueue(
          ScriptedResponse.stream(chunksOf(plan1, 9))
              .chunkDelay(Duration.ofMillis(5))
              .usage(900, 60),
          ScriptedResponse.stream(
                  "Thought: I have the gap but not the percentage.\n",
                  "Action: Replan(the increase as a percentage of Microsoft's cap is missing)")
              .usage(400, 20),
          ScriptedResponse.stream(chunksOf(plan2, 7)).usage(1100, 25, 896),
          ScriptedResponse.stream(
                  "Thought: Done.\nAction: Finish(Microsoft needs $300 billion more, ",
                  "about 9.7% (of its $3,100 billion).)")
              .usage(500, 30, 384));

      RunResult result =
          compiler.run("How much must Microsoft's market cap grow to exceed Apple's?");

      assertThat(result.outcome()).isEqualTo(RunOutcome.FINISHED);
      assertThat(result.answer())
          .isEqualTo("Microsoft needs $300 billion more, about 9.7% (of its $3,100 billion).");
      assertThat(result.llmCalls()).isEqualTo(4);
      assertThat(result.usage().promptTokens()).isEqualTo(900 + 400 + 1100 + 500);
      assertThat(result.plannerUsage().completionTokens()).isEqualTo(60 + 25);
      // The replan and the last joiner call hit the provider's prompt cache.
      assertThat(result.usage().cachedPromptTokens()).hasValue(896 + 384);

      RunTrace trace = result.trace();
      assertThat(trace.rounds()).hasSize(2);
      assertThat(trace.rounds().get(0).decision()).isEqualTo(JoinerDecision.REPLAN);
      assertThat(trace.rounds().get(1).decision()).isEqualTo(JoinerDecision.FINISH);
      List<TaskTrace> tasks = trace.tasks();
      assertThat(tasks).extracting(TaskTrace::id).containsExactly(1, 2, 3, 4);
      assertThat(tasks).allSatisfy(task -> assertThat(task.status()).isEqualTo(TaskStatus.OK));

      TaskTrace microsoft = tasks.get(0);
      TaskTrace apple = tasks.get(1);
      TaskTrace gap = tasks.get(2);
      TaskTrace percent = tasks.get(3);
      // The two quotes ran at the same time (their barrier would have failed them otherwise).
      assertThat(microsoft.startMs()).isLessThan(apple.endMs());
      assertThat(apple.startMs()).isLessThan(microsoft.endMs());
      // The dependent task ran after both and received typed numbers, not text.
      assertThat(gap.startMs()).isGreaterThanOrEqualTo(Math.max(microsoft.endMs(), apple.endMs()));
      assertThat(gap.dependsOn()).containsExactly(1, 2);
      assertThat(gap.args().get("minuend").isNumber()).isTrue();
      assertThat(gap.args().get("minuend").asDouble()).isEqualTo(3400.0);
      assertThat(gap.result().orElseThrow().asDouble()).isEqualTo(300.0);
      // The replan referenced results of the first round.
      assertThat(percent.dependsOn()).containsExactly(1, 3);
      assertThat(percent.result().orElseThrow().asDouble())
          .isCloseTo(9.677, org.assertj.core.data.Offset.offset(0.001));

      List<RecordedRequest> requests = server.requests();
      RecordedRequest planner1 = requests.get(0);
      RecordedRequest replanner = requests.get(2);
      assertThat(planner1.stream()).isTrue();
      assertThat(planner1.includeUsage()).isTrue();
      assertThat(planner1.stop()).containsExactly("<END_OF_PLAN>");
      assertThat(planner1.messages().get(0).content())
          .contains("quote(company: string) -> {company: string, marketCapBillions: number}")
          .contains("Looks up a company's market capitalisation");
      // Prefix caching: the planner's system prompt is the same in both rounds.
      assertThat(replanner.messages().get(0).content())
          .isEqualTo(planner1.messages().get(0).content());
      assertThat(replanner.lastUserMessage())
          .contains("the increase as a percentage of Microsoft's cap is missing")
          .contains("Number its tasks from 4");
      assertThat(requests.get(1).lastUserMessage()).contains("3100").contains("3400");

      String json = trace.toJson();
      assertThat(RunTrace.fromJson(json).tasks()).hasSize(4);
    }
  }
}
