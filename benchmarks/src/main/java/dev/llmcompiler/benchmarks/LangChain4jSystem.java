package dev.llmcompiler.benchmarks;

import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.Result;
import java.time.Duration;

/**
 * The peer a Java developer would pick today: a LangChain4j AI Service over its OpenAI model, with
 * concurrent execution of the tool calls of one model turn enabled.
 */
final class LangChain4jSystem implements SystemUnderTest {
  /** The AI Service: the question in, the answer with its token usage out. */
  interface Assistant {
    Result<String> answer(String question);
  }

  private final SimulatedLlm server;
  private final BenchTools tools;
  private final Assistant assistant;

  LangChain4jSystem(SimulatedLlm server, BenchTools tools) {
    this.server = server;
    this.tools = tools;
    OpenAiChatModel model =
        OpenAiChatModel.builder()
            .baseUrl(server.baseUrl())
            .apiKey("sk-benchmark")
            .modelName("gpt-3.5-turbo")
            .maxRetries(0)
            .timeout(Duration.ofSeconds(60))
            .build();
    this.assistant =
        AiServices.builder(Assistant.class)
            .chatModel(model)
            .tools(new LangChain4jTools(tools))
            .executeToolsConcurrently()
            .build();
  }

  @Override
  public String name() {
    return "LangChain4j (concurrent tools)";
  }

  @Override
  public Measurement run(Workload workload, int repeat) {
    int before = server.requestCount();
    long toolCallsBefore = tools.calls();
    long start = System.nanoTime();
    Result<String> result = assistant.answer(workload.question());
    double wallMs = (System.nanoTime() - start) / 1e6;
    long toolCalls = tools.calls() - toolCallsBefore;
    long prompt =
        result.tokenUsage() == null || result.tokenUsage().inputTokenCount() == null
            ? 0
            : result.tokenUsage().inputTokenCount();
    long completion =
        result.tokenUsage() == null || result.tokenUsage().outputTokenCount() == null
            ? 0
            : result.tokenUsage().outputTokenCount();
    int calls = server.requestCount() - before;
    // A non-streaming chat model: the answer arrives in one piece, at the end.
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
        result.content(),
        toolCalls);
  }

  @Override
  public void close() {}
}
