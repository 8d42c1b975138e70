package dev.llmcompiler.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmcompiler.openai.OpenAiLlm;
import dev.llmcompiler.runtime.LlmCompiler;
import dev.llmcompiler.runtime.RunOutcome;
import dev.llmcompiler.runtime.RunResult;
import dev.llmcompiler.runtime.TaskStatus;
import dev.llmcompiler.runtime.TaskTrace;
import dev.llmcompiler.runtime.internal.Json;
import dev.llmcompiler.testkit.ScriptedOpenAiServer;
import dev.llmcompiler.testkit.ScriptedResponse;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A whole run planned over an SDK-built MCP server's tools: the real OpenAI client streams a plan
 * from the scripted server on loopback, the runtime calls the MCP tools in parallel through {@link
 * McpToolSet}, and the joiner answers.
 */
class LlmCompilerOverMcpTest {

  @Test
  void plansOverAnMcpServersToolsAndRunsTheirCallsInParallel() throws Exception {
    String plan =
        "Thought: The two slow lookups do not depend on each other.\n"
            + "1. slow(id=\"a\")\n"
            + "2. slow(id=\"b\")\n"
            + "3. population(city=\"Paris\")\n"
            + "4. population(city=5)\n"
            + "5. join()<END_OF_PLAN>";
    try (SdkServer mcp = SdkServer.http();
        ScriptedOpenAiServer openAi = ScriptedOpenAiServer.start();
        OpenAiLlm llm = OpenAiLlm.builder().baseUrl(openAi.baseUrl()).model("scripted").build()) {
      McpSyncClient client =
          McpClient.sync(HttpClientStreamableHttpTransport.builder(mcp.baseUri()).build())
              .requestTimeout(Duration.ofSeconds(60))
              .build();
      try (LlmCompiler compiler =
          LlmCompiler.builder()
              .llm(llm)
              .tools(McpToolSet.of(client))
              .runDeadline(Duration.ofSeconds(90))
              .build()) {
        openAi.enqueue(
            ScriptedResponse.stream(plan).usage(800, 60),
            ScriptedResponse.stream(
                    "Thought: Both slow lookups finished.\n",
                    "Action: Finish(Paris has 2,100,000 people; slow a and b are done.)")
                .usage(400, 20));

        RunResult result = compiler.run("How many people live in Paris?");

        assertThat(result.outcome()).isEqualTo(RunOutcome.FINISHED);
        assertThat(result.answer()).isEqualTo("Paris has 2,100,000 people; slow a and b are done.");
        List<TaskTrace> tasks = result.trace().tasks();
        assertThat(tasks).extracting(TaskTrace::id).containsExactly(1, 2, 3, 4);
        // Each slow call is answered only once the other is in flight too: both finishing proves
        // they overlapped.
        assertThat(tasks.get(0).result()).hasValue(Json.NODES.textNode("slow a done"));
        assertThat(tasks.get(1).result()).hasValue(Json.NODES.textNode("slow b done"));
        assertThat(tasks.get(2).status()).isEqualTo(TaskStatus.OK);
        assertThat(tasks.get(2).result())
            .hasValue(Json.parse("{\"city\":\"Paris\",\"people\":2100000}", "x"));
        // The plan parser checked the call against the server's inputSchema: it never reached the
        // server.
        assertThat(tasks.get(3).status()).isEqualTo(TaskStatus.ERROR);
        assertThat(tasks.get(3).error())
            .hasValue(
                "argument 'city' of population must be a string, but got 5 (a number)."
                    + " Call it as population(city: string) -> {city: string, people: integer}.");
        assertThat(mcp.populationCalls).hasValue(1);

        String plannerPrompt = openAi.requests().get(0).messages().get(0).content();
        assertThat(plannerPrompt)
            .contains("population(city: string) -> {city: string, people: integer}")
            .contains("How many people live in a city.")
            .contains("slow(id: string) -> any");
        assertThat(openAi.requests().get(1).lastUserMessage())
            .contains("slow a done")
            .contains("2100000");
      } finally {
        client.closeGracefully();
      }
    }
  }
}
