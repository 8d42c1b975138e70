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
      LlmRequest warmUp = LlmRequest.builder().system("You are the joiner.").addMessage(
          LlmMessage.user("Question: " + hotpot.question() + "\nResults:\n")).build();
      client.chat(warmUp, delta -> {}).get(60, TimeUnit.SECONDS);

      List<Long> arrivals = new ArrayList<>();
      long start = System.nanoTime();
      LlmResponse response = client.chat(warmUp, delta -> arrivals.add(System.nanoTime() - start)).get(30, TimeUnit.SECONDS);
      double totalMs = (System.nanoTime() - start) / 1e6;

      String expected = hotpot.joinerReply(1, false);
      int completion = Tokens.cl100k().count(expected);
      assertThat(response.text()).isEqualTo(expected);
      assertThat(response.usage().completionTokens()).isEqualTo(completion);
      assertThat(response.usage().promptTokens()).isGreaterThan(Tokens.cl100k().count(hotpot.question()));
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
    try (SimulatedLlm llm = new SimulatedLlm(LatencyModel.GPT_35_TURBO.withTimeScale(0.01), Tokens.cl100k(), 1,
        List.of(Workload.hotpotQa()))) {
      HttpResponse<String> response = post(llm.baseUrl(), "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"unrelated\"}]}");
      assertThat(response.statusCode()).isEqualTo(500);
      assertThat(response.body()).contains("no workload's question");
      assertThat(llm.unmatched()).isEqualTo(1);
    }
  }

  @Test
  void nativeTurnsStreamToolCallsNamedAfterTheRequestsSchema() throws Exception {
    Workload movie = Workload.movie();
    try (SimulatedLlm llm = new SimulatedLlm(LatencyModel.GPT_35_TURBO.withTimeScale(0.01), Tokens.cl100k(), 1,
        List.of(movie))) {
      String body = "{\"model\":\"m\",\"stream\":false,\"messages\":[{\"role\":\"user\",\"content\":"
          + Workload.quote(movie.question()) + "}],\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"search\","
          + "\"parameters\":{\"type\":\"object\",\"properties\":{\"arg0\":{\"type\":\"string\"}}}}}]}";
      JsonNode completion = JSON.readTree(post(llm.baseUrl(), body).body());
      JsonNode calls = completion.path("choices").path(0).path("message").path("tool_calls");
      assertThat(calls).hasSize(8);
      assertThat(calls.path(0).path("function").path("name").asText()).isEqualTo("search");
      assertThat(JSON.readTree(calls.path(0).path("function").path("arguments").asText()).path("arg0").asText())
          .isEqualTo("genre and themes of the film The Matrix");
      assertThat(completion.path("choices").path(0).path("finish_reason").asText()).isEqualTo("tool_calls");
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
      HttpResponse<String> response = post(server.baseUrl(), "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
      double ms = (System.nanoTime() - start) / 1e6;
      assertThat(response.body()).contains("\"t99\"").contains("[DONE]");
      // 100 x 3 ms: never sooner, and on a loaded machine still far from what 100 oversleeps could add.
      assertThat(ms).isGreaterThanOrEqualTo(300).isLessThan(2000);
    }
  }

  @Test
  void toolCallWithDelayAddsACallAndSetsTheFinishReason() throws Exception {
    try (ScriptedOpenAiServer server = ScriptedOpenAiServer.start()) {
      server.enqueue(ScriptedResponse.stream().toolCall(
          new ScriptedResponse.ToolCall("call_1", "search", "{\"query\":\"x\"}"), Duration.ofMillis(50)));
      long start = System.nanoTime();
      HttpResponse<String> response = post(server.baseUrl(), "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
      assertThat((System.nanoTime() - start) / 1e6).isGreaterThanOrEqualTo(50);
      JsonNode choice = JSON.readTree(response.body()).path("choices").path(0);
      assertThat(choice.path("finish_reason").asText()).isEqualTo("tool_calls");
      assertThat(choice.path("message").path("tool_calls").path(0).path("id").asText()).isEqualTo("call_1");
    }
  }

  private static HttpResponse<String> post(String baseUrl, String body) throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    return http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/chat/completions"))
        .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
