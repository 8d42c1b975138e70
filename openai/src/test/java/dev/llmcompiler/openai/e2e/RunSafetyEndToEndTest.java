package dev.llmcompiler.openai.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.llmcompiler.openai.OpenAiLlm;
import dev.llmcompiler.runtime.LlmCompiler;
import dev.llmcompiler.runtime.LlmCompilerException;
import dev.llmcompiler.runtime.RunOutcome;
import dev.llmcompiler.runtime.RunResult;
import dev.llmcompiler.testkit.RecordedRequest.Outcome;
import dev.llmcompiler.testkit.ScriptedOpenAiServer;
import dev.llmcompiler.testkit.ScriptedResponse;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Run safety over the real client and real HTTP: a key a server echoes reaches no exception and no
 * trace, and a planner that keeps talking after its plan is cut off instead of waited for.
 */
class RunSafetyEndToEndTest {
  private static final String CANARY = "sk-SECRET-CANARY-123";

  @Test
  void aKeyTheServerEchoesReachesNeitherTheRunsExceptionNorItsTrace() {
    try (ScriptedOpenAiServer server = ScriptedOpenAiServer.start();
        OpenAiLlm llm =
            OpenAiLlm.builder()
                .baseUrl(server.baseUrl())
                .apiKey(CANARY)
                .model("scripted")
                .maxRetries(0)
                .build();
        LlmCompiler compiler =
            LlmCompiler.builder().llm(llm).tools(MarketDataTools.of(new MarketData())).build()) {
      server.respondWith(
          request -> ScriptedResponse.error(401, "Incorrect API key provided: " + CANARY + "."));

      LlmCompilerException failure =
          catchThrowableOfType(LlmCompilerException.class, () -> compiler.run("What is 5 - 3?"));

      assertThat(failure.outcome()).hasValue(RunOutcome.LLM_FAILED);
      assertThat(failure.getMessage()).contains("Incorrect API key provided: ***");
      StringWriter printed = new StringWriter();
      failure.printStackTrace(new PrintWriter(printed, true));
      assertThat(printed.toString()).doesNotContain(CANARY);
      RunResult partial = failure.partialResult().orElseThrow();
      assertThat(partial.trace().toJson())
          .contains("Incorrect API key provided")
          .doesNotContain(CANARY);
      assertThat(partial.trace().rounds().get(0).planError().orElseThrow()).doesNotContain(CANARY);
    }
  }

  @Test
  void aPlannerThatKeepsTalkingAfterItsPlanIsCutOffNotDrained() throws Exception {
    // After join(): 2000 more chunks 10 ms apart, 20 s of text a server that ignores the stop
    // sequence could send. Drained, the server would complete the response; cut, it finds the
    // client gone at its next write.
    List<String> plan = new ArrayList<>(List.of("1. subtract(5, 3)\n", "2. join()\n"));
    plan.addAll(
        Collections.nCopies(
            2000,
            "The plan above subtracts the numbers, then joins; nothing else is needed here. "));
    try (ScriptedOpenAiServer server = ScriptedOpenAiServer.start();
        OpenAiLlm llm = OpenAiLlm.builder().baseUrl(server.baseUrl()).model("scripted").build();
        LlmCompiler compiler =
            LlmCompiler.builder().llm(llm).tools(MarketDataTools.of(new MarketData())).build()) {
      server.enqueue(
          ScriptedResponse.stream(plan).chunkDelay(Duration.ofMillis(10)),
          ScriptedResponse.stream("Thought: The subtraction answers it.\nAction: Finish(2)"));

      RunResult result = compiler.run("What is 5 - 3?");

      assertThat(result.outcome()).isEqualTo(RunOutcome.FINISHED);
      assertThat(result.answer()).isEqualTo("2");
      assertThat(result.trace().tasks()).hasSize(1);
      assertThat(server.request(0).outcome().get(10, TimeUnit.SECONDS))
          .isEqualTo(Outcome.CLIENT_DISCONNECTED);
      assertThat(server.request(0).chunksSent()).isLessThan(plan.size());
      assertThat(result.trace().rounds().get(0).plan()).doesNotContain("subtracts the numbers");
    }
  }
}
