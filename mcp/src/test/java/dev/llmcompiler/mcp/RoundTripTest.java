package dev.llmcompiler.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmcompiler.annotations.Effect;
import dev.llmcompiler.runtime.ToolDescriptor;
import dev.llmcompiler.runtime.ToolSet;
import dev.llmcompiler.runtime.internal.Json;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Generated tool sets served by {@link McpToolServer} and read back by {@link McpToolSet}: what the
 * planner is told about a tool is the same on both sides of MCP.
 */
class RoundTripTest {
  private static final List<ToolSet> SETS =
      List.of(TripsTools.of(new Trips()), ShapesTools.of(new Shapes()));

  @Test
  void aServedToolReadsBackWithTheSameSchemasAndSignature() {
    try (McpHttpServer http =
        McpToolServer.builder().name("round-trip").version("1").tools(SETS).build().startHttp(0)) {
      McpSyncClient client =
          McpClient.sync(
                  HttpClientStreamableHttpTransport.builder(http.baseUri().toString()).build())
              .requestTimeout(Duration.ofSeconds(30))
              .build();
      try {
        McpToolSet remote = McpToolSet.of(client);
        List<ToolDescriptor> local = SETS.stream().flatMap(set -> set.tools().stream()).toList();

        assertThat(remote.tools())
            .extracting(ToolDescriptor::name)
            .containsExactlyElementsOf(local.stream().map(ToolDescriptor::name).toList());
        for (int i = 0; i < local.size(); i++) {
          ToolDescriptor original = local.get(i);
          ToolDescriptor read = remote.tools().get(i);
          assertThat(read.parameters()).as(original.name()).isEqualTo(original.parameters());
          assertThat(read.description()).isEqualTo(original.description());
          assertThat(read.strict()).as(original.name()).isEqualTo(original.strict());
          assertThat(read.requiredParameters()).isEqualTo(original.requiredParameters());
          assertThat(read.effect()).as(original.name()).isEqualTo(original.effect());
          if (ServedTools.declaresOutput(original)) {
            assertThat(read.returns()).isEqualTo(original.returns());
            assertThat(read.signature()).isEqualTo(original.signature());
          } else {
            // MCP declares only object results; the rest reads back as any.
            assertThat(read.returns()).isEqualTo(Json.object());
            assertThat(read.signature()).isEqualTo(arguments(original.signature()) + " -> any");
          }
        }
        assertThat(remote.tools().get(4).signature())
            .isEqualTo(
                "summarize(points: list[{x: number, y: number,"
                    + " label?: string}], unit: \"M\"|\"KM\", day: date, tags?: list[string], limit?: integer,"
                    + " chain: Node{value: integer, next?: Node}) -> {count: integer, points: list[{x: number, y: number,"
                    + " label?: string}], tally: map[string, integer], day: date, unit: \"M\"|\"KM\"}");
      } finally {
        client.closeGracefully();
      }
    }
  }

  @Test
  void everyEffectReadsBackAsItself() {
    List<ToolDescriptor> declared = new java.util.ArrayList<>();
    for (Effect effect : Effect.values()) {
      String name = effect.name().toLowerCase(java.util.Locale.ROOT);
      declared.add(
          ToolDescriptor.builder()
              .name(name)
              .parameters("{\"type\":\"object\"}")
              .returns("{}")
              .signature(name + "() -> any")
              .effect(effect)
              .build());
    }
    ToolSet set =
        new ToolSet() {
          @Override
          public List<ToolDescriptor> tools() {
            return declared;
          }

          @Override
          public java.util.concurrent.CompletionStage<com.fasterxml.jackson.databind.JsonNode>
              invoke(String tool, com.fasterxml.jackson.databind.node.ObjectNode arguments) {
            return java.util.concurrent.CompletableFuture.completedFuture(Json.NODES.nullNode());
          }
        };
    try (McpHttpServer http =
        McpToolServer.builder().name("effects").version("1").tools(set).build().startHttp(0)) {
      McpSyncClient client =
          McpClient.sync(
                  HttpClientStreamableHttpTransport.builder(http.baseUri().toString()).build())
              .requestTimeout(Duration.ofSeconds(30))
              .build();
      try {
        assertThat(McpToolSet.of(client).tools())
            .extracting(ToolDescriptor::effect)
            .containsExactly(
                Effect.READ_ONLY, Effect.IDEMPOTENT, Effect.MUTATING, Effect.DESTRUCTIVE);
      } finally {
        client.closeGracefully();
      }
    }
  }

  private static String arguments(String signature) {
    return signature.substring(0, signature.lastIndexOf(" -> "));
  }
}
