package dev.llmcompiler.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessage;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import com.openai.models.completions.CompletionUsage;
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
 * The strongest form of native parallel function calling: a streaming loop over openai-java that
 * starts each tool call the moment its arguments are complete in the stream, while the model is
 * still writing the next calls (LangChain4j's streaming path does the same). Each turn's calls run
 * concurrently; their results go back as {@code tool} messages, and the loop repeats until the
 * model answers in text, which streams.
 */
final class StreamingFunctionCallingSystem implements SystemUnderTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_TURNS = 10;

  private final SimulatedLlm server;
  private final BenchTools tools;
  private final ToolSet toolSet;
  private final OpenAIClient client;
  private final ExecutorService pool =
      Executors.newCachedThreadPool(
          r -> {
            Thread thread = new Thread(r, "native-fc-streaming-tool");
            thread.setDaemon(true);
            return thread;
          });
  private final List<FunctionDefinition> functions = new ArrayList<>();

  StreamingFunctionCallingSystem(SimulatedLlm server, BenchTools tools) {
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
    return SideBySide.NATIVE_STREAMING;
  }

  @Override
  public Measurement run(Workload workload, int repeat) throws Exception {
    int before = server.requestCount();
    long toolCallsBefore = tools.calls();
    long start = System.nanoTime();
    ChatCompletionCreateParams.Builder params =
        ChatCompletionCreateParams.builder()
            .model("gpt-3.5-turbo")
            .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
            .addUserMessage(workload.question());
    functions.forEach(params::addFunctionTool);
    long prompt = 0;
    long completion = 0;
    long firstAnswerNanos = -1;
    String answer = null;
    for (int turn = 0; turn < MAX_TURNS && answer == null; turn++) {
      ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
      List<PendingCall> calls = new ArrayList<>();
      long turnFirstText = -1;
      try (StreamResponse<ChatCompletionChunk> stream =
          client.chat().completions().createStreaming(params.build())) {
        for (Iterator<ChatCompletionChunk> chunks = stream.stream().iterator();
            chunks.hasNext(); ) {
          ChatCompletionChunk chunk = accumulator.accumulate(chunks.next());
          long now = System.nanoTime();
          for (ChatCompletionChunk.Choice choice : chunk.choices()) {
            if (turnFirstText < 0
                && choice.delta().content().filter(text -> !text.isEmpty()).isPresent()) {
              turnFirstText = now;
            }
            for (ChatCompletionChunk.Choice.Delta.ToolCall delta :
                choice.delta().toolCalls().orElse(List.of())) {
              int index = (int) delta.index();
              while (calls.size() <= index) {
                calls.add(new PendingCall());
              }
              PendingCall call = calls.get(index);
              delta
                  .function()
                  .flatMap(ChatCompletionChunk.Choice.Delta.ToolCall.Function::name)
                  .ifPresent(call.name::append);
              delta
                  .function()
                  .flatMap(ChatCompletionChunk.Choice.Delta.ToolCall.Function::arguments)
                  .ifPresent(call::arguments);
              if (call.result == null && call.argumentsComplete()) {
                // Its arguments are complete: start it now, while the model writes the next call.
                String name = call.name.toString();
                String arguments = call.arguments.toString();
                call.result = CompletableFuture.supplyAsync(() -> invoke(name, arguments), pool);
              }
            }
          }
          if (chunk.usage().isPresent()) {
            CompletionUsage usage = chunk.usage().get();
            prompt += usage.promptTokens();
            completion += usage.completionTokens();
          }
        }
      }
      ChatCompletionMessage message = accumulator.chatCompletion().choices().get(0).message();
      if (calls.isEmpty()) {
        answer = message.content().orElse("");
        firstAnswerNanos = turnFirstText;
        break;
      }
      params.addMessage(message);
      for (int i = 0; i < calls.size(); i++) {
        PendingCall call = calls.get(i);
        if (call.result == null) {
          // Arguments that never closed as a JSON object: the tool sees what came, and its error
          // goes back.
          String name = call.name.toString();
          String arguments = call.arguments.toString();
          call.result = CompletableFuture.supplyAsync(() -> invoke(name, arguments), pool);
        }
        params.addMessage(
            ChatCompletionToolMessageParam.builder()
                .toolCallId(message.toolCalls().orElseThrow().get(i).asFunction().id())
                .content(call.result.get())
                .build());
      }
    }
    double wallMs = (System.nanoTime() - start) / 1e6;
    int calls = server.requestCount() - before;
    long toolCalls = tools.calls() - toolCallsBefore;
    boolean correct = workload.answer().equals(answer) && toolCalls == workload.taskCount();
    double firstAnswerMs = firstAnswerNanos < 0 ? wallMs : (firstAnswerNanos - start) / 1e6;
    return new Measurement(
        name(),
        workload.name(),
        repeat,
        wallMs,
        firstAnswerMs,
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

  /**
   * A tool call as its deltas arrive. Its arguments are complete when the JSON object they form has
   * closed, which a scan of the fragments for braces outside strings tells as they arrive.
   */
  private static final class PendingCall {
    final StringBuilder name = new StringBuilder();
    final StringBuilder arguments = new StringBuilder();
    CompletableFuture<String> result;
    private int depth;
    private boolean opened;
    private boolean inString;
    private boolean escaped;

    void arguments(String fragment) {
      arguments.append(fragment);
      for (int i = 0; i < fragment.length(); i++) {
        char c = fragment.charAt(i);
        if (inString) {
          if (escaped) {
            escaped = false;
          } else if (c == '\\') {
            escaped = true;
          } else if (c == '"') {
            inString = false;
          }
        } else if (c == '"') {
          inString = true;
        } else if (c == '{' || c == '[') {
          depth++;
          opened = true;
        } else if (c == '}' || c == ']') {
          depth--;
        }
      }
    }

    boolean argumentsComplete() {
      return opened && depth == 0 && name.length() > 0;
    }
  }
}
