package dev.llmcompiler.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmcompiler.openai.OpenAiLlm;
import dev.llmcompiler.runtime.llm.LlmMessage;
import dev.llmcompiler.runtime.llm.LlmRequest;
import dev.llmcompiler.runtime.llm.LlmResponse;
import dev.llmcompiler.testkit.ScriptedOpenAiServer;
import dev.llmcompiler.testkit.ScriptedResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SimulatedLlmTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aJoinerReplyTakesTtftPlusDecodeAndBillsJtokkitCounts() throws Exception {
    LatencyModel model = new LatencyModel(300, 0.05, 10, 0, 1.0);
    Workload hotpot = Workload.hotpotQa();
    try (SimulatedLlm llm = new SimulatedLlm(model, Tokens.cl100k(), 1, List.of(hotpot));
        OpenAiLlm client = OpenAiLlm.builder().baseUrl(llm.baseUrl()).maxRetries(0).build()) {
      LlmRequest warmUp =
          LlmRequest.builder()
              .system("You are the joiner.")
              .addMessage(LlmMessage.user("Question: " + hotpot.question() + "\nResults:\n"))
              .build();
      client.chat(warmUp, delta -> {}).get(60, TimeUnit.SECONDS);

      List<Long> arrivals = new ArrayList<>();
      long start = System.nanoTime();
      LlmResponse response =
          client
              .chat(warmUp, delta -> arrivals.add(System.nanoTime() - start))
              .get(30, TimeUnit.SECONDS);
      double totalMs = (System.nanoTime() - start) / 1e6;

      String expected = hotpot.joinerReply(1, false);
      int completion = Tokens.cl100k().count(expected);
      assertThat(response.text()).isEqualTo(expected);
      assertThat(response.usage().completionTokens()).isEqualTo(completion);
      assertThat(response.usage().promptTokens())
          .isGreaterThan(Tokens.cl100k().count(hotpot.question()));
      // One chunk per token; the first after at least the time to first token.
      assertThat(arrivals).hasSize(completion);
      assertThat(arrivals.get(0) / 1e6).isGreaterThanOrEqualTo(300);
      double modelled = model.expectedCallMs((int) response.usage().promptTokens(), completion);
      assertThat(totalMs).isGreaterThanOrEqualTo(modelled - 1).isLessThan(modelled + 1500);
      assertThat(llm.unmatched()).isZero();
    }
  }

  @Test
  void aRequestNoScriptCoversIsCountedAndAnsweredWithAnError() throws Exception {
    try (SimulatedLlm llm =
        new SimulatedLlm(
            LatencyModel.GPT_35_TURBO.withTimeScale(0.01),
            Tokens.cl100k(),
            1,
            List.of(Workload.hotpotQa()))) {
      HttpResponse<String> response =
          post(
              llm.baseUrl(),
              "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"unrelated\"}]}");
      assertThat(response.statusCode()).isEqualTo(500);
      assertThat(response.body()).contains("no workload's question");
      assertThat(llm.unmatched()).isEqualTo(1);
    }
  }

  @Test
  void nativeTurnsStreamToolCallsNamedAfterTheRequestsSchema() throws Exception {
    Workload movie = Workload.movie();
    try (SimulatedLlm llm =
        new SimulatedLlm(
            LatencyModel.GPT_35_TURBO.withTimeScale(0.01), Tokens.cl100k(), 1, List.of(movie))) {
      String body =
          "{\"model\":\"m\",\"stream\":false,\"messages\":[{\"role\":\"user\",\"content\":"
              + Workload.quote(movie.question())
              + "}],\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"search\","
              + "\"parameters\":{\"type\":\"object\",\"properties\":{\"arg0\":{\"type\":\"string\"}}}}}]}";
      JsonNode completion = JSON.readTree(post(llm.baseUrl(), body).body());
      JsonNode calls = completion.path("choices").path(0).path("message").path("tool_calls");
      assertThat(calls).hasSize(8);
      assertThat(calls.path(0).path("function").path("name").asText()).isEqualTo("search");
      assertThat(
              JSON.readTree(calls.path(0).path("function").path("arguments").asText())
                  .path("arg0")
                  .asText())
          .isEqualTo("genre and themes of the film The Matrix");
      assertThat(completion.path("choices").path(0).path("finish_reason").asText())
          .isEqualTo("tool_calls");
    }
  }

  @Test
  void streamedNativeTurnsSendEachCallsArgumentsTokenByToken() throws Exception {
    Workload hotpot = Workload.hotpotQa();
    LatencyModel model = new LatencyModel(100, 0, 5, 0, 1.0);
    try (SimulatedLlm llm = new SimulatedLlm(model, Tokens.cl100k(), 1, List.of(hotpot))) {
      String body =
          "{\"model\":\"m\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
              + "\"messages\":[{\"role\":\"user\",\"content\":"
              + Workload.quote(hotpot.question())
              + "}],"
              + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"search\","
              + "\"parameters\":{\"type\":\"object\",\"properties\":{\"query\":{\"type\":\"string\"}}}}}]}";
      long start = System.nanoTime();
      String events = post(llm.baseUrl(), body).body();
      double totalMs = (System.nanoTime() - start) / 1e6;

      List<JsonNode> chunks = new ArrayList<>();
      for (String line : events.split("\n")) {
        if (line.startsWith("data: {")) {
          chunks.add(JSON.readTree(line.substring("data: ".length())));
        }
      }
      StringBuilder[] arguments = {new StringBuilder(), new StringBuilder()};
      List<Integer> order = new ArrayList<>();
      int headers = 0;
      for (JsonNode chunk : chunks) {
        for (JsonNode call : chunk.path("choices").path(0).path("delta").path("tool_calls")) {
          int index = call.path("index").asInt();
          order.add(index);
          if (call.has("id")) {
            headers++;
            assertThat(call.path("function").path("name").asText()).isEqualTo("search");
          }
          arguments[index].append(call.path("function").path("arguments").asText());
        }
      }
      assertThat(headers).isEqualTo(2);
      assertThat(JSON.readTree(arguments[0].toString()).path("query").asText())
          .isEqualTo("length of the Danube river");
      assertThat(JSON.readTree(arguments[1].toString()).path("query").asText())
          .isEqualTo("length of the Dnieper river");
      // One chunk per argument token, the first call's all before the second's.
      int argumentTokens = Tokens.cl100k().split(arguments[0].toString()).size();
      assertThat(order.subList(0, 1 + argumentTokens)).containsOnly(0);
      assertThat(order.subList(1 + argumentTokens, order.size())).containsOnly(1);
      JsonNode finish = chunks.get(chunks.size() - 2).path("choices").path(0);
      assertThat(finish.path("finish_reason").asText()).isEqualTo("tool_calls");
      JsonNode usage = chunks.get(chunks.size() - 1).path("usage");
      int completion = 0;
      for (StringBuilder call : arguments) {
        completion += Tokens.cl100k().count("search") + Tokens.cl100k().count(call.toString()) + 3;
      }
      assertThat(usage.path("completion_tokens").asInt()).isEqualTo(completion);
      assertThat(usage.path("prompt_tokens_details").path("cached_tokens").asInt()).isZero();
      // Decoding is paced: the time to first token plus a decode step per token after the first.
      assertThat(totalMs).isGreaterThanOrEqualTo(100 + 5 * (completion - 1) - 1);
      assertThat(events).endsWith("data: [DONE]\n\n");
    }
  }

  @Test
  void aRepeatedLongPromptIsReportedAsCachedInWholeBlocks() throws Exception {
    Workload hotpot = Workload.hotpotQa();
    String system =
        "You are the joiner. " + "Observe the rules of the game carefully. ".repeat(200);
    int systemTokens = Tokens.cl100k().count(system);
    assertThat(systemTokens).isGreaterThan(1200);
    try (SimulatedLlm llm =
            new SimulatedLlm(
                LatencyModel.GPT_35_TURBO.withTimeScale(0.01),
                Tokens.cl100k(),
                1,
                List.of(hotpot));
        OpenAiLlm client = OpenAiLlm.builder().baseUrl(llm.baseUrl()).maxRetries(0).build()) {
      LlmRequest request =
          LlmRequest.builder()
              .system(system)
              .addMessage(LlmMessage.user("Question: " + hotpot.question() + "\nResults:\n"))
              .build();
      LlmResponse first = client.chat(request, delta -> {}).get(30, TimeUnit.SECONDS);
      LlmResponse second = client.chat(request, delta -> {}).get(30, TimeUnit.SECONDS);

      assertThat(first.usage().cachedPromptTokens()).hasValue(0);
      long cached = second.usage().cachedPromptTokens().orElseThrow();
      assertThat(cached)
          .isGreaterThanOrEqualTo(1024)
          .isLessThanOrEqualTo(second.usage().promptTokens());
      assertThat((cached - 1024) % 128).isZero();
      // Everything up to the end of the system prompt is shared, so all its whole blocks are
      // cached.
      assertThat(cached).isGreaterThan(systemTokens - 128);
      assertThat(llm.cachedTokens(0, 2)).isEqualTo(cached);
    }
  }

  @Test
  void onScheduleKeepsManySmallDelaysFromAddingUp() throws Exception {
    try (ScriptedOpenAiServer server = ScriptedOpenAiServer.start()) {
      ScriptedResponse scheduled = ScriptedResponse.stream().onSchedule();
      for (int i = 0; i < 100; i++) {
        scheduled.chunk("t" + i, Duration.ofMillis(3));
      }
      server.enqueue(scheduled);
      long start = System.nanoTime();
      HttpResponse<String> response =
          post(
              server.baseUrl(),
              "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
      double ms = (System.nanoTime() - start) / 1e6;
      assertThat(response.body()).contains("\"t99\"").contains("[DONE]");
      // 100 x 3 ms: never sooner, and on a loaded machine still far from what 100 oversleeps could
      // add.
      assertThat(ms).isGreaterThanOrEqualTo(300).isLessThan(2000);
    }
  }

  @Test
  void toolCallWithDelayAddsACallAndSetsTheFinishReason() throws Exception {
    try (ScriptedOpenAiServer server = ScriptedOpenAiServer.start()) {
      server.enqueue(
          ScriptedResponse.stream()
              .toolCall(
                  new ScriptedResponse.ToolCall("call_1", "search", "{\"query\":\"x\"}"),
                  Duration.ofMillis(50)));
      long start = System.nanoTime();
      HttpResponse<String> response =
          post(
              server.baseUrl(),
              "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
      assertThat((System.nanoTime() - start) / 1e6).isGreaterThanOrEqualTo(50);
      JsonNode choice = JSON.readTree(response.body()).path("choices").path(0);
      assertThat(choice.path("finish_reason").asText()).isEqualTo("tool_calls");
      assertThat(choice.path("message").path("tool_calls").path(0).path("id").asText())
          .isEqualTo("call_1");
    }
  }

  private static HttpResponse<String> post(String baseUrl, String body) throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    return http.send(
        HttpRequest.newBuilder(URI.create(baseUrl + "/chat/completions"))
            .header("Content-Type", "application/json")
            .timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
