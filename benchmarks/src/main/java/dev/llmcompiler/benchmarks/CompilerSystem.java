package dev.llmcompiler.benchmarks;

import dev.llmcompiler.openai.OpenAiLlm;
import dev.llmcompiler.runtime.LlmCompiler;
import dev.llmcompiler.runtime.PlanFormat;
import dev.llmcompiler.runtime.RoundTrace;
import dev.llmcompiler.runtime.RunListener;
import dev.llmcompiler.runtime.RunResult;
import dev.llmcompiler.runtime.TaskStatus;
import dev.llmcompiler.runtime.TaskTrace;
import dev.llmcompiler.runtime.internal.plan.PlanSchema;
import dev.llmcompiler.runtime.llm.LlmClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * LLMCompiler over the real {@link OpenAiLlm} client, streaming (tasks dispatched as their lines
 * arrive) or buffered ({@link BufferedLlm}: the plan is parsed only after its last token), with a
 * text or a JSON plan, with direct answers or a joiner call every time. Every run also yields its
 * {@link CriticalPath} floor from the wire timings {@link RecordingLlm} saw, and the time to its
 * first answer token as the caller sees it: the first {@link RunListener#onAnswerDelta}.
 */
final class CompilerSystem implements SystemUnderTest {
  private final String name;
  private final OpenAiLlm openAi;
  private final RecordingLlm recorder;
  private final LlmCompiler compiler;
  private final SimulatedLlm server;
  private final BenchToolsTools toolSet;
  private final AnswerClock answerClock = new AnswerClock();

  CompilerSystem(String name, boolean streaming, SimulatedLlm server, BenchTools tools) {
    this(name, streaming, PlanFormat.TEXT, true, server, tools);
  }

  CompilerSystem(
      String name,
      boolean streaming,
      PlanFormat format,
      boolean directAnswers,
      SimulatedLlm server,
      BenchTools tools) {
    this.name = name;
    this.server = server;
    this.openAi =
        OpenAiLlm.builder().baseUrl(server.baseUrl()).model("gpt-3.5-turbo").maxRetries(0).build();
    this.recorder = new RecordingLlm(openAi);
    LlmClient llm = streaming ? recorder : new BufferedLlm(recorder);
    this.toolSet = BenchToolsTools.of(tools);
    this.compiler =
        LlmCompiler.builder()
            .llm(llm)
            .tools(toolSet)
            .planFormat(format)
            .directAnswers(directAnswers)
            .listener(answerClock)
            .build();
  }

  /**
   * When the first piece of each run's answer reached the listener, and when the run's last event
   * did: one run at a time.
   */
  private static final class AnswerClock implements RunListener {
    private volatile long firstAnswerNanos = -1;
    private volatile CountDownLatch ended = new CountDownLatch(1);

    void reset() {
      firstAnswerNanos = -1;
      ended = new CountDownLatch(1);
    }

    @Override
    public void onAnswerDelta(int round, String delta) {
      if (firstAnswerNanos < 0) {
        firstAnswerNanos = System.nanoTime();
      }
    }

    @Override
    public void onRunEnded(RunResult result) {
      ended.countDown();
    }

    /** The first answer token's time, once the run's events are all delivered; -1 if none came. */
    long firstAnswerNanos() {
      try {
        if (!ended.await(30, TimeUnit.SECONDS)) {
          throw new IllegalStateException("the run's listener was not told that it ended");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
      return firstAnswerNanos;
    }
  }

  @Override
  public String name() {
    return name;
  }

  /** The planner's system prompt, for its size. */
  String plannerPrompt() {
    return compiler.plannerSystemPrompt();
  }

  /** The joiner's system prompt, for its size. */
  String joinerPrompt() {
    return compiler.joinerSystemPrompt();
  }

  /** The JSON plan schema of this tool set, as JSON plan mode sends it, for its size. */
  String planSchema() {
    return PlanSchema.of(toolSet.tools()).toString();
  }

  @Override
  public Measurement run(Workload workload, int repeat) {
    recorder.reset();
    answerClock.reset();
    int before = server.requestCount();
    long start = System.nanoTime();
    RunResult result = compiler.run(workload.question());
    double wallMs = (System.nanoTime() - start) / 1e6;
    int calls = server.requestCount() - before;
    List<TaskTrace> tasks = result.trace().tasks();
    boolean allOk = tasks.stream().allMatch(t -> t.status() == TaskStatus.OK);
    boolean correct =
        result.answer().equals(workload.answer()) && allOk && tasks.size() == workload.taskCount();
    String note =
        correct ? "" : "answer=" + result.answer() + ", tasks=" + tasks.size() + ", allOk=" + allOk;
    double floor;
    try {
      floor = floor(result, recorder.calls());
    } catch (RuntimeException e) {
      floor = Double.NaN;
      note = note + " floor: " + e.getMessage();
      correct = false;
    }
    long firstAnswerNanos = answerClock.firstAnswerNanos();
    double firstAnswer = firstAnswerNanos < 0 ? wallMs : (firstAnswerNanos - start) / 1e6;
    return new Measurement(
        name,
        workload.name(),
        repeat,
        wallMs,
        firstAnswer,
        floor,
        result.usage().promptTokens(),
        server.cachedTokens(before, before + calls),
        result.usage().completionTokens(),
        calls,
        correct,
        note);
  }

  /** The floor of one run from its trace (tool durations, dependencies) and the recorded calls. */
  static double floor(RunResult result, List<RecordingLlm.Call> calls) {
    List<RecordingLlm.Call> planners = new ArrayList<>();
    List<Double> joinerMs = new ArrayList<>();
    for (RecordingLlm.Call call : calls) {
      if (call.purpose.equals("planner")) {
        planners.add(call);
        joinerMs.add(0.0);
      } else if (!planners.isEmpty()) {
        int round = planners.size() - 1;
        joinerMs.set(round, joinerMs.get(round) + call.durationMs());
      }
    }
    List<RoundTrace> rounds = result.trace().rounds();
    if (rounds.size() != planners.size()) {
      throw new IllegalStateException(
          rounds.size() + " rounds but " + planners.size() + " planner calls");
    }
    List<CriticalPath.Round> bound = new ArrayList<>();
    for (int r = 0; r < rounds.size(); r++) {
      RecordingLlm.Call planner = planners.get(r);
      Map<Integer, Long> lines = planner.lines();
      List<CriticalPath.Task> tasks = new ArrayList<>();
      for (TaskTrace task : rounds.get(r).tasks()) {
        Long arrived = lines.get(task.id());
        if (arrived == null) {
          throw new IllegalStateException("no line arrival recorded for task " + task.id());
        }
        tasks.add(
            new CriticalPath.Task(
                task.id(),
                (arrived - planner.startNanos) / 1e6,
                task.endMs() - task.startMs(),
                task.dependsOn()));
      }
      bound.add(new CriticalPath.Round(planner.durationMs(), tasks, joinerMs.get(r)));
    }
    return CriticalPath.bound(bound);
  }

  @Override
  public void close() {
    compiler.close();
    openAi.close();
  }
}
