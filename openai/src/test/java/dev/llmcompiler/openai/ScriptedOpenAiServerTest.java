package dev.llmcompiler.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.llmcompiler.testkit.RecordedRequest;
import dev.llmcompiler.testkit.ScriptedOpenAiServer;
import dev.llmcompiler.testkit.ScriptedResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The scripted server itself speaks the wire format real clients expect. */
class ScriptedOpenAiServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ScriptedOpenAiServer server;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() {
    server = ScriptedOpenAiServer.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private HttpResponse<String> post(String path, String body) throws Exception {
    URI uri = URI.create(server.baseUrl() + path);
    return http.send(
        HttpRequest.newBuilder(uri)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void streamsServerSentEventsEndingWithDone() throws Exception {
    server.enqueue(ScriptedResponse.stream("Hel", "lo").usage(5, 2));

    HttpResponse<String> response =
        post(
            "/chat/completions",
            "{\"model\":\"m\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));
    List<String> events = new ArrayList<>();
    for (String block : response.body().split("\n\n")) {
      assertThat(block).startsWith("data: ");
      events.add(block.substring("data: ".length()));
    }
    assertThat(events).hasSize(5).last().isEqualTo("[DONE]");
    assertThat(JSON.readTree(events.get(0)).at("/choices/0/delta/content").asText())
        .isEqualTo("Hel");
    assertThat(JSON.readTree(events.get(1)).at("/choices/0/delta/content").asText())
        .isEqualTo("lo");
    assertThat(JSON.readTree(events.get(2)).at("/choices/0/finish_reason").asText())
        .isEqualTo("stop");
    JsonNode usage = JSON.readTree(events.get(3));
    assertThat(usage.path("choices")).isEmpty();
    assertThat(usage.at("/usage/prompt_tokens").asLong()).isEqualTo(5);
    assertThat(usage.at("/usage/completion_tokens").asLong()).isEqualTo(2);
    assertThat(usage.path("usage").has("prompt_tokens_details")).isFalse();
  }

  @Test
  void reportsCachedPromptTokensInTheUsageDetails() throws Exception {
    server.enqueue(ScriptedResponse.stream("a").usage(1200, 1, 1024));
    server.enqueue(ScriptedResponse.stream("b").usage(300, 1, 0));

    String streamed =
        post(
                "/chat/completions",
                "{\"model\":\"m\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                    + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
            .body();
    JsonNode whole =
        JSON.readTree(post("/chat/completions", "{\"model\":\"m\",\"messages\":[]}").body());

    String usageEvent = streamed.split("\n\n")[2].substring("data: ".length());
    assertThat(JSON.readTree(usageEvent).at("/usage/prompt_tokens").asLong()).isEqualTo(1200);
    assertThat(JSON.readTree(usageEvent).at("/usage/prompt_tokens_details/cached_tokens").asLong())
        .isEqualTo(1024);
    assertThat(whole.at("/usage/prompt_tokens_details/cached_tokens").isIntegralNumber()).isTrue();
    assertThat(whole.at("/usage/prompt_tokens_details/cached_tokens").asLong()).isZero();
  }

  @Test
  void rejectsMoreCachedThanPromptTokens() {
    assertThatThrownBy(() -> ScriptedResponse.stream("a").usage(10, 1, 11))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cachedPromptTokens must be between 0 and promptTokens (10), got 11");
  }

  @Test
  void sendsUsageOnlyWhenAskedFor() throws Exception {
    server.enqueue(ScriptedResponse.stream("x"));

    HttpResponse<String> response =
        post("/chat/completions", "{\"model\":\"m\",\"stream\":true,\"messages\":[]}");

    assertThat(response.body()).doesNotContain("\"usage\"").endsWith("data: [DONE]\n\n");
  }

  @Test
  void answersANonStreamingRequestWithOneCompletion() throws Exception {
    server.enqueue(ScriptedResponse.stream("Hel", "lo").usage(7, 2));

    HttpResponse<String> response =
        post(
            "/chat/completions",
            "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"q\"}]}");

    JsonNode body = JSON.readTree(response.body());
    assertThat(body.path("object").asText()).isEqualTo("chat.completion");
    assertThat(body.at("/choices/0/message/content").asText()).isEqualTo("Hello");
    assertThat(body.at("/usage/total_tokens").asLong()).isEqualTo(9);
  }

  @Test
  void theOfficialSdkReadsScriptedToolCalls() {
    server.respondWith(
        request ->
            ScriptedResponse.toolCalls(
                new ScriptedResponse.ToolCall("call_1", "search", "{\"query\":\"Apple\"}"),
                new ScriptedResponse.ToolCall("call_2", "search", "{\"query\":\"Microsoft\"}")));
    OpenAIClient sdk = OpenAIOkHttpClient.builder().baseUrl(server.baseUrl()).apiKey("k").build();
    ChatCompletionCreateParams params =
        ChatCompletionCreateParams.builder().model("m").addUserMessage("compare").build();
    try {
      List<String> streamed = new ArrayList<>();
      String finish;
      try (StreamResponse<ChatCompletionChunk> stream =
          sdk.chat().completions().createStreaming(params)) {
        finish = "";
        for (ChatCompletionChunk chunk :
            (Iterable<ChatCompletionChunk>) stream.stream()::iterator) {
          for (ChatCompletionChunk.Choice choice : chunk.choices()) {
            choice
                .delta()
                .toolCalls()
                .ifPresent(
                    calls ->
                        calls.forEach(
                            call ->
                                streamed.add(
                                    call.function().flatMap(f -> f.name()).orElse("")
                                        + " "
                                        + call.function().flatMap(f -> f.arguments()).orElse(""))));
            if (choice.finishReason().isPresent()) {
              finish = choice.finishReason().get().asString();
            }
          }
        }
      }
      ChatCompletion whole = sdk.chat().completions().create(params);

      assertThat(streamed)
          .containsExactly("search {\"query\":\"Apple\"}", "search {\"query\":\"Microsoft\"}");
      assertThat(finish).isEqualTo("tool_calls");
      assertThat(whole.choices().get(0).message().toolCalls().orElseThrow()).hasSize(2);
    } finally {
      sdk.close();
    }
  }

  @Test
  void unscriptedRequestsGetAnErrorThatSaysSo() throws Exception {
    HttpResponse<String> response = post("/chat/completions", "{\"model\":\"m\"}");

    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(response.body()).contains("no response for request #0");
    // The server finishes its bookkeeping just after the client has the response.
    assertThat(server.request(0).outcome())
        .succeedsWithin(java.time.Duration.ofSeconds(10))
        .isEqualTo(RecordedRequest.Outcome.COMPLETED);
  }

  @Test
  void unknownPathsAreNotFound() throws Exception {
    HttpResponse<String> response = post("/embeddings", "{}");

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.body()).contains("Unknown path");
  }
}
