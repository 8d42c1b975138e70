package dev.llmcompiler.samples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmcompiler.runtime.ToolArgumentException;
import dev.llmcompiler.runtime.ToolSet;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code java -jar llmcompiler-samples.jar mcp}, started as its own process by the MCP SDK's own
 * stdio client, as Claude Desktop or an IDE would start it (the README's MCP section).
 */
class McpModeIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  @Test
  void theSdksClientListsAndCallsTheSampleTools() throws Exception {
    StdioClientTransport transport =
        new StdioClientTransport(
            ServerParameters.builder(java())
                .args("-jar", JarRunner.jar().toString(), "mcp")
                .build(),
            McpJsonDefaults.getMapper());
    List<String> stderr = new CopyOnWriteArrayList<>();
    transport.setStdErrorHandler(stderr::add);
    McpSyncClient client = McpClient.sync(transport).requestTimeout(TIMEOUT).build();
    try {
      McpSchema.InitializeResult initialized = client.initialize();
      assertThat(initialized.serverInfo().name()).isEqualTo("llmcompiler-samples");
      assertThat(initialized.serverInfo().version())
          .isEqualTo(System.getProperty("llmcompiler.version"));

      List<McpSchema.Tool> tools = client.listTools().tools();
      assertThat(tools)
          .extracting(McpSchema.Tool::name)
          .containsExactly("search", "math", "convert");
      assertThat(tree(tools.get(0).inputSchema())).isEqualTo(catalog("Encyclopedia", "parameters"));
      assertThat(tree(tools.get(0).outputSchema())).isEqualTo(catalog("Encyclopedia", "returns"));
      assertThat(tree(tools.get(1).inputSchema())).isEqualTo(catalog("Calculator", "parameters"));
      assertThat(tools.get(1).outputSchema()).as("a number is not an MCP output schema").isNull();
      assertThat(tree(tools.get(2).inputSchema()))
          .isEqualTo(catalog("CurrencyConverter", "parameters"));
      assertThat(tree(tools.get(2).outputSchema()))
          .isEqualTo(catalog("CurrencyConverter", "returns"));

      // A call answers as the tool does in process: the same JSON, as structured content and as
      // text.
      Map<String, Object> query = Map.of("query", "Mariana Trench depth");
      CallToolResult found = client.callTool(call("search", query));
      JsonNode local =
          invoke(EncyclopediaTools.of(new Encyclopedia(Duration.ZERO)), "search", query);
      assertThat(found.isError()).isFalse();
      assertThat(tree(found.structuredContent())).isEqualTo(local);
      assertThat(JSON.readTree(text(found))).isEqualTo(local);
      assertThat(local.path("found").asBoolean()).isTrue();

      // A bad argument is a tool error carrying the generated invoker's own message.
      Map<String, Object> badAmount =
          Map.of("amount", Map.of("amount", "ten", "currency", "USD"), "to", "EUR");
      CallToolResult rejected = client.callTool(call("convert", badAmount));
      assertThat(rejected.isError()).isTrue();
      assertThat(text(rejected))
          .isEqualTo(
              argumentError(
                  CurrencyConverterTools.of(new CurrencyConverter()), "convert", badAmount))
          .isEqualTo(
              "Tool 'convert': argument 'amount.amount' must be a number, but got \"ten\" (a string).");
    } finally {
      client.closeGracefully();
    }
    assertThat(stderr).as("the server's standard error").isEmpty();
  }

  @Test
  void standardOutputCarriesOnlyJsonRpcAndTheServerExitsWhenStdinCloses() throws Exception {
    Process process = new ProcessBuilder(java(), "-jar", JarRunner.jar().toString(), "mcp").start();
    try {
      OutputStream stdin = process.getOutputStream();
      BufferedReader stdout =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      send(
          stdin,
          "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\","
              + "\"capabilities\":{},\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}");
      JsonNode initialized = JSON.readTree(stdout.readLine());
      send(stdin, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
      send(
          stdin,
          "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"math\","
              + "\"arguments\":{\"expression\":\"6 * 7\"}}}");
      JsonNode answered = JSON.readTree(stdout.readLine());
      stdin.close();

      assertThat(initialized.path("id").asInt()).isEqualTo(1);
      assertThat(initialized.path("result").path("serverInfo").path("name").asText())
          .isEqualTo("llmcompiler-samples");
      assertThat(answered.path("id").asInt()).isEqualTo(2);
      assertThat(answered.path("result").path("content").get(0).path("text").asText())
          .isEqualTo("42.0");
      assertThat(process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS))
          .as("exits once stdin is closed")
          .isTrue();
      assertThat(process.exitValue()).isZero();
      // Nothing else was written to stdout: no banner, no log line, no stray output after the
      // answers.
      assertThat(stdout.readLine()).isNull();
      assertThat(readAll(process.getErrorStream())).isEmpty();
    } finally {
      process.destroyForcibly();
    }
  }

  @Test
  void theMcpModeTakesNoArguments() throws Exception {
    JarRunner.Result help = JarRunner.run(Map.of(), TIMEOUT, "mcp", "--help");
    assertThat(help.exitCode()).isZero();
    assertThat(help.stdout())
        .startsWith("Usage: java -jar samples/target/llmcompiler-samples.jar mcp");

    JarRunner.Result extra = JarRunner.run(Map.of(), TIMEOUT, "mcp", "--port", "80");
    assertThat(extra.exitCode()).isEqualTo(2);
    assertThat(extra.stderr().strip())
        .isEqualTo(
            "llmcompiler-samples: the mcp mode takes no arguments, got: --port (run `mcp --help`)");
  }

  private static void send(OutputStream stdin, String message) throws Exception {
    stdin.write((message + "\n").getBytes(StandardCharsets.UTF_8));
    stdin.flush();
  }

  private static String readAll(InputStream in) throws Exception {
    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
  }

  private static JsonNode tree(Object value) {
    return JSON.valueToTree(value);
  }

  /** A field of the tool's entry in the catalog the processor wrote for {@code Class}. */
  private static JsonNode catalog(String className, String field) throws Exception {
    String resource = "/META-INF/llmcompiler/dev.llmcompiler.samples." + className + ".json";
    try (InputStream in = McpModeIT.class.getResourceAsStream(resource)) {
      assertThat(in).as(resource).isNotNull();
      return JSON.readTree(in).path("tools").get(0).path(field);
    }
  }

  private static McpSchema.CallToolRequest call(String tool, Map<String, Object> arguments) {
    return McpSchema.CallToolRequest.builder(tool).arguments(arguments).build();
  }

  private static String text(CallToolResult result) {
    assertThat(result.content()).hasSize(1);
    return ((McpSchema.TextContent) result.content().get(0)).text();
  }

  private static JsonNode invoke(ToolSet tools, String tool, Map<String, Object> arguments)
      throws Exception {
    return tools
        .invoke(tool, JSON.valueToTree(arguments))
        .toCompletableFuture()
        .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
  }

  private static String argumentError(ToolSet tools, String tool, Map<String, Object> arguments) {
    ObjectNode node = JSON.valueToTree(arguments);
    try {
      tools.invoke(tool, node);
    } catch (ToolArgumentException e) {
      return e.getMessage();
    } catch (Exception e) {
      throw new AssertionError("expected an argument error, got " + e, e);
    }
    throw new AssertionError("expected an argument error for " + arguments);
  }
}
