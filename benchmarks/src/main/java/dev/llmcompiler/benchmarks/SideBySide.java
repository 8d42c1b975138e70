package dev.llmcompiler.benchmarks;

import dev.llmcompiler.runtime.PlanFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The paper-shaped workloads on every system, in the same run against the same simulated LLM and
 * tools. Each repeat runs every workload on every system, rotating the systems' order so that none
 * is always first.
 */
final class SideBySide {
  static final String STREAMING = "LLMCompiler (streaming)";
  static final String BUFFERED = "LLMCompiler (plan buffered)";
  static final String JSON = "LLMCompiler (JSON plan)";
  static final String REACT = "ReAct";
  static final String NATIVE = "Native FC (openai-java loop)";
  static final String NATIVE_STREAMING = "Native FC (streaming, early dispatch)";
  static final String LANGCHAIN4J = "LangChain4j (concurrent tools)";

  /**
   * LLMCompiler (streaming) with {@code directAnswers(false)}: the joiner answers every time. Not
   * in {@link #SYSTEMS}; run on its own to show what direct answers buy and trade.
   */
  static final String JOINER_ALWAYS = "LLMCompiler (streaming, joiner always)";

  static final List<String> SYSTEMS =
      List.of(STREAMING, BUFFERED, JSON, REACT, NATIVE, NATIVE_STREAMING, LANGCHAIN4J);

  /** The function-calling peers, the ones LLMCompiler's targets compare against. */
  static final List<String> PEERS = List.of(NATIVE, NATIVE_STREAMING, LANGCHAIN4J);

  /**
   * The measurements and what the report needs besides.
   *
   * @param workloads the workloads in order
   * @param runs every measured run
   * @param warmUps the discarded warm-up runs
   * @param plannerPromptTokens the planner's system prompt size in tokens
   * @param plannerPromptChars the planner's system prompt size in characters
   * @param joinerPromptTokens the joiner's system prompt size in tokens
   * @param toolDefinitionTokens the size in tokens of the tool definitions a native
   *     function-calling request carries (0 if no such request was made)
   * @param jsonPlannerPromptTokens the JSON plan mode's planner system prompt size in tokens (0 if
   *     that system did not run)
   * @param planSchemaTokens the size in tokens of the JSON plan's schema, sent with each planner
   *     request in JSON mode
   * @param unmatchedRequests requests the simulated LLM had no script for
   * @param requests requests the simulated LLM received, warm-ups included
   * @param cachedRequests of those, the ones with part of their prompt served from its prompt cache
   * @param longestPrompt the most prompt tokens of any one request
   * @param latency the latency model used
   * @param toolMeanMs the tools' mean latency
   */
  record Result(
      List<Workload> workloads,
      List<Measurement> runs,
      List<Measurement> warmUps,
      int plannerPromptTokens,
      int plannerPromptChars,
      int joinerPromptTokens,
      int toolDefinitionTokens,
      int jsonPlannerPromptTokens,
      int planSchemaTokens,
      int unmatchedRequests,
      int requests,
      int cachedRequests,
      int longestPrompt,
      LatencyModel latency,
      double toolMeanMs) {}

  static final double TOOL_MEAN_MS = 600;

  private SideBySide() {}

  static Result run(BenchmarkMain.Options options, Consumer<String> log) throws Exception {
    return run(
        options, LatencyModel.GPT_35_TURBO, Workload.all(), SYSTEMS, options.repeats(), "", log);
  }

  /**
   * Runs {@code workloads} on the named systems under {@code model} (scaled by the options' time
   * scale), {@code repeats} times after one warm-up run per system.
   */
  static Result run(
      BenchmarkMain.Options options,
      LatencyModel model,
      List<Workload> workloads,
      List<String> systemNames,
      int repeats,
      String label,
      Consumer<String> log)
      throws Exception {
    LatencyModel latency = model.withTimeScale(options.timeScale());
    Tokens tokens = Tokens.named(options.tokenizer());
    BenchTools tools =
        new BenchTools(new ToolLatency(options.seed(), TOOL_MEAN_MS, options.timeScale()));
    List<Measurement> runs = new ArrayList<>();
    List<Measurement> warmUps = new ArrayList<>();
    try (SimulatedLlm server = new SimulatedLlm(latency, tokens, options.seed(), workloads)) {
      CompilerSystem streaming = new CompilerSystem(STREAMING, true, server, tools);
      CompilerSystem json = new CompilerSystem(JSON, true, PlanFormat.JSON, true, server, tools);
      List<SystemUnderTest> all =
          List.of(
              streaming,
              new CompilerSystem(BUFFERED, false, server, tools),
              json,
              new ReActSystem(server, tools),
              new NativeFunctionCallingSystem(server, tools),
              new StreamingFunctionCallingSystem(server, tools),
              new LangChain4jSystem(server, tools),
              new CompilerSystem(JOINER_ALWAYS, true, PlanFormat.TEXT, false, server, tools));
      List<SystemUnderTest> systems = new ArrayList<>();
      all.forEach(
          system -> {
            if (systemNames.contains(system.name())) {
              systems.add(system);
            }
          });
      try {
        // Warm-up: the first call of each client pays seconds of class loading and reflection.
        server.repeat(-1);
        for (SystemUnderTest system : systems) {
          Measurement m = system.run(workloads.get(0), -1);
          warmUps.add(m);
          log.accept(
              String.format(
                  Locale.ROOT,
                  "%swarm-up %-38s %7.0f ms%s",
                  label,
                  system.name(),
                  m.wallMs(),
                  m.correct() ? "" : "  WRONG: " + m.note()));
        }
        for (int repeat = 0; repeat < repeats; repeat++) {
          server.repeat(repeat);
          for (Workload workload : workloads) {
            for (int s = 0; s < systems.size(); s++) {
              SystemUnderTest system = systems.get((s + repeat) % systems.size());
              Measurement m = system.run(workload, repeat);
              runs.add(m);
              log.accept(
                  String.format(
                      Locale.ROOT,
                      "%srepeat %d %-10s %-38s %7.0f ms%s%s",
                      label,
                      repeat + 1,
                      workload.name(),
                      system.name(),
                      m.wallMs(),
                      Double.isNaN(m.floorMs())
                          ? ""
                          : String.format(
                              Locale.ROOT,
                              " (floor %.0f ms, x%.3f)",
                              m.floorMs(),
                              m.wallMs() / m.floorMs()),
                      m.correct() ? "" : "  WRONG: " + m.note()));
            }
          }
        }
      } finally {
        all.forEach(SystemUnderTest::close);
      }
      String prompt = streaming.plannerPrompt();
      boolean jsonRan = systemNames.contains(JSON);
      return new Result(
          workloads,
          runs,
          warmUps,
          tokens.count(prompt),
          prompt.length(),
          tokens.count(streaming.joinerPrompt()),
          server.toolDefinitionTokens(),
          jsonRan ? tokens.count(json.plannerPrompt()) : 0,
          jsonRan ? tokens.count(json.planSchema()) : 0,
          server.unmatched(),
          server.requestCount(),
          server.cachedRequests(),
          server.longestPrompt(),
          latency,
          TOOL_MEAN_MS);
    }
  }
}
