package dev.llmcompiler.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessage;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
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
 * Native parallel function calling, the way a careful user writes it over openai-java: each model
 * turn may return several {@code tool_calls}; they run concurrently, their results go back as
 * {@code tool} messages, and the loop repeats until the model answers in text.
 */
final class NativeFunctionCallingSystem implements SystemUnderTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_TURNS = 10;

  private final SimulatedLlm server;
  private final BenchTools tools;
  private final ToolSet toolSet;
  private final OpenAIClient client;
  private final ExecutorService pool =
      Executors.newCachedThreadPool(
          r -> {
            Thread thread = new Thread(r, "native-fc-tool");
            thread.setDaemon(true);
            return thread;
          });
  private final List<FunctionDefinition> functions = new ArrayList<>();

  NativeFunctionCallingSystem(SimulatedLlm server, BenchTools tools) {
    this.server = server;
    this.tools = tools;
    this.toolSet = BenchToolsTools.of(tools);
    this.client =
        OpenAIOkHttpClient.builder()
            .baseUrl(server.baseUrl())
            .apiKey("sk-benchmark")
            .maxRetries(0)
            .build();
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

  @Override
  public String name() {
    return "Native FC (openai-java loop)";
  }

  @Override
  public Measurement run(Workload workload, int repeat) throws Exception {
    int before = server.requestCount();
    long toolCallsBefore = tools.calls();
    long start = System.nanoTime();
    ChatCompletionCreateParams.Builder params =
        ChatCompletionCreateParams.builder()
            .model("gpt-3.5-turbo")
            .addUserMessage(workload.question());
    functions.forEach(params::addFunctionTool);
    long prompt = 0;
    long completion = 0;
    String answer = null;
    for (int turn = 0; turn < MAX_TURNS && answer == null; turn++) {
      ChatCompletion response = client.chat().completions().create(params.build());
      if (response.usage().isPresent()) {
        prompt += response.usage().get().promptTokens();
        completion += response.usage().get().completionTokens();
      }
      ChatCompletionMessage message = response.choices().get(0).message();
      List<ChatCompletionMessageToolCall> calls = message.toolCalls().orElse(List.of());
      if (calls.isEmpty()) {
        answer = message.content().orElse("");
        break;
      }
      params.addMessage(message);
      List<CompletableFuture<String>> results = new ArrayList<>();
      for (ChatCompletionMessageToolCall call : calls) {
        ChatCompletionMessageFunctionToolCall function = call.asFunction();
        results.add(
            CompletableFuture.supplyAsync(
                () -> invoke(function.function().name(), function.function().arguments()), pool));
      }
      for (int i = 0; i < calls.size(); i++) {
        params.addMessage(
            ChatCompletionToolMessageParam.builder()
                .toolCallId(calls.get(i).asFunction().id())
                .content(results.get(i).get())
                .build());
      }
    }
    double wallMs = (System.nanoTime() - start) / 1e6;
    long toolCalls = tools.calls() - toolCallsBefore;
    boolean correct = workload.answer().equals(answer) && toolCalls == workload.taskCount();
    int calls = server.requestCount() - before;
    // Non-streaming turns: the answer arrives in one piece, at the end.
    return new Measurement(
        name(),
        workload.name(),
        repeat,
        wallMs,
        wallMs,
        Double.NaN,
        prompt,
        server.cachedTokens(before, before + calls),
        completion,
        calls,
        correct,
        correct ? "" : "answer=" + answer + ", toolCalls=" + toolCalls);
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
