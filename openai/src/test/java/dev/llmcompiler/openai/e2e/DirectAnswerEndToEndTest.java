package dev.llmcompiler.openai.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmcompiler.openai.OpenAiLlm;
import dev.llmcompiler.runtime.JoinerDecision;
import dev.llmcompiler.runtime.LlmCallTrace;
import dev.llmcompiler.runtime.LlmCompiler;
import dev.llmcompiler.runtime.PlanFormat;
import dev.llmcompiler.runtime.RoundTrace;
import dev.llmcompiler.runtime.RunListener;
import dev.llmcompiler.runtime.RunOutcome;
import dev.llmcompiler.runtime.RunResult;
import dev.llmcompiler.runtime.TaskStatus;
import dev.llmcompiler.runtime.TaskTrace;
import dev.llmcompiler.testkit.ScriptedOpenAiServer;
import dev.llmcompiler.testkit.ScriptedResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * Direct answers and the streaming answer over the whole stack: {@link OpenAiLlm} speaking real
 * HTTP and Server-Sent Events to a scripted OpenAI-compatible server on loopback. A plan that ends
 * with {@code join("...${N}...")} is the only request the server sees; a joiner's {@code
 * Finish(...)} reaches the listener piece by piece while the server is still streaming it.
 */
class DirectAnswerEndToEndTest {

  private static List<String> chunksOf(String text, int size) {
    List<String> chunks = new ArrayList<>();
    for (int i = 0; i < text.length(); i += size) {
      chunks.add(text.substring(i, Math.min(text.length(), i + size)));
    }
    return chunks;
  }

  @Test
  void aDirectAnswerIsTheOnlyRequestAndTheRenderedTextIsTheAnswer() throws Exception {
    String plan =
        "Thought: Both populations, then their ratio.\n"
            + "1. population(\"Lyon\")\n"
            + "2. population(\"Nice\")\n"
            + "3. ratio($1, $2)\n"
            + "4. join(\"Lyon has ${3} times the people of Nice (${1} vs ${2}).\")\n"
            + "<END_OF_PLAN>";
    List<String> deltas = Collections.synchronizedList(new ArrayList<>());
    try (ScriptedOpenAiServer server = ScriptedOpenAiServer.start();
        OpenAiLlm llm = OpenAiLlm.builder().baseUrl(server.baseUrl()).model("scripted").build();
        LlmCompiler compiler =
            LlmCompiler.builder()
                .llm(llm)
                .tools(AtlasTools.of(new Atlas(new CountDownLatch(2))))
                .listener(
                    new RunListener() {
                      @Override
                      public void onAnswerDelta(int round, String delta) {
                        deltas.add(delta);
                      }
                    })
                .runDeadline(Duration.ofSeconds(60))
                .build()) {
      server.enqueue(
          ScriptedResponse.stream(chunksOf(plan, 6))
              .chunkDelay(Duration.ofMillis(1))
              .usage(650, 70));

      RunResult result = compiler.run("How many times more people live in Lyon than in Nice?");

      String answer = "Lyon has 1.5263157894736843 times the people of Nice (522000 vs 342000).";
      assertThat(result.outcome()).isEqualTo(RunOutcome.FINISHED);
      assertThat(result.answer()).isEqualTo(answer);
      assertThat(server.requestCount()).as("the planner only: no joiner request").isEqualTo(1);
      assertThat(server.request(0).messages().get(0).content())
          .contains("Direct answer: only if it needs no" + " judgment");
      assertThat(result.llmCalls()).isEqualTo(1);
      assertThat(result.usage().promptTokens()).isEqualTo(650);
      RoundTrace round = result.trace().rounds().get(0);
      assertThat(round.directAnswer()).isTrue();
      assertThat(round.decision()).isEqualTo(JoinerDecision.FINISH);
      assertThat(round.tasks()).extracting(TaskTrace::status).containsOnly(TaskStatus.OK);
      assertThat(round.llmCalls()).extracting(LlmCallTrace::purpose).containsExactly("planner");
      assertThat(deltas).containsExactly(answer);
      assertThat(result.trace().firstAnswerMs()).isPresent();
      assertThat(result.trace().toJson()).contains("\"directAnswer\" : true");
    }
  }

  @Test
  void aJsonPlansDirectAnswerIsTheOnlyRequestToo() throws Exception {
    String plan =
        "{\"tasks\": [{\"id\": 1, \"tool\": \"population\", \"args\": {\"city\": \"Nice\"}},"
            + " {\"id\": 2, \"tool\": \"join\", \"args\": {\"answer\": \"Nice has ${1} inhabitants.\"}}]}";
    try (ScriptedOpenAiServer server = ScriptedOpenAiServer.start();
        OpenAiLlm llm = OpenAiLlm.builder().baseUrl(server.baseUrl()).model("scripted").build();
        LlmCompiler compiler =
            LlmCompiler.builder()
                .llm(llm)
                .tools(AtlasTools.of(new Atlas(new CountDownLatch(1))))
                .planFormat(PlanFormat.JSON)
                .build()) {
      server.enqueue(ScriptedResponse.stream(chunksOf(plan, 9)).usage(700, 40));

      RunResult result = compiler.run("How many people live in Nice?");

      assertThat(result.answer()).isEqualTo("Nice has 342000 inhabitants.");
      assertThat(server.requestCount()).isEqualTo(1);
      assertThat(server.request(0).body().at("/response_format/json_schema/strict").asBoolean())
          .as("the join branch with an answer keeps the schema strict")
          .isTrue();
      assertThat(result.trace().rounds().get(0).directAnswer()).isTrue();
    }
  }

  @Test
  void theJoinersAnswerStreamsToTheListenerWhileTheServerIsStillSendingIt() throws Exception {
    String plan = "1. population(\"Lyon\")\n2. population(\"Nice\")\n3. join()<END_OF_PLAN>";
    String answer = "Lyon (522,000 people) is about 1.53 times Nice (342,000)";
    // The Finish arrives in pieces, with ')' inside the answer and the closer in chunks of their
    // own; the server holds the rest back until the listener has had the first piece.
    List<String> finish =
        List.of(
            "Thought: Both are known.\nAction: Fin",
            "ish(Lyon (522,000 people",
            ")",
            " is about 1.53",
            " times Nice (342,000",
            ")",
            ")",
            "\n");
    CountDownLatch firstPiece = new CountDownLatch(1);
    List<String> deltas = Collections.synchronizedList(new ArrayList<>());
    List<String> decisions = Collections.synchronizedList(new ArrayList<>());
    try (ScriptedOpenAiServer server = ScriptedOpenAiServer.start();
        OpenAiLlm llm = OpenAiLlm.builder().baseUrl(server.baseUrl()).model("scripted").build();
        LlmCompiler compiler =
            LlmCompiler.builder()
                .llm(llm)
                .tools(AtlasTools.of(new Atlas(new CountDownLatch(2))))
                .listener(
                    new RunListener() {
                      @Override
                      public void onAnswerDelta(int round, String delta) {
                        deltas.add(delta);
                        firstPiece.countDown();
                      }

                      @Override
                      public void onJoinerDecision(
                          int round, JoinerDecision decision, String text) {
                        decisions.add(decision + " after " + deltas.size() + " pieces");
                      }
                    })
                .runDeadline(Duration.ofSeconds(60))
                .build()) {
      server.enqueue(
          ScriptedResponse.stream(chunksOf(plan, 8)).usage(600, 30),
          ScriptedResponse.stream(finish)
              .chunkDelay(Duration.ofMillis(2))
              .pauseBefore(3, firstPiece)
              .usage(400, 25));

      RunResult result = compiler.run("How many times more people live in Lyon than in Nice?");

      assertThat(result.answer()).isEqualTo(answer);
      assertThat(server.requestCount()).isEqualTo(2);
      assertThat(deltas)
          .as("pieces, not the whole answer at the end")
          .hasSizeGreaterThanOrEqualTo(3);
      assertThat(deltas.get(0)).isEqualTo("Lyon (522,000 people");
      assertThat(String.join("", deltas)).isEqualTo(answer);
      assertThat(decisions).containsExactly("FINISH after " + deltas.size() + " pieces");
      LlmCallTrace joiner = result.trace().rounds().get(0).llmCalls().get(1);
      assertThat(joiner.purpose()).isEqualTo("joiner");
      // Had no piece reached the listener while the reply streamed, the server would have held the
      // rest for its gate's whole limit.
      assertThat(joiner.endMs() - joiner.startMs())
          .isLessThan(ScriptedOpenAiServer.GATE_LIMIT.toMillis());
      long first = result.trace().firstAnswerMs().orElseThrow();
      assertThat(first).isBetween(joiner.startMs(), joiner.endMs());
    }
  }
}
