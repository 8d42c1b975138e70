package dev.llmcompiler.mcp;

import io.modelcontextprotocol.server.McpAsyncServer;
import io.modelcontextprotocol.server.transport.DefaultServerTransportSecurityValidator;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A running MCP server on streamable HTTP, started by {@link McpToolServer#startHttp(int)}: the
 * SDK's servlet transport in an embedded Jetty, listening on {@code 127.0.0.1}. Close it to stop
 * serving.
 *
 * <pre>{@code
 * try (McpHttpServer http = server.startHttp(0)) {
 *   McpSyncClient client = McpClient.sync(
 *       HttpClientStreamableHttpTransport.builder(http.baseUri().toString()).build()).build();
 *   ...
 * }
 * }</pre>
 */
public final class McpHttpServer implements AutoCloseable {
  /** Where the transport answers, as the SDK's clients expect by default. */
  static final String ENDPOINT = "/mcp";

  private static final String LOOPBACK = "127.0.0.1";
  private static final int CLOSE_SECONDS = 5;

  private final Server jetty;
  private final McpAsyncServer mcp;
  private final int port;

  private McpHttpServer(Server jetty, McpAsyncServer mcp, int port) {
    this.jetty = jetty;
    this.mcp = mcp;
    this.port = port;
  }

  static McpHttpServer start(McpToolServer tools, int port) {
    HttpServletStreamableServerTransportProvider transport =
        HttpServletStreamableServerTransportProvider.builder()
            .jsonMapper(McpJson.MAPPER)
            .mcpEndpoint(ENDPOINT)
            // A browser page must not reach a local server through a rebound DNS name (MCP's
            // security advice).
            .httpHeaderValidator(
                DefaultServerTransportSecurityValidator.builder()
                    .allowedHosts(List.of(LOOPBACK + ":*", "localhost:*", "[::1]:*"))
                    .allowedOrigins(
                        List.of(
                            "http://" + LOOPBACK + ":*", "http://localhost:*", "http://[::1]:*"))
                    .build())
            .build();
    McpAsyncServer mcp = tools.start(transport);
    Server jetty = new Server();
    ServerConnector connector = new ServerConnector(jetty);
    connector.setHost(LOOPBACK);
    connector.setPort(port);
    jetty.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath("/");
    ServletHolder servlet = new ServletHolder(transport);
    // The transport answers with Server-Sent Events from other threads: it needs asynchronous
    // servlets.
    servlet.setAsyncSupported(true);
    context.addServlet(servlet, ENDPOINT);
    jetty.setHandler(context);
    try {
      jetty.start();
    } catch (Exception e) {
      mcp.close();
      stopAfterFailure(jetty, e);
      throw new IllegalStateException(
          "Could not start the MCP HTTP server on " + LOOPBACK + ":" + port + ": " + e, e);
    }
    return new McpHttpServer(jetty, mcp, connector.getLocalPort());
  }

  /** The port it listens on (the one picked when started with port 0). */
  public int port() {
    return port;
  }

  /**
   * {@code http://127.0.0.1:port}: what the SDK's {@code HttpClientStreamableHttpTransport.builder}
   * takes.
   */
  public URI baseUri() {
    return URI.create("http://" + LOOPBACK + ":" + port);
  }

  /**
   * The MCP endpoint, {@code http://127.0.0.1:port/mcp}: what other MCP clients are configured
   * with.
   */
  public URI endpoint() {
    return URI.create(baseUri() + ENDPOINT);
  }

  /**
   * Stops serving: open sessions end (at once if they have not within {@value #CLOSE_SECONDS}
   * seconds), then the HTTP server stops.
   *
   * @throws IllegalStateException if Jetty fails to stop
   */
  @Override
  public void close() {
    try {
      mcp.closeGracefully().block(Duration.ofSeconds(CLOSE_SECONDS));
    } catch (RuntimeException e) {
      mcp.close();
    }
    try {
      jetty.stop();
    } catch (Exception e) {
      throw new IllegalStateException(
          "Could not stop the MCP HTTP server at " + endpoint() + ": " + e, e);
    }
  }

  private static void stopAfterFailure(Server jetty, Exception failure) {
    try {
      jetty.stop();
    } catch (Exception e) {
      failure.addSuppressed(e);
    }
  }

  @Override
  public String toString() {
    return "McpHttpServer[" + endpoint() + "]";
  }
}
