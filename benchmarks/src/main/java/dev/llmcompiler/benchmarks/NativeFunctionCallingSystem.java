package dev.llmcompiler.benchmarks;

import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessage;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Native parallel function calling, the way a careful user writes it over openai-java: each model
 * turn may return several {@code tool_calls}; they run concurrently, their results go back as
 * {@code tool} messages, and the loop repeats until the model answers in text.
 */
final class NativeFunctionCallingSystem implements SystemUnderTest {
  private static final int MAX_TURNS = 10;

  private final SimulatedLlm server;
  private final BenchTools tools;
  private final FunctionCallingClient client;

  NativeFunctionCallingSystem(SimulatedLlm server, BenchTools tools) {
    this.server = server;
    this.tools = tools;
    this.client = new FunctionCallingClient(server, tools, "native-fc-tool");
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
    ChatCompletionCreateParams.Builder params = client.request(workload.question());
    long prompt = 0;
    long completion = 0;
    String answer = null;
    for (int turn = 0; turn < MAX_TURNS && answer == null; turn++) {
      ChatCompletion response = client.openAi().chat().completions().create(params.build());
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
        results.add(client.start(function.function().name(), function.function().arguments()));
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
    int calls = server.requestCount() - before;
    // Non-streaming turns: the answer arrives in one piece, at the end.
    return Measurement.ofPeer(
        name(),
        workload,
        repeat,
        wallMs,
        wallMs,
        prompt,
        server.cachedTokens(before, before + calls),
        completion,
        calls,
        answer,
        toolCalls);
  }

  @Override
  public void close() {
    client.close();
  }
}
