package dev.llmcompiler.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.llmcompiler.runtime.ToolDescriptor;
import dev.llmcompiler.runtime.ToolSet;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * What both native function-calling loops share: an openai-java client on the simulated LLM, the
 * benchmark's tools as function definitions, and a pool that runs a turn's tool calls concurrently,
 * each with its result as the text a {@code tool} message carries.
 */
final class FunctionCallingClient implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final OpenAIClient client;
  private final ToolSet toolSet;
  private final List<FunctionDefinition> functions = new ArrayList<>();
  private final ExecutorService pool;

  FunctionCallingClient(SimulatedLlm server, BenchTools tools, String threadName) {
    this.client =
        OpenAIOkHttpClient.builder()
            .baseUrl(server.baseUrl())
            .apiKey("sk-benchmark")
            .maxRetries(0)
            .build();
    this.toolSet = BenchToolsTools.of(tools);
    this.pool =
        Executors.newCachedThreadPool(
            r -> {
              Thread thread = new Thread(r, threadName);
              thread.setDaemon(true);
              return thread;
            });
    for (ToolDescriptor tool : toolSet.tools()) {
      FunctionParameters.Builder parameters = FunctionParameters.builder();
      for (Iterator<Map.Entry<String, JsonNode>> it = tool.parameters().fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        parameters.putAdditionalProperty(field.getKey(), JsonValue.fromJsonNode(field.getValue()));
      }
      functions.add(
          FunctionDefinition.builder()
              .name(tool.name())
              .description(tool.description())
              .parameters(parameters.build())
              .build());
    }
  }

  OpenAIClient openAi() {
    return client;
  }

  /** A request for the question with every tool offered, for a loop to add its turns to. */
  ChatCompletionCreateParams.Builder request(String question) {
    ChatCompletionCreateParams.Builder params =
        ChatCompletionCreateParams.builder().model("gpt-3.5-turbo").addUserMessage(question);
    functions.forEach(params::addFunctionTool);
    return params;
  }

  /**
   * Starts one tool call on the pool; its result is the tool's text, or the error as text (which
   * goes back to the model like a result, as such loops do).
   */
  CompletableFuture<String> start(String tool, String arguments) {
    return CompletableFuture.supplyAsync(() -> invoke(tool, arguments), pool);
  }

  private String invoke(String tool, String arguments) {
    try {
      JsonNode result =
          toolSet.invoke(tool, (ObjectNode) JSON.readTree(arguments)).toCompletableFuture().get();
      return result.isTextual() ? result.asText() : result.toString();
    } catch (Exception e) {
      return "error: " + e;
    }
  }

  @Override
  public void close() {
    pool.shutdownNow();
    client.close();
  }
}
