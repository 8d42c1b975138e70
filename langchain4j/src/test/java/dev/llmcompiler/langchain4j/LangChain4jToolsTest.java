package dev.llmcompiler.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.exception.ToolArgumentsException;
import dev.langchain4j.exception.ToolExecutionException;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.tool.ToolExecutor;
import dev.llmcompiler.runtime.ToolSet;
import dev.llmcompiler.runtime.internal.Json;
import dev.llmcompiler.testkit.RecordedRequest;
import dev.llmcompiler.testkit.ScriptedOpenAiServer;
import dev.llmcompiler.testkit.ScriptedResponse;
import dev.llmcompiler.testkit.ScriptedResponse.ToolCall;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Generated tools inside a LangChain4j AI Service, which talks to the scripted server through
 * LangChain4j's OpenAI client.
 */
class LangChain4jToolsTest {

  /** The user's agent, as LangChain4j users write it. */
  interface Analyst {
    String chat(String message);
  }

  private ScriptedOpenAiServer server;
  private MarketData market;
  private Analyst analyst;

  @BeforeEach
  void start() {
    server = ScriptedOpenAiServer.start();
    market = new MarketData(1);
    analyst =
        AiServices.builder(Analyst.class)
            .chatModel(
                OpenAiChatModel.builder()
                    .baseUrl(server.baseUrl())
                    .apiKey("test-key")
                    .modelName("scripted-model")
                    .maxRetries(0)
                    .build())
            .tools(LangChain4jTools.from(MarketDataTools.of(market)))
            .build();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static JsonNode toolMessage(RecordedRequest request) {
    JsonNode messages = request.body().path("messages");
    return messages.get(messages.size() - 1);
  }

  @Test
  void anAiServiceCallsAGeneratedToolAndSendsItsJsonResultBack() {
    server.enqueue(
        ScriptedResponse.toolCalls(new ToolCall("call_1", "quote", "{\"company\":\"Apple\"}")),
        ScriptedResponse.stream("Apple is worth $3,400 billion."));

    String answer = analyst.chat("What is Apple worth?");

    assertThat(answer).isEqualTo("Apple is worth $3,400 billion.");
    assertThat(market.quotesServed()).isEqualTo(1);
    JsonNode result = toolMessage(server.request(1));
    assertThat(result.path("role").asText()).isEqualTo("tool");
    assertThat(result.path("tool_call_id").asText()).isEqualTo("call_1");
    assertThat(Json.parse(result.path("content").asText(), "the tool result"))
        .isEqualTo(Json.parse("{\"company\":\"Apple\",\"marketCapBillions\":3400.0}", "expected"));

    // The model was offered the tools with the catalog's schemas (LangChain4j leaves out
    // additionalProperties unless tools are strict).
    JsonNode offered = server.request(0).body().path("tools");
    assertThat(offered).hasSize(2);
    assertThat(offered.get(0).path("function").path("name").asText()).isEqualTo("quote");
    ObjectNode expected = MarketDataTools.of(market).tools().get(0).parameters().deepCopy();
    expected.remove("additionalProperties");
    assertThat(offered.get(0).path("function").path("parameters")).isEqualTo(expected);
  }

  @Test
  void aToolsExceptionGoesBackToTheModelAsItsMessage() {
    server.enqueue(
        ScriptedResponse.toolCalls(new ToolCall("call_1", "quote", "{\"company\":\"Initech\"}")),
        ScriptedResponse.stream("I have no data for Initech."));

    String answer = analyst.chat("What is Initech worth?");

    assertThat(answer).isEqualTo("I have no data for Initech.");
    assertThat(toolMessage(server.request(1)).path("content").asText())
        .isEqualTo("no market data for Initech");
  }

  @Test
  void executorsFollowLangChain4jsConventionsForArgumentAndToolFailures() {
    Map<ToolSpecification, ToolExecutor> tools = LangChain4jTools.from(MarketDataTools.of(market));
    ToolExecutor quote = tools.values().iterator().next();

    String ok = quote.execute(request("{\"company\":\"Microsoft\"}"), null);
    Throwable wrongType = catchThrowable(() -> quote.execute(request("{\"company\":42}"), null));
    Throwable notJson = catchThrowable(() -> quote.execute(request("{company: Microsoft"), null));
    Throwable failing =
        catchThrowable(() -> quote.execute(request("{\"company\":\"Initech\"}"), null));

    assertThat(Json.parse(ok, "result").path("marketCapBillions").asDouble()).isEqualTo(3100.0);
    assertThat(wrongType)
        .isInstanceOf(ToolArgumentsException.class)
        .hasMessageContaining("company");
    assertThat(notJson)
        .isInstanceOf(ToolArgumentsException.class)
        .hasMessageContaining("not valid JSON");
    assertThat(failing)
        .isInstanceOf(ToolExecutionException.class)
        .hasCauseInstanceOf(IllegalArgumentException.class)
        .hasRootCauseMessage("no market data for Initech");
  }

  @Test
  void twoToolsWithOneNameAreRefused() {
    ToolSet first = MarketDataTools.of(market);
    ToolSet second = MarketDataTools.of(new MarketData());

    assertThat(catchThrowable(() -> LangChain4jTools.from(first, second)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Two tools are named 'quote'");
  }

  private static ToolExecutionRequest request(String arguments) {
    return ToolExecutionRequest.builder().id("call_9").name("quote").arguments(arguments).build();
  }
}
