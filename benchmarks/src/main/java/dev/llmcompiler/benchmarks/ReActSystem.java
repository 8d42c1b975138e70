package dev.llmcompiler.benchmarks;

import dev.llmcompiler.openai.OpenAiLlm;
import dev.llmcompiler.runtime.ReActAgent;
import dev.llmcompiler.runtime.RunResult;
import dev.llmcompiler.runtime.TaskStatus;

/** The sequential baseline: the runtime's {@link ReActAgent}, one tool call per LLM turn. */
final class ReActSystem implements SystemUnderTest {
  private final OpenAiLlm openAi;
  private final RecordingLlm recorder;
  private final ReActAgent agent;
  private final SimulatedLlm server;

  ReActSystem(SimulatedLlm server, BenchTools tools) {
    this.server = server;
    this.openAi =
        OpenAiLlm.builder().baseUrl(server.baseUrl()).model("gpt-3.5-turbo").maxRetries(0).build();
    this.recorder = new RecordingLlm(openAi);
    this.agent =
        ReActAgent.builder().llm(recorder).tools(BenchToolsTools.of(tools)).maxSteps(20).build();
  }

  @Override
  public String name() {
    return "ReAct";
  }

  @Override
  public Measurement run(Workload workload, int repeat) {
    recorder.reset();
    int before = server.requestCount();
    long start = System.nanoTime();
    RunResult result = agent.run(workload.question());
    double wallMs = (System.nanoTime() - start) / 1e6;
    boolean allOk = result.trace().tasks().stream().allMatch(t -> t.status() == TaskStatus.OK);
    boolean correct =
        result.answer().equals(workload.answer())
            && allOk
            && result.trace().tasks().size() == workload.taskCount();
    int calls = server.requestCount() - before;
    // The last step streams "Finish(answer)"; its first token after "Finish(" is the answer's.
    double firstAnswer = recorder.firstAnswerMs(start, "Finish(", wallMs);
    return new Measurement(
        name(),
        workload.name(),
        repeat,
        wallMs,
        firstAnswer,
        Double.NaN,
        result.usage().promptTokens(),
        server.cachedTokens(before, before + calls),
        result.usage().completionTokens(),
        calls,
        correct,
        correct ? "" : "answer=" + result.answer() + ", steps=" + result.trace().tasks().size());
  }

  @Override
  public void close() {
    agent.close();
    openAi.close();
  }
}
