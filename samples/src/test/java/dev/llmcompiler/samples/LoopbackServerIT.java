package dev.llmcompiler.samples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmcompiler.testkit.RecordedRequest;
import dev.llmcompiler.testkit.ScriptedOpenAiServer;
import dev.llmcompiler.testkit.ScriptedResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jar against an OpenAI-compatible server on loopback (real HTTP and SSE through the OpenAI
 * SDK), chosen by OPENAI_BASE_URL as a user would point it at Ollama or vLLM.
 */
class LoopbackServerIT {
  private static final Pattern GAP = Pattern.compile("3\\. math\\(.*\\) -> ([0-9.]+)");

  @TempDir Path dir;

  @Test
  void parallelSearchesOverlapAndTheDependentMathStartsAfterBoth() throws Exception {
    try (ScriptedOpenAiServer server = ScriptedOpenAiServer.start(LoopbackServerIT::respond)) {
      Path trace = dir.resolve("trace.json");
      JarRunner.Result run =
          JarRunner.run(
              Map.of("OPENAI_BASE_URL", server.baseUrl(), "OPENAI_MODEL", "scripted-model"),
              Duration.ofSeconds(90),
              "--trace-json",
              trace.toString(),
              "--tool-latency-ms",
              "500");
      assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isZero();
      assertThat(run.stdout())
          .contains("Model:    scripted-model at " + server.baseUrl())
          .doesNotContain("OFFLINE")
          .contains("Answer: Microsoft needs 100 billion USD more to pass Apple.");

      JsonNode json = new ObjectMapper().readTree(Files.readString(trace));
      assertThat(json.path("answer").asText())
          .isEqualTo("Microsoft needs 100 billion USD more to pass Apple.");
      assertThat(json.path("llmCalls").asInt()).isEqualTo(2);
      assertThat(json.path("promptTokens").asLong()).isEqualTo(500 + 700);
      JsonNode tasks = json.path("rounds").get(0).path("tasks");
      assertThat(tasks).hasSize(3);
      JsonNode first = tasks.get(0);
      JsonNode second = tasks.get(1);
      JsonNode math = tasks.get(2);
      assertThat(first.path("tool").asText()).isEqualTo("search");
      assertThat(second.path("args").path("query").asText()).isEqualTo("Apple market cap");
      for (JsonNode task : tasks) {
        assertThat(task.path("status").asText()).as(task.toString()).isEqualTo("ok");
      }
      // The two searches ran at the same time: their intervals overlap.
      assertThat(second.path("startMs").asLong()).isLessThan(first.path("endMs").asLong());
      assertThat(first.path("startMs").asLong()).isLessThan(second.path("endMs").asLong());
      // The math task waited for both.
      assertThat(math.path("dependsOn")).extracting(JsonNode::asInt).containsExactly(1, 2);
      assertThat(math.path("startMs").asLong())
          .isGreaterThanOrEqualTo(
              Math.max(first.path("endMs").asLong(), second.path("endMs").asLong()));
      assertThat(math.path("args").path("expression").asText()).isEqualTo("3400.0 - 3300.0");
      assertThat(math.path("result").asDouble()).isEqualTo(100.0);

      RecordedRequest planner = server.request(0);
      assertThat(planner.model()).isEqualTo("scripted-model");
      assertThat(planner.stream()).isTrue();
      assertThat(planner.messages().get(0).content())
          .contains("search(query: string)", "convert(amount:");
    }
  }

  @Test
  void readmeExampleAnswersThroughAnOpenAiCompatibleServer() throws Exception {
    try (ScriptedOpenAiServer server =
        ScriptedOpenAiServer.start(
            request ->
                request.stop().contains("<END_OF_PLAN>")
                    ? ScriptedResponse.stream(
                        "1. marketCap(\"Apple\")\n", "2. marketCap(\"Microsoft\")\n", "3. join()\n")
                    : ScriptedResponse.stream(
                        "Thought: subtract.\nAction: Finish(",
                        request.lastUserMessage().contains("-> 3400.0")
                                && request.lastUserMessage().contains("-> 3300.0")
                            ? "Apple is 100 billion USD bigger.)"
                            : "The tool results are missing.)"))) {
      JarRunner.Result run =
          JarRunner.java(
              Map.of("OPENAI_BASE_URL", server.baseUrl()),
              Duration.ofSeconds(90),
              List.of("-cp", JarRunner.jar().toString(), StockService.class.getName()));
      assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isZero();
      assertThat(run.stdout().strip()).isEqualTo("Apple is 100 billion USD bigger.");
      assertThat(server.request(0).messages().get(0).content())
          .contains(
              "marketCap(company: string) -> number",
              "The market cap of a listed company, in billion US dollars.");
    }
  }

  private static ScriptedResponse respond(RecordedRequest request) {
    if (request.stop().contains("<END_OF_PLAN>")) {
      return ScriptedResponse.stream(
              "Thought: look both up at once.\n1. search(\"Microsoft ",
              "market cap\")\n",
              "2. search(\"Apple market cap\")\n",
              "3. math(\"${2.value} - ${1.value}\")\n",
              "4. join()\n<END_OF_PLAN>")
          .chunkDelay(Duration.ofMillis(80))
          .usage(500, 40);
    }
    Matcher gap = GAP.matcher(request.lastUserMessage());
    String answer =
        gap.find()
            ? "Microsoft needs "
                + Numbers.format(Double.parseDouble(gap.group(1)))
                + " billion USD more to pass Apple."
            : "The math result is missing.";
    return ScriptedResponse.stream(
            "Thought: the gap is task 3.\n", "Action: Finish(" + answer + ")")
        .chunkDelay(Duration.ofMillis(20))
        .usage(700, 30);
  }
}
