package dev.llmcompiler.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmcompiler.runtime.ToolDescriptor;
import dev.llmcompiler.runtime.ToolSet;
import dev.llmcompiler.runtime.internal.Json;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Our server on the stdio transport, in this process over pipes, spoken to in raw JSON-RPC lines.
 * (The SDK's own stdio client drives it as a child process in the samples' {@code McpModeIT}.)
 */
class McpToolServerStdioTest {
  private static final int WAIT_SECONDS = 30;

  /**
   * A hand-written tool set whose one synchronous tool answers only once a second call runs too.
   */
  private static final class Rendezvous implements ToolSet {
    private static final ToolDescriptor MEET =
        ToolDescriptor.builder()
            .name("meet")
            .parameters(
                "{\"type\":\"object\",\"properties\":{\"who\":{\"type\":\"string\"}},\"required\":[\"who\"]}")
            .returns("{\"type\":\"string\"}")
            .signature("meet(who: string) -> string")
            .build();
    private final CyclicBarrier both = new CyclicBarrier(2);

    @Override
    public List<ToolDescriptor> tools() {
      return List.of(MEET);
    }

    @Override
    public CompletionStage<JsonNode> invoke(String tool, ObjectNode arguments) throws Exception {
      // Blocks its thread, as a synchronous generated tool does: two answers need two threads at
      // once.
      both.await(WAIT_SECONDS, TimeUnit.SECONDS);
      return CompletableFuture.completedFuture(
          Json.NODES.textNode("met " + arguments.path("who").asText()));
    }
  }

  @Test
  void servesUntilStdinClosesAndRunsBlockingCallsSideBySide() throws Exception {
    PipedOutputStream toServer = new PipedOutputStream();
    PipedInputStream serverIn = new PipedInputStream(toServer, 1 << 16);
    PipedInputStream fromServer = new PipedInputStream(1 << 16);
    PipedOutputStream serverOut = new PipedOutputStream(fromServer);
    McpToolServer server =
        McpToolServer.builder().name("rendezvous").version("1").tools(new Rendezvous()).build();
    CompletableFuture<Void> serving =
        CompletableFuture.runAsync(() -> server.serveStdio(serverIn, serverOut));
    BufferedReader replies =
        new BufferedReader(new InputStreamReader(fromServer, StandardCharsets.UTF_8));

    send(
        toServer,
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\","
            + "\"capabilities\":{},\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}");
    assertThat(
            Json.parse(replies.readLine(), "reply")
                .path("result")
                .path("serverInfo")
                .path("name")
                .asText())
        .isEqualTo("rendezvous");
    send(toServer, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
    send(toServer, call(2, "ann"));
    send(toServer, call(3, "bob"));
    Map<Integer, JsonNode> answers = new HashMap<>();
    for (int i = 0; i < 2; i++) {
      JsonNode reply = Json.parse(replies.readLine(), "reply");
      answers.put(reply.path("id").asInt(), reply.path("result"));
    }

    assertThat(answers.get(2).path("isError").asBoolean()).as(answers.toString()).isFalse();
    assertThat(answers.get(2).path("content").get(0).path("text").asText()).isEqualTo("met ann");
    assertThat(answers.get(3).path("content").get(0).path("text").asText()).isEqualTo("met bob");
    assertThat(serving).isNotDone();
    toServer.close();
    serving.get(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  private static String call(int id, String who) {
    return "{\"jsonrpc\":\"2.0\",\"id\":"
        + id
        + ",\"method\":\"tools/call\",\"params\":{\"name\":\"meet\","
        + "\"arguments\":{\"who\":\""
        + who
        + "\"}}}";
  }

  private static void send(OutputStream out, String line) throws Exception {
    out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }
}
