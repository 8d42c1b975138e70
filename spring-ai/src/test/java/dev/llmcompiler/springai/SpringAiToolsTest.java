package dev.llmcompiler.springai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmcompiler.runtime.ToolArgumentException;
import dev.llmcompiler.runtime.internal.Json;
import dev.llmcompiler.testkit.RecordedRequest;
import dev.llmcompiler.testkit.ScriptedOpenAiServer;
import dev.llmcompiler.testkit.ScriptedResponse;
import dev.llmcompiler.testkit.ScriptedResponse.ToolCall;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.execution.ToolExecutionException;

/**
 * Generated tools in a Spring AI ChatClient, which talks to the scripted server through Spring AI's
 * OpenAI client.
 */
class SpringAiToolsTest {
  private ScriptedOpenAiServer server;
  private MarketData market;
  private ChatClient chatClient;

  @BeforeEach
  void start() {
    server = ScriptedOpenAiServer.start();
    market = new MarketData(1);
    chatClient =
        ChatClient.builder(SpringAiLlmTest.openAi(server))
            .defaultToolCallbacks(SpringAiTools.from(MarketDataTools.of(market)))
            .build();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static JsonNode lastMessage(RecordedRequest request) {
    JsonNode messages = request.body().path("messages");
    return messages.get(messages.size() - 1);
  }

  @Test
  void aChatClientCallsAGeneratedToolAndSendsItsJsonResultBack() {
    server.enqueue(
        ScriptedResponse.toolCalls(new ToolCall("call_1", "quote", "{\"company\":\"Apple\"}")),
        ScriptedResponse.stream("Apple is worth $3,400 billion."));

    String answer = chatClient.prompt("What is Apple worth?").call().content();

    assertThat(answer).isEqualTo("Apple is worth $3,400 billion.");
    assertThat(market.quotesServed()).isEqualTo(1);
    JsonNode result = lastMessage(server.request(1));
    assertThat(result.path("role").asText()).isEqualTo("tool");
    assertThat(result.path("tool_call_id").asText()).isEqualTo("call_1");
    assertThat(Json.parse(result.path("content").asText(), "the tool result"))
        .isEqualTo(Json.parse("{\"company\":\"Apple\",\"marketCapBillions\":3400.0}", "expected"));

    // The model was offered the catalog's schemas as they are.
    JsonNode offered = server.request(0).body().path("tools");
    assertThat(offered).hasSize(2);
    assertThat(offered.get(0).path("function").path("name").asText()).isEqualTo("quote");
    assertThat(offered.get(0).path("function").path("description").asText())
        .isEqualTo("Looks up a company's market capitalisation in billions of US dollars.");
    assertThat(offered.get(0).path("function").path("parameters"))
        .isEqualTo(MarketDataTools.of(market).tools().get(0).parameters());
  }

  @Test
  void aToolsExceptionGoesBackToTheModelAsItsMessage() {
    server.enqueue(
        ScriptedResponse.toolCalls(new ToolCall("call_1", "quote", "{\"company\":\"Initech\"}")),
        ScriptedResponse.stream("I have no data for Initech."));

    String answer = chatClient.prompt("What is Initech worth?").call().content();

    assertThat(answer).isEqualTo("I have no data for Initech.");
    assertThat(lastMessage(server.request(1)).path("content").asText())
        .isEqualTo("no market data for Initech");
  }

  @Test
  void callbacksFollowSpringAisConventionForFailures() {
    ToolCallback quote = SpringAiTools.from(MarketDataTools.of(market))[0];

    String ok = quote.call("{\"company\":\"Microsoft\"}");
    Throwable wrongType = catchThrowable(() -> quote.call("{\"company\":42}"));
    Throwable notJson = catchThrowable(() -> quote.call("{company: Microsoft"));
    Throwable failing = catchThrowable(() -> quote.call("{\"company\":\"Initech\"}"));

    assertThat(Json.parse(ok, "result").path("marketCapBillions").asDouble()).isEqualTo(3100.0);
    assertThat(wrongType)
        .isInstanceOf(ToolExecutionException.class)
        .hasCauseInstanceOf(ToolArgumentException.class)
        .hasMessageContaining("company");
    assertThat(((ToolExecutionException) wrongType).getToolDefinition().name()).isEqualTo("quote");
    assertThat(notJson)
        .isInstanceOf(ToolExecutionException.class)
        .hasMessageContaining("not valid JSON");
    assertThat(failing)
        .isInstanceOf(ToolExecutionException.class)
        .hasCauseInstanceOf(IllegalArgumentException.class)
        .hasMessage("no market data for Initech");
  }

  @Test
  void aProviderListsTheToolsAndTwoToolsWithOneNameAreRefused() {
    assertThat(SpringAiTools.provider(MarketDataTools.of(market)).getToolCallbacks())
        .extracting(callback -> callback.getToolDefinition().name())
        .containsExactly("quote", "subtract");
    assertThat(
            catchThrowable(
                () -> SpringAiTools.from(MarketDataTools.of(market), MarketDataTools.of(market))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Two tools are named 'quote'");
  }
}
