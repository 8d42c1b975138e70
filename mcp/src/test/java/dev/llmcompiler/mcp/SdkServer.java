package dev.llmcompiler.mcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * An MCP server built with the SDK alone, none of our code, for {@link McpToolSet}'s tests: in this
 * process on streamable HTTP, or as its own process on stdio ({@link #main}).
 *
 * <p>Its {@code slow} tool waits at a barrier for a second {@code slow} call; if the two calls are
 * not in flight at once, it answers with a tool error instead, so a client that serializes calls
 * fails its test instead of passing slowly.
 */
final class SdkServer implements AutoCloseable {
  static final String POPULATION_INPUT =
      "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\","
          + "\"description\":\"the city\"}},\"required\":[\"city\"],\"additionalProperties\":false}";
  static final String POPULATION_OUTPUT =
      "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"},"
          + "\"people\":{\"type\":\"integer\"}},\"required\":[\"city\",\"people\"]}";
  static final String CITY_INPUT =
      "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},"
          + "\"required\":[\"city\"]}";
  private static final int BARRIER_SECONDS = 30;
  private static final McpJsonMapper JSON = new JacksonMcpJsonMapper(new ObjectMapper());

  final AtomicInteger populationCalls = new AtomicInteger();
  private final CyclicBarrier slowCalls = new CyclicBarrier(2);
  private final McpSyncServer server;
  private final Server jetty;
  private final int port;

  private SdkServer(McpSyncServer server, Server jetty, int port) {
    this.server = server;
    this.jetty = jetty;
    this.port = port;
  }

  /** Serves on streamable HTTP at {@code http://127.0.0.1:port/mcp}, port picked freely. */
  static SdkServer http() throws Exception {
    HttpServletStreamableServerTransportProvider transport =
        HttpServletStreamableServerTransportProvider.builder().jsonMapper(JSON).build();
    Holder holder = new Holder();
    McpSyncServer server =
        McpServer.sync(transport)
            .serverInfo("sdk-test-server", "1.0.0")
            .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
            .jsonMapper(JSON)
            .tools(holder.tools())
            .build();
    Server jetty = new Server();
    ServerConnector connector = new ServerConnector(jetty);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    jetty.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    ServletHolder servlet = new ServletHolder(transport);
    servlet.setAsyncSupported(true);
    context.addServlet(servlet, "/mcp");
    jetty.setHandler(context);
    jetty.start();
    SdkServer sdk = new SdkServer(server, jetty, connector.getLocalPort());
    holder.server = sdk;
    return sdk;
  }

  /** Serves on this process's stdin and stdout until stdin ends. */
  public static void main(String[] args) {
    Holder holder = new Holder();
    McpSyncServer server =
        McpServer.sync(new StdioServerTransportProvider(JSON))
            .serverInfo("sdk-test-server", "1.0.0")
            .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
            .jsonMapper(JSON)
            .tools(holder.tools())
            .build();
    holder.server = new SdkServer(server, null, -1);
    // The transport's reader thread keeps this process alive until the client closes stdin.
  }

  String baseUri() {
    return "http://127.0.0.1:" + port;
  }

  @Override
  public void close() {
    server.closeGracefully();
    if (jetty != null) {
      try {
        jetty.stop();
      } catch (Exception e) {
        throw new IllegalStateException("could not stop the test server's Jetty", e);
      }
    }
  }

  /** Lets the tools reach the server's state, which exists only once the server is built. */
  private static final class Holder {
    volatile SdkServer server;

    List<SyncToolSpecification> tools() {
      return List.of(
          SyncToolSpecification.builder()
              .tool(
                  McpSchema.Tool.builder("population", JSON, POPULATION_INPUT)
                      .description("How many people live in a city.")
                      .outputSchema(JSON, POPULATION_OUTPUT)
                      .annotations(McpSchema.ToolAnnotations.builder().readOnlyHint(true).build())
                      .build())
              .callHandler(
                  (exchange, request) -> {
                    server.populationCalls.incrementAndGet();
                    Object city = request.arguments().get("city");
                    Integer people = Map.of("Paris", 2_100_000, "Rome", 2_800_000).get(city);
                    if (people == null) {
                      return error("no data for " + city);
                    }
                    return CallToolResult.builder()
                        .structuredContent(Map.of("city", city, "people", people))
                        .addTextContent("{\"city\":\"" + city + "\",\"people\":" + people + "}")
                        .build();
                  })
              .build(),
          SyncToolSpecification.builder()
              .tool(
                  McpSchema.Tool.builder(
                          "slow",
                          JSON,
                          "{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"string\"}},\"required\":[\"id\"]}")
                      .description("Answers once a second slow call is in flight too.")
                      .build())
              .callHandler(
                  (exchange, request) -> {
                    Object id = request.arguments().get("id");
                    try {
                      server.slowCalls.await(BARRIER_SECONDS, TimeUnit.SECONDS);
                    } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
                      server.slowCalls.reset();
                      return error(
                          "slow " + id + " waited alone: the calls did not overlap (" + e + ")");
                    }
                    return CallToolResult.builder().addTextContent("slow " + id + " done").build();
                  })
              .build(),
          SyncToolSpecification.builder()
              .tool(
                  McpSchema.Tool.builder("weather.today", JSON, CITY_INPUT)
                      .description("Today's weather, as JSON text.")
                      .annotations(
                          McpSchema.ToolAnnotations.builder()
                              .readOnlyHint(false)
                              .idempotentHint(true)
                              .destructiveHint(false)
                              .build())
                      .build())
              .callHandler(
                  (exchange, request) ->
                      CallToolResult.builder()
                          .addTextContent(
                              "{\"city\":\""
                                  + request.arguments().get("city")
                                  + "\",\"sky\":\"clear\"}")
                          .build())
              .build(),
          SyncToolSpecification.builder()
              .tool(
                  McpSchema.Tool.builder("count", Map.of("type", "object"))
                      .annotations(
                          McpSchema.ToolAnnotations.builder()
                              .destructiveHint(true)
                              .idempotentHint(true)
                              .build())
                      .build())
              .callHandler(
                  (exchange, request) -> CallToolResult.builder().addTextContent("42").build())
              .build());
    }

    private static CallToolResult error(String text) {
      return CallToolResult.builder().addTextContent(text).isError(true).build();
    }
  }
}
