package dev.llmcompiler.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmcompiler.runtime.ToolArgumentException;
import dev.llmcompiler.runtime.ToolDescriptor;
import dev.llmcompiler.runtime.internal.Json;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Our server on streamable HTTP on loopback, called by the SDK's own client. */
class McpToolServerHttpTest {
  private static final TripsTools TRIPS = TripsTools.of(new Trips());
  private static McpHttpServer http;
  private static McpSyncClient client;

  @BeforeAll
  static void start() {
    http = McpToolServer.builder().name("trips").version("1.2.3").tools(TRIPS).build().startHttp(0);
    client =
        McpClient.sync(
                HttpClientStreamableHttpTransport.builder(http.baseUri().toString())
                    .jsonMapper(McpJson.MAPPER)
                    .build())
            .requestTimeout(Duration.ofSeconds(30))
            .build();
    client.initialize();
  }

  @AfterAll
  static void stop() {
    if (client != null) {
      client.closeGracefully();
    }
    if (http != null) {
      http.close();
    }
  }

  @Test
  void listsEveryToolWithItsCatalogSchemas() {
    assertThat(client.getServerInfo().name()).isEqualTo("trips");
    assertThat(client.getServerInfo().version()).isEqualTo("1.2.3");
    List<McpSchema.Tool> tools = client.listTools().tools();
    assertThat(tools)
        .extracting(McpSchema.Tool::name)
        .containsExactly("fare", "dollars", "greet", "office");
    for (McpSchema.Tool tool : tools) {
      ToolDescriptor descriptor = descriptor(tool.name());
      assertThat(McpJson.toTree(tool.inputSchema()))
          .as(tool.name())
          .isEqualTo(descriptor.parameters());
      assertThat(tool.description()).isEqualTo(descriptor.description());
      // Every hint is sent, so that no client reads the spec's defaults (possibly destructive) into
      // a tool.
      boolean readOnly = descriptor.effect() == dev.llmcompiler.annotations.Effect.READ_ONLY;
      assertThat(tool.annotations())
          .as(tool.name())
          .isEqualTo(
              McpSchema.ToolAnnotations.builder()
                  .readOnlyHint(readOnly)
                  .destructiveHint(false)
                  .idempotentHint(readOnly)
                  .build());
    }
    assertThat(tools.get(0).annotations().readOnlyHint()).as("fare is read-only").isTrue();
    assertThat(tools.get(2).annotations().readOnlyHint())
        .as("greet declares nothing: mutating")
        .isFalse();
    // An object result is declared as the output schema; a number or a string is not (MCP wants
    // objects there).
    assertThat(McpJson.toTree(tools.get(0).outputSchema())).isEqualTo(descriptor("fare").returns());
    assertThat(tools.get(1).outputSchema()).isNull();
    assertThat(tools.get(2).outputSchema()).isNull();
  }

  @Test
  void anObjectResultIsStructuredContentAndTheSameJsonAsText() {
    CallToolResult result =
        client.callTool(call("fare", Map.of("from", "Paris", "to", "Rome", "passengers", 2)));

    assertThat(result.isError()).isFalse();
    JsonNode expected =
        Json.parse(
            "{\"from\":\"Paris\",\"to\":\"Rome\",\"price\":179.0,\"note\":\"for 2 passengers\"}",
            "x");
    assertThat(McpJson.toTree(result.structuredContent())).isEqualTo(expected);
    assertThat(Json.parse(text(result), "the text")).isEqualTo(expected);
  }

  @Test
  void anEmptyOptionalFieldIsLeftOutSoTheResultFitsTheOutputSchema() {
    // The tool returns note = null; the catalog's schema says note is an optional string, not a
    // nullable one.
    CallToolResult result = client.callTool(call("fare", Map.of("from", "Paris", "to", "Oslo")));

    assertThat(result.isError()).as(text(result)).isFalse();
    assertThat(McpJson.toTree(result.structuredContent()))
        .isEqualTo(Json.parse("{\"from\":\"Paris\",\"to\":\"Oslo\",\"price\":120.0}", "x"));
  }

  @Test
  void scalarResultsAreTextOnly() {
    CallToolResult greeting = client.callTool(call("greet", Map.of("name", "Ada")));
    CallToolResult dollars = client.callTool(call("dollars", Map.of("euros", 10)));

    assertThat(text(greeting)).isEqualTo("Hello, Ada");
    assertThat(greeting.structuredContent()).isNull();
    assertThat(text(dollars)).isEqualTo("12.5");
    assertThat(dollars.structuredContent()).isNull();
  }

  @Test
  void aBadArgumentIsAToolErrorWithTheRuntimesOwnMessage() {
    Map<String, Object> wrongType = Map.of("from", "Paris", "to", 42);
    Map<String, Object> missing = Map.of("from", "Paris");
    Map<String, Object> unknown = Map.of("from", "Paris", "to", "Rome", "class", "first");

    for (Map<String, Object> arguments : List.of(wrongType, missing, unknown)) {
      CallToolResult result = client.callTool(call("fare", arguments));
      assertThat(result.isError()).as(arguments.toString()).isTrue();
      assertThat(text(result)).isEqualTo(localArgumentError("fare", arguments));
    }
    assertThat(localArgumentError("fare", wrongType))
        .isEqualTo("Tool 'fare': argument 'to' must be a string, but got 42 (a number).");
  }

  @Test
  void aToolsExceptionIsAToolErrorInTheRuntimesWords() {
    CallToolResult result = client.callTool(call("office", Map.of("city", "Oslo")));

    assertThat(result.isError()).isTrue();
    assertThat(text(result))
        .isEqualTo("Tool 'office' failed: IllegalStateException: the office in Oslo is closed");
  }

  @Test
  void refusesARequestFromAForeignOrigin() throws Exception {
    // What a web page would send through a DNS name rebound to 127.0.0.1.
    HttpRequest request =
        HttpRequest.newBuilder(http.endpoint())
            .header("Origin", "http://attacker.example")
            .header("Content-Type", "application/json")
            .header("Accept", "application/json, text/event-stream")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":"
                        + "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"x\",\"version\":\"1\"}}}"))
            .build();

    HttpResponse<String> response =
        HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(http.endpoint()).isEqualTo(URI.create("http://127.0.0.1:" + http.port() + "/mcp"));
  }

  @Test
  void twoToolsOfOneNameAreRefused() {
    assertThatThrownBy(
            () ->
                McpToolServer.builder()
                    .name("x")
                    .version("1")
                    .tools(TRIPS, TripsTools.of(new Trips()))
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Two tools are named 'fare'");
    assertThatThrownBy(() -> McpToolServer.builder().version("1").tools(TRIPS).build())
        .hasMessage("`name` is required but was not set");
  }

  private static ToolDescriptor descriptor(String name) {
    return TRIPS.tools().stream()
        .filter(tool -> tool.name().equals(name))
        .findFirst()
        .orElseThrow();
  }

  private static McpSchema.CallToolRequest call(String tool, Map<String, Object> arguments) {
    return McpSchema.CallToolRequest.builder(tool).arguments(arguments).build();
  }

  private static String text(CallToolResult result) {
    assertThat(result.content()).hasSize(1);
    return ((McpSchema.TextContent) result.content().get(0)).text();
  }

  /** The message the generated tool set itself gives for these arguments, called in process. */
  private static String localArgumentError(String tool, Map<String, Object> arguments) {
    ObjectNode node = Json.MAPPER.valueToTree(arguments);
    try {
      TRIPS.invoke(tool, node);
    } catch (ToolArgumentException e) {
      return e.getMessage();
    } catch (Exception e) {
      throw new AssertionError("expected an argument error, got " + e, e);
    }
    throw new AssertionError("expected an argument error for " + arguments);
  }
}
