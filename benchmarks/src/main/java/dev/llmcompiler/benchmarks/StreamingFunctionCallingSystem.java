package dev.llmcompiler.benchmarks;

import com.openai.core.http.StreamResponse;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessage;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import com.openai.models.completions.CompletionUsage;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The strongest form of native parallel function calling: a streaming loop over openai-java that
 * starts each tool call the moment its arguments are complete in the stream, while the model is
 * still writing the next calls (LangChain4j's streaming path does the same). Each turn's calls run
 * concurrently; their results go back as {@code tool} messages, and the loop repeats until the
 * model answers in text, which streams.
 */
final class StreamingFunctionCallingSystem implements SystemUnderTest {
  private static final int MAX_TURNS = 10;

  private final SimulatedLlm server;
  private final BenchTools tools;
  private final FunctionCallingClient client;

  StreamingFunctionCallingSystem(SimulatedLlm server, BenchTools tools) {
    this.server = server;
    this.tools = tools;
    this.client = new FunctionCallingClient(server, tools, "native-fc-streaming-tool");
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
        client
            .request(workload.question())
            .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build());
    long prompt = 0;
    long completion = 0;
    long firstAnswerNanos = -1;
    String answer = null;
    for (int turn = 0; turn < MAX_TURNS && answer == null; turn++) {
      ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
      List<PendingCall> calls = new ArrayList<>();
      long turnFirstText = -1;
      try (StreamResponse<ChatCompletionChunk> stream =
          client.openAi().chat().completions().createStreaming(params.build())) {
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
                call.result = client.start(call.name.toString(), call.arguments.toString());
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
          call.result = client.start(call.name.toString(), call.arguments.toString());
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
    double firstAnswerMs = firstAnswerNanos < 0 ? wallMs : (firstAnswerNanos - start) / 1e6;
    return Measurement.ofPeer(
        name(),
        workload,
        repeat,
        wallMs,
        firstAnswerMs,
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
