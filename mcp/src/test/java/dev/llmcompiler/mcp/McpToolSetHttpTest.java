package dev.llmcompiler.mcp;

import io.modelcontextprotocol.client.McpAsyncClient;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * {@link McpToolSet} over streamable HTTP on loopback, against a server the SDK serves in this
 * process.
 */
class McpToolSetHttpTest extends McpToolSetContract {
  private static SdkServer server;
  private static McpSyncClient sync;
  private static McpAsyncClient async;

  @BeforeAll
  static void connect() throws Exception {
    server = SdkServer.http();
    sync =
        McpClient.sync(HttpClientStreamableHttpTransport.builder(server.baseUri()).build())
            .requestTimeout(Duration.ofSeconds(60))
            .build();
    sync.initialize();
    async =
        McpClient.async(HttpClientStreamableHttpTransport.builder(server.baseUri()).build())
            .requestTimeout(Duration.ofSeconds(60))
            .build();
    async.initialize().block();
  }

  @AfterAll
  static void disconnect() throws Exception {
    if (sync != null) {
      sync.closeGracefully();
    }
    if (async != null) {
      async.closeGracefully().block();
    }
    if (server != null) {
      server.close();
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
