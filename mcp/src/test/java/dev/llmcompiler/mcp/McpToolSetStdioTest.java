package dev.llmcompiler.mcp;

import io.modelcontextprotocol.client.McpAsyncClient;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * {@link McpToolSet} over stdio: the SDK's stdio client starts {@link SdkServer#main} as its own
 * process, as it would start any MCP server.
 */
class McpToolSetStdioTest extends McpToolSetContract {
  private static McpSyncClient sync;
  private static McpAsyncClient async;

  static StdioClientTransport childProcess() {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    // Surefire runs the tests from a manifest-only jar; this property holds the real class path.
    String classPath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    ServerParameters parameters =
        ServerParameters.builder(java).args("-cp", classPath, SdkServer.class.getName()).build();
    return new StdioClientTransport(parameters, McpJson.MAPPER);
  }

  @BeforeAll
  static void connect() {
    sync = McpClient.sync(childProcess()).requestTimeout(Duration.ofSeconds(60)).build();
    sync.initialize();
    async = McpClient.async(childProcess()).requestTimeout(Duration.ofSeconds(60)).build();
    async.initialize().block();
  }

  @AfterAll
  static void disconnect() {
    if (sync != null) {
      sync.closeGracefully();
    }
    if (async != null) {
      async.closeGracefully().block();
    }
  }

  @Override
  McpSyncClient syncClient() {
    return sync;
  }

  @Override
  McpAsyncClient asyncClient() {
    return async;
  }
}
