package dev.llmcompiler.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmcompiler.annotations.Effect;
import dev.llmcompiler.runtime.ToolArgumentException;
import dev.llmcompiler.runtime.ToolDescriptor;
import dev.llmcompiler.runtime.internal.Json;
import io.modelcontextprotocol.client.McpAsyncClient;
import io.modelcontextprotocol.client.McpSyncClient;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What {@link McpToolSet} does against a server built with the SDK ({@link SdkServer}), whatever
 * the transport: the subclasses connect the SDK's own clients over stdio and over HTTP.
 */
abstract class McpToolSetContract {
  private static final int WAIT_SECONDS = 60;

  /** A client connected to an {@link SdkServer}, initialized. */
  abstract McpSyncClient syncClient();

  /** A second, asynchronous client connected to an {@link SdkServer}, initialized. */
  abstract McpAsyncClient asyncClient();

  static ObjectNode args(String name, Object value) {
    return Json.MAPPER.valueToTree(Map.of(name, value));
  }

  private static ToolDescriptor descriptor(McpToolSet tools, String name) {
    return tools.tools().stream()
        .filter(tool -> tool.name().equals(name))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void eachToolBecomesADescriptorWithTheServersSchemasAndADerivedSignature() {
    McpToolSet tools = McpToolSet.of(syncClient());

    assertThat(tools.tools())
        .extracting(ToolDescriptor::name)
        .containsExactly("population", "slow", "weather_today", "count");
    ToolDescriptor population = descriptor(tools, "population");
    assertThat(population.parameters()).isEqualTo(Json.parse(SdkServer.POPULATION_INPUT, "x"));
    assertThat(population.returns()).isEqualTo(Json.parse(SdkServer.POPULATION_OUTPUT, "x"));
    assertThat(population.description()).isEqualTo("How many people live in a city.");
    assertThat(population.signature())
        .isEqualTo("population(city: string) -> {city: string, people: integer}");
    assertThat(population.strict()).isTrue();
    assertThat(population.requiredParameters()).containsExactly("city");
    // A name with a dot is offered with an underscore; no output schema reads "any".
    assertThat(descriptor(tools, "weather_today").signature())
        .isEqualTo("weather_today(city: string) -> any");
    assertThat(descriptor(tools, "weather_today").strict()).isFalse();
    assertThat(descriptor(tools, "count").signature()).isEqualTo("count() -> any");
  }

  @Test
  void eachToolsEffectComesFromItsHintsAndNoHintsMeanMutating() {
    McpToolSet tools = McpToolSet.of(syncClient());

    assertThat(tools.tools())
        .extracting(ToolDescriptor::effect)
        .containsExactly(Effect.READ_ONLY, Effect.MUTATING, Effect.IDEMPOTENT, Effect.DESTRUCTIVE);
  }

  @Test
  void resultsAreStructuredContentOrText() throws Exception {
    McpToolSet tools = McpToolSet.of(syncClient());

    assertThat(call(tools, "population", args("city", "Paris")))
        .isEqualTo(Json.parse("{\"city\":\"Paris\",\"people\":2100000}", "x"));
    // Called by the server's own name; a text holding a JSON object is that object.
    assertThat(call(tools, "weather_today", args("city", "Rome")))
        .isEqualTo(Json.parse("{\"city\":\"Rome\",\"sky\":\"clear\"}", "x"));
    // Other text stays text, even when it looks like a number.
    assertThat(call(tools, "count", Json.object())).isEqualTo(Json.NODES.textNode("42"));
  }

  @Test
  void aToolErrorFailsTheCallWithTheServersText() {
    McpToolSet tools = McpToolSet.of(syncClient());

    assertThatThrownBy(() -> call(tools, "population", args("city", "Atlantis")))
        .isInstanceOf(McpToolException.class)
        .hasMessage("no data for Atlantis")
        .satisfies(e -> assertThat(((McpToolException) e).tool()).isEqualTo("population"));
    assertThatThrownBy(() -> tools.invoke("nope", Json.object()))
        .isInstanceOf(ToolArgumentException.class)
        .hasMessageStartingWith(
            "Unknown tool 'nope'. The tools here are: population, slow, weather_today, count");
  }

  @Test
  void callsOfTheSyncClientFromTwoThreadsAreInFlightAtOnce() throws Exception {
    McpToolSet tools = McpToolSet.of(syncClient());
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      // The server answers each only once both are in flight (or with a tool error after its
      // barrier's timeout).
      Future<JsonNode> a = threads.submit(() -> call(tools, "slow", args("id", "a")));
      Future<JsonNode> b = threads.submit(() -> call(tools, "slow", args("id", "b")));

      assertThat(a.get(WAIT_SECONDS, TimeUnit.SECONDS).textValue()).isEqualTo("slow a done");
      assertThat(b.get(WAIT_SECONDS, TimeUnit.SECONDS).textValue()).isEqualTo("slow b done");
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void callsOfTheAsyncClientAreInFlightAtOnceWithoutHoldingAThread() throws Exception {
    McpToolSet tools = McpToolSet.of(asyncClient());
    assertThat(descriptor(tools, "slow").async()).isTrue();

    // Both started from this one thread: neither call blocks it.
    CompletableFuture<JsonNode> a = tools.invoke("slow", args("id", "a")).toCompletableFuture();
    CompletableFuture<JsonNode> b = tools.invoke("slow", args("id", "b")).toCompletableFuture();

    assertThat(a.get(WAIT_SECONDS, TimeUnit.SECONDS).textValue()).isEqualTo("slow a done");
    assertThat(b.get(WAIT_SECONDS, TimeUnit.SECONDS).textValue()).isEqualTo("slow b done");
  }

  private static JsonNode call(McpToolSet tools, String tool, ObjectNode arguments)
      throws Exception {
    try {
      return tools
          .invoke(tool, arguments)
          .toCompletableFuture()
          .get(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException | CompletionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }
}
