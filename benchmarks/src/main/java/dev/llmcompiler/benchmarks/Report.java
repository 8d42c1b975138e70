package dev.llmcompiler.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** Turns the measurements into {@code REPORT.md}, {@code report.json} and {@code chart.svg}. */
final class Report {
  static final String COMMAND = "mvn -B -q -pl benchmarks -am package -DskipTests"
      + " && java -jar benchmarks/target/llmcompiler-benchmarks.jar --out benchmarks";
  /** gpt-3.5-turbo-1106 list prices, USD per million tokens (input, output), for cost ratios. */
  static final double PRICE_IN = 1.0;
  static final double PRICE_OUT = 2.0;
  static final double OVERHEAD_TARGET_US = 20;
  static final double FLOOR_TARGET = 1.05;
  static final double LANGCHAIN4J_TARGET = 1.35;

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final BenchmarkMain.Options options;
  private final String argsLine;
  private final Instant finished;
  private final double totalSeconds;
  private final SideBySide.Result sideBySide;
  private final SideBySide.Result slower;
  private final List<OverheadBenchmark.Result> overhead;
  private final ConcurrencyBenchmark.Result concurrency;
  private final FirstCallBenchmark.Result firstCall;
  private final List<Target> targets = new ArrayList<>();

  /** A target of the issue with the figure it is judged by. */
  record Target(String target, String figure, boolean met) {}

  Report(BenchmarkMain.Options options, String argsLine, Instant finished, double totalSeconds,
      SideBySide.Result sideBySide, SideBySide.Result slower, List<OverheadBenchmark.Result> overhead,
      ConcurrencyBenchmark.Result concurrency, FirstCallBenchmark.Result firstCall) {
    this.options = options;
    this.argsLine = argsLine;
    this.finished = finished;
    this.totalSeconds = totalSeconds;
    this.sideBySide = sideBySide;
    this.slower = slower;
    this.overhead = overhead;
    this.concurrency = concurrency;
    this.firstCall = firstCall;
    judgeTargets();
  }

  // ---- figures

  List<Measurement> runs(String system, String workload) {
    List<Measurement> out = new ArrayList<>();
    for (Measurement m : sideBySide.runs()) {
      if (m.system().equals(system) && m.workload().equals(workload)) {
        out.add(m);
      }
    }
    return out;
  }

  Stats stat(String system, String workload, ToDoubleFunction<Measurement> value) {
    List<Double> values = new ArrayList<>();
    runs(system, workload).forEach(m -> values.add(value.applyAsDouble(m)));
    return Stats.of(values);
  }

  Stats wall(String system, String workload) {
    return stat(system, workload, Measurement::wallMs);
  }

  Stats slowWall(String system, String workload) {
    List<Double> values = new ArrayList<>();
    for (Measurement m : slower.runs()) {
      if (m.system().equals(system) && m.workload().equals(workload)) {
        values.add(m.wallMs());
      }
    }
    return Stats.of(values);
  }

  /** Correct runs of the sensitivity part. */
  long slowerCorrectRuns() {
    return slower.runs().stream().filter(Measurement::correct).count();
  }

  long slowerRuns() {
    return slower.runs().size();
  }

  /** Ratio of medians, with the range of the per-repeat ratios (runs paired by repeat). */
  Stats speedup(String baseline, String system, String workload) {
    List<Measurement> base = runs(baseline, workload);
    List<Measurement> ours = runs(system, workload);
    List<Double> perRepeat = new ArrayList<>();
    for (Measurement b : base) {
      for (Measurement o : ours) {
        if (o.repeat() == b.repeat()) {
          perRepeat.add(b.wallMs() / o.wallMs());
        }
      }
    }
    Stats range = Stats.of(perRepeat);
    double ratio = wall(baseline, workload).median() / wall(system, workload).median();
    return new Stats(ratio, range.min(), range.max(), range.count());
  }

  Stats floorRatio(String system, String workload) {
    return stat(system, workload, m -> m.wallMs() / m.floorMs());
  }

  double cost(Measurement m) {
    return (m.promptTokens() * PRICE_IN + m.completionTokens() * PRICE_OUT) / 1e6;
  }

  long allRuns() {
    return sideBySide.runs().size();
  }

  long correctRuns() {
    return sideBySide.runs().stream().filter(Measurement::correct).count();
  }

  private void judgeTargets() {
    for (Workload w : sideBySide.workloads()) {
      Stats ratio = floorRatio(SideBySide.STREAMING, w.name());
      targets.add(new Target("measured / floor <= " + FLOOR_TARGET + " at the median, " + w.name(),
          fmt(ratio.median(), 3) + " (min " + fmt(ratio.min(), 3) + ", max " + fmt(ratio.max(), 3) + ")",
          ratio.median() <= FLOOR_TARGET));
    }
    for (Workload w : sideBySide.workloads()) {
      if (w.paperSpeedup() > 0) {
        Stats s = speedup(SideBySide.REACT, SideBySide.STREAMING, w.name());
        targets.add(new Target("speedup over ReAct >= paper's " + fmt(w.paperSpeedup(), 2) + "x, " + w.name(),
            fmt(s.median(), 2) + "x", s.median() >= w.paperSpeedup()));
      }
    }
    Stats lc = speedup(SideBySide.LANGCHAIN4J, SideBySide.STREAMING, "Movie");
    targets.add(new Target("ahead of LangChain4j by >= " + LANGCHAIN4J_TARGET + "x on Movie",
        fmt(lc.median(), 2) + "x", lc.median() >= LANGCHAIN4J_TARGET));
    for (String shape : List.of("wide", "deep")) {
      OverheadBenchmark.Result at1k = overheadAt(shape, 1000);
      if (at1k != null) {
        targets.add(new Target("framework overhead <= " + fmt(OVERHEAD_TARGET_US, 0) + " us/task at 1,000 tasks, " + shape,
            fmt(at1k.perTaskMicros().median(), 2) + " us/task", at1k.perTaskMicros().median() <= OVERHEAD_TARGET_US));
      }
      OverheadBenchmark.Result at10k = overheadAt(shape, 10000);
      if (at1k != null && at10k != null) {
        double growth = at10k.perTaskMicros().median() / at1k.perTaskMicros().median();
        targets.add(new Target("linear growth 1,000 -> 10,000 tasks (per-task time within 1.5x), " + shape,
            "per-task time x" + fmt(growth, 2), growth <= 1.5));
      }
    }
    targets.add(new Target(concurrency.runs() + " concurrent runs complete, nothing lost",
        concurrency.completed() + " / " + concurrency.runs() + " complete", concurrency.completed() == concurrency.runs()));
    Stats warmed = firstCall.added(FirstCallBenchmark.WARMED);
    targets.add(new Target("first call after warmUp() within " + fmt(FirstCallBenchmark.TARGET_MS, 0)
        + " ms of a warm call (fresh JVM, median)", "+" + fmt(warmed.median(), 1) + " ms (without warm-up +"
        + fmt(firstCall.added(FirstCallBenchmark.COLD).median(), 0) + " ms)",
        warmed.median() <= FirstCallBenchmark.TARGET_MS));
  }

  OverheadBenchmark.Result overheadAt(String shape, int n) {
    return overhead.stream().filter(r -> r.shape().equals(shape) && r.tasks() == n).findFirst().orElse(null);
  }

  List<Target> targets() {
    return targets;
  }

  // ---- writing

  void write(Path dir) throws IOException {
    Files.writeString(dir.resolve("report.json"), JSON.writeValueAsString(json()) + "\n", StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("chart.svg"), Chart.svg(this), StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("REPORT.md"), markdown(), StandardCharsets.UTF_8);
  }

  SideBySide.Result sideBySide() {
    return sideBySide;
  }

  ObjectNode json() {
    ObjectNode root = JSON.createObjectNode();
    root.put("command", COMMAND);
    root.put("arguments", argsLine);
    root.put("finished", finished.toString());
    root.put("totalSeconds", round(totalSeconds, 1));
    root.set("machine", JSON.valueToTree(machine()));
    ObjectNode settings = root.putObject("settings");
    settings.put("repeats", options.repeats());
    settings.put("timeScale", options.timeScale());
    settings.put("seed", options.seed());
    settings.put("tokenizer", options.tokenizer());
    settings.put("smoke", options.smoke());
    LatencyModel model = sideBySide.latency();
    ObjectNode latency = settings.putObject("latencyModel");
    latency.put("ttftMs", model.ttftMs());
    latency.put("prefillMsPerPromptToken", model.prefillMsPerToken());
    latency.put("decodeMsPerCompletionToken", model.decodeMsPerToken());
    latency.put("jitter", model.jitter());
    settings.put("toolMeanMs", sideBySide.toolMeanMs());
    root.put("plannerPromptTokens", sideBySide.plannerPromptTokens());
    root.put("plannerPromptChars", sideBySide.plannerPromptChars());
    root.put("jsonPlannerPromptTokens", sideBySide.jsonPlannerPromptTokens());
    root.put("planSchemaTokens", sideBySide.planSchemaTokens());
    root.put("unmatchedRequests", sideBySide.unmatchedRequests());
    root.put("runs", allRuns());
    root.put("correctRuns", correctRuns());
    ArrayNode workloads = root.putArray("workloads");
    for (Workload w : sideBySide.workloads()) {
      ObjectNode node = workloads.addObject();
      node.put("name", w.name());
      node.put("shape", w.shape());
      node.put("tasks", w.taskCount());
      node.put("paperSpeedupOverReAct", w.paperSpeedup());
      ObjectNode systems = node.putObject("systems");
      for (String system : SideBySide.SYSTEMS) {
        ObjectNode s = systems.putObject(system);
        s.set("wallMs", stats(wall(system, w.name())));
        s.set("promptTokens", stats(stat(system, w.name(), Measurement::promptTokens)));
        s.set("completionTokens", stats(stat(system, w.name(), Measurement::completionTokens)));
        s.set("llmCalls", stats(stat(system, w.name(), Measurement::llmCalls)));
        s.set("costUsd", stats(stat(system, w.name(), this::cost)));
        if (system.startsWith("LLMCompiler")) {
          s.set("floorMs", stats(stat(system, w.name(), Measurement::floorMs)));
          s.set("measuredOverFloor", stats(floorRatio(system, w.name())));
        }
        s.put("correctRuns", runs(system, w.name()).stream().filter(Measurement::correct).count());
      }
      ObjectNode speedups = node.putObject("speedupOfStreamingLlmCompiler");
      for (String baseline : List.of(SideBySide.REACT, SideBySide.NATIVE, SideBySide.LANGCHAIN4J, SideBySide.BUFFERED)) {
        speedups.set("over " + baseline, stats(speedup(baseline, SideBySide.STREAMING, w.name())));
      }
    }
    ObjectNode sensitivity = root.putObject("sensitivitySlowerModel");
    LatencyModel slow = slower.latency();
    sensitivity.put("ttftMs", slow.ttftMs());
    sensitivity.put("decodeMsPerCompletionToken", slow.decodeMsPerToken());
    for (Workload w : slower.workloads()) {
      ObjectNode node = sensitivity.putObject(w.name());
      for (String system : List.of(SideBySide.STREAMING, SideBySide.REACT, SideBySide.LANGCHAIN4J)) {
        node.set(system + " wallMs", stats(slowWall(system, w.name())));
      }
      node.put("speedupOverReAct", round(slowWall(SideBySide.REACT, w.name()).median()
          / slowWall(SideBySide.STREAMING, w.name()).median(), 3));
      node.put("speedupOverLangChain4j", round(slowWall(SideBySide.LANGCHAIN4J, w.name()).median()
          / slowWall(SideBySide.STREAMING, w.name()).median(), 3));
    }
    ArrayNode slowRuns = sensitivity.putArray("measurements");
    slower.runs().forEach(m -> slowRuns.add(measurement(m)));
    ArrayNode over = root.putArray("overhead");
    for (OverheadBenchmark.Result r : overhead) {
      ObjectNode node = over.addObject();
      node.put("shape", r.shape());
      node.put("tasks", r.tasks());
      node.put("timedRuns", r.runs());
      node.set("microsPerTask", stats(r.perTaskMicros()));
      node.put("complete", r.complete());
    }
    root.set("concurrency", JSON.valueToTree(concurrency));
    root.set("firstCall", firstCallJson());
    ArrayNode t = root.putArray("targets");
    targets.forEach(target -> t.add(JSON.valueToTree(target)));
    ArrayNode all = root.putArray("measurements");
    sideBySide.runs().forEach(m -> all.add(measurement(m)));
    ArrayNode warm = root.putArray("warmUps");
    sideBySide.warmUps().forEach(m -> warm.add(measurement(m)));
    return root;
  }

  private ObjectNode firstCallJson() {
    ObjectNode node = JSON.createObjectNode();
    node.put("jvmsPerMode", firstCall.of(FirstCallBenchmark.COLD).size());
    node.put("warmCallsPerJvm", firstCall.warmCalls());
    node.put("serverRequests", firstCall.serverRequests());
    node.put("expectedServerRequests", firstCall.expectedServerRequests());
    ObjectNode modes = node.putObject("modes");
    for (String mode : FirstCallBenchmark.MODES) {
      ObjectNode m = modes.putObject(mode);
      m.set("addedMs", stats(firstCall.added(mode)));
      m.set("firstCallMs", stats(firstCall.stat(mode, FirstCallBenchmark.Probe::firstCallMs)));
      m.set("warmCallMs", stats(firstCall.stat(mode, FirstCallBenchmark.Probe::warmCallMs)));
      m.set("buildMs", stats(firstCall.stat(mode, FirstCallBenchmark.Probe::buildMs)));
      m.set("warmUpMs", stats(firstCall.stat(mode, FirstCallBenchmark.Probe::warmUpMs)));
      m.set("firstCallClasses", stats(firstCall.stat(mode, FirstCallBenchmark.Probe::firstCallClasses)));
      m.set("newClientFirstCallMs", stats(firstCall.stat(mode, FirstCallBenchmark.Probe::newClientFirstCallMs)));
    }
    ArrayNode probes = node.putArray("probes");
    for (FirstCallBenchmark.Probe p : firstCall.probes()) {
      ObjectNode probe = probes.addObject();
      probe.put("mode", p.mode());
      probe.put("repeat", p.repeat());
      probe.put("buildMs", round(p.buildMs(), 1));
      if (!Double.isNaN(p.warmUpMs())) {
        probe.put("warmUpMs", round(p.warmUpMs(), 1));
      }
      probe.put("firstCallMs", round(p.firstCallMs(), 1));
      probe.put("warmCallMs", round(p.warmCallMs(), 1));
      probe.put("addedMs", round(p.addedMs(), 1));
      probe.put("firstCallClasses", p.firstCallClasses());
      probe.put("newClientFirstCallMs", round(p.newClientFirstCallMs(), 1));
    }
    return node;
  }

  private static ObjectNode measurement(Measurement m) {
    ObjectNode node = JSON.createObjectNode();
    node.put("system", m.system());
    node.put("workload", m.workload());
    node.put("repeat", m.repeat());
    node.put("wallMs", round(m.wallMs(), 1));
    if (!Double.isNaN(m.floorMs())) {
      node.put("floorMs", round(m.floorMs(), 1));
    }
    node.put("promptTokens", m.promptTokens());
    node.put("completionTokens", m.completionTokens());
    node.put("llmCalls", m.llmCalls());
    node.put("correct", m.correct());
    if (!m.note().isEmpty()) {
      node.put("note", m.note());
    }
    return node;
  }

  private static ObjectNode stats(Stats s) {
    ObjectNode node = JSON.createObjectNode();
    if (s.count() == 0) {
      node.putNull("median");
      return node;
    }
    node.put("median", round(s.median(), 3));
    node.put("min", round(s.min(), 3));
    node.put("max", round(s.max(), 3));
    node.put("n", s.count());
    return node;
  }

  static Map<String, String> machine() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
    m.put("cpu", cpuModel());
    m.put("cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
    m.put("maxHeapMb", Long.toString(Runtime.getRuntime().maxMemory() / (1024 * 1024)));
    m.put("jdk", System.getProperty("java.vendor") + " " + System.getProperty("java.runtime.version"));
    m.put("vm", System.getProperty("java.vm.name"));
    m.put("loadAverage (1/5/15 min, at the end)", loadAverage());
    return m;
  }

  private static String loadAverage() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return parts[0] + " / " + parts[1] + " / " + parts[2];
    } catch (IOException | RuntimeException e) {
      return "n/a";
    }
  }

  private static String cpuModel() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).strip();
        }
      }
    } catch (IOException | RuntimeException e) {
      // Not Linux: the architecture is all we can say.
    }
    return System.getProperty("os.arch");
  }

  // ---- Markdown

  String markdown() {
    StringBuilder md = new StringBuilder();
    Map<String, String> machine = machine();
    md.append("# LLMCompiler for Java: benchmark report\n\n");
    if (options.smoke()) {
      md.append("> **SMOKE RUN**: one repeat at time scale ").append(options.timeScale())
          .append(", small overhead and concurrency sizes, one fresh JVM per first-call mode. These figures"
              + " only show the machinery works;"
              + " the committed report comes from the full command below.\n\n");
    }
    md.append("Generated by:\n\n```\n").append(COMMAND).append("\n```\n\n");
    md.append("Arguments: `").append(argsLine.isEmpty() ? "(none)" : argsLine).append("`. Finished ")
        .append(finished).append(" after ").append(fmt(totalSeconds, 0)).append(" s.\n\n");
    md.append("| | |\n|---|---|\n");
    machine.forEach((k, v) -> md.append("| ").append(k).append(" | ").append(v).append(" |\n"));
    md.append("\nThe machine is a shared 2-core VM; other builds ran at the same time, so absolute"
        + " figures are noisy. Every comparison below is a ratio of systems measured side by side in"
        + " this one run, interleaved (each repeat runs every workload on every system, rotating their"
        + " order).\n\n");

    md.append("## How it was measured\n\n");
    LatencyModel model = sideBySide.latency();
    md.append("* **Simulated LLM**: the testkit's `ScriptedOpenAiServer` on loopback (real HTTP, real"
        + " Server-Sent Events, real `tool_calls`), so every system goes through its real client:"
        + " `OpenAiLlm` (openai-java) for LLMCompiler and ReAct, openai-java directly for the native"
        + " loop, LangChain4j's own OpenAI client for LangChain4j. Replies are scripted per request"
        + " (planner, joiner, ReAct step, tool-call turn) and streamed one token per chunk.\n");
    md.append("* **Latency model** (GPT-3.5-turbo, the paper's model for HotpotQA and Movie): time to first token ")
        .append(fmt(model.ttftMs(), 0)).append(" ms + ").append(model.prefillMsPerToken())
        .append(" ms per prompt token, then ").append(fmt(model.decodeMsPerToken(), 0))
        .append(" ms per completion token (~").append(fmt(1000 / model.decodeMsPerToken(), 0))
        .append(" tokens/s), each delay times a seeded uniform jitter of +-").append(fmt(model.jitter() * 100, 0))
        .append("%. Tokens are counted with jtokkit `").append(Tokens.named(options.tokenizer()).name())
        .append("`, and the same counts are reported as usage. The paper reports end-to-end latencies, not"
            + " per-token costs, so the per-token figures come from public measurements of GPT-3.5, not from"
            + " fitting the paper's results: ~83 tokens/s lies between Artificial Analysis's ~110 tokens/s for"
            + " GPT-3.5 Turbo (Instruct) on OpenAI (artificialanalysis.ai) and a 2023 measurement of 35 ms per"
            + " token for OpenAI GPT-3.5 (taivo.ai, \"GPT-3.5 and GPT-4 response times\"). A sensitivity run"
            + " with the slower figures (0.63 s to first token, 35 ms per token) is in section 2.\n");
    md.append("* **Tools**: `search` and `math` sleep a seeded log-normal latency (mean ")
        .append(fmt(sideBySide.toolMeanMs(), 0)).append(" ms, sigma 0.3, cut to 0.4-2x) keyed by the call's text, so"
            + " a call takes the same time in every system.\n");
    md.append("* **Time scale**: ").append(options.timeScale() == 1.0 ? "1.0: all delays are real time."
        : options.timeScale() + ": **every LLM and tool delay is multiplied by this**, so absolute times are"
            + " scaled and framework costs weigh relatively more than at real scale.").append('\n');
    md.append("* **Repeats**: ").append(options.repeats()).append(" per workload and system, after one"
        + " discarded warm-up run per system; medians with min-max. Seed ").append(options.seed()).append(".\n");
    md.append("* **LLMCompiler (plan buffered)** is the same runtime with an `LlmClient` wrapper that hands"
        + " the plan to the parser only after the planner's last token: the paper's non-streaming ablation,"
        + " isolating what streaming dispatch buys. Same wire, same model, same tools.\n");
    md.append("* **Native FC** is a minimal loop of ours over openai-java (non-streaming turns; a turn's"
        + " `tool_calls` run concurrently on a thread pool). **LangChain4j** ")
        .append("is an AI Service (`AiServices.builder(...).chatModel(OpenAiChatModel).tools(...)"
            + ".executeToolsConcurrently()`), langchain4j ").append(langchain4jVersion()).append(".\n");
    md.append("* **Correctness**: a run counts only if it returned the scripted answer and ran every task"
        + " exactly once (all ok). ").append(correctRuns()).append(" of ").append(allRuns())
        .append(" measured runs were correct; the simulated LLM had no script for ")
        .append(sideBySide.unmatchedRequests()).append(" requests.\n\n");

    md.append("## Targets\n\n| target | figure | met? |\n|---|---|---|\n");
    for (Target t : targets) {
      md.append("| ").append(t.target()).append(" | ").append(t.figure()).append(" | ")
          .append(t.met() ? "yes" : "**NO**").append(" |\n");
    }
    md.append('\n');

    md.append("## 1. Latency, side by side\n\n![median latency per workload and system](chart.svg)\n\n");
    md.append("Wall time per query, seconds: median (min-max).\n\n| workload | shape |");
    SideBySide.SYSTEMS.forEach(s -> md.append(' ').append(s).append(" |"));
    md.append("\n|---|---|");
    SideBySide.SYSTEMS.forEach(s -> md.append("---|"));
    md.append('\n');
    for (Workload w : sideBySide.workloads()) {
      md.append("| ").append(w.name()).append(" | ").append(w.shape()).append(" |");
      for (String s : SideBySide.SYSTEMS) {
        Stats st = wall(s, w.name());
        md.append(' ').append(fmt(st.median() / 1000, 2)).append(" (").append(fmt(st.min() / 1000, 2))
            .append('-').append(fmt(st.max() / 1000, 2)).append(") |");
      }
      md.append('\n');
    }
    md.append("\nSpeedup of LLMCompiler (streaming): ratio of medians (range of per-repeat ratios).\n\n");
    md.append("| workload | over ReAct | paper | over native FC | over LangChain4j | over plan buffered |\n");
    md.append("|---|---|---|---|---|---|\n");
    for (Workload w : sideBySide.workloads()) {
      md.append("| ").append(w.name()).append(" | ").append(ratio(speedup(SideBySide.REACT, SideBySide.STREAMING, w.name())))
          .append(" | ").append(w.paperSpeedup() > 0 ? fmt(w.paperSpeedup(), 2) + "x" : "-")
          .append(" | ").append(ratio(speedup(SideBySide.NATIVE, SideBySide.STREAMING, w.name())))
          .append(" | ").append(ratio(speedup(SideBySide.LANGCHAIN4J, SideBySide.STREAMING, w.name())))
          .append(" | ").append(ratio(speedup(SideBySide.BUFFERED, SideBySide.STREAMING, w.name()))).append(" |\n");
    }

    md.append("\n## 2. The floor\n\nFor every LLMCompiler run, the critical-path lower bound from its own"
        + " trace: the planner starts at 0 (or when the previous joiner ended); each task's earliest start is"
        + " the later of its plan line's arrival on the wire (measured under the framework, in the"
        + " `LlmClient`) and its dependencies' earliest ends; it then runs its tool's measured duration;"
        + " the joiner starts when the plan stream and the tasks have ended and takes its measured call"
        + " time. Measured / floor is what the framework adds. The buffered variant is judged against the"
        + " same streaming floor, so its ratio shows what waiting for the whole plan costs. For the JSON plan,"
        + " a task's arrival is when its object closes on the wire.\n\n");
    md.append("| workload | system | floor, s | measured / floor |\n|---|---|---|---|\n");
    for (Workload w : sideBySide.workloads()) {
      for (String s : List.of(SideBySide.STREAMING, SideBySide.BUFFERED, SideBySide.JSON)) {
        Stats floor = stat(s, w.name(), Measurement::floorMs);
        md.append("| ").append(w.name()).append(" | ").append(s).append(" | ").append(fmt(floor.median() / 1000, 3))
            .append(" | ").append(range(floorRatio(s, w.name()), 3)).append(" |\n");
      }
    }

    LatencyModel slow = slower.latency();
    md.append("\n### Sensitivity to the latency model\n\nThe same HotpotQA and Movie runs (one repeat, same"
        + " seed) under the slower GPT-3.5 measurement: ").append(fmt(slow.ttftMs(), 0))
        .append(" ms to first token, ").append(fmt(slow.decodeMsPerToken(), 0)).append(" ms per completion token."
            + " Not used for the targets; it shows how the ratios move when LLM turns cost more. ")
        .append(slowerCorrectRuns()).append(" of ").append(slowerRuns()).append(" runs correct.\n\n");
    md.append("| workload | LLMCompiler (streaming), s | ReAct, s | LangChain4j, s | speedup over ReAct | over LangChain4j |\n");
    md.append("|---|---|---|---|---|---|\n");
    for (Workload w : slower.workloads()) {
      double ours = slowWall(SideBySide.STREAMING, w.name()).median();
      double react = slowWall(SideBySide.REACT, w.name()).median();
      double lc = slowWall(SideBySide.LANGCHAIN4J, w.name()).median();
      md.append("| ").append(w.name()).append(" | ").append(fmt(ours / 1000, 2)).append(" | ").append(fmt(react / 1000, 2))
          .append(" | ").append(fmt(lc / 1000, 2)).append(" | ").append(fmt(react / ours, 2)).append("x | ")
          .append(fmt(lc / ours, 2)).append("x |\n");
    }
    md.append("\n## 3. Framework overhead and scale\n\nPlans of N no-op tasks from an in-memory `LlmClient`"
        + " (no network, no model time, tools return at once), so a run's wall time is all framework: parsing,"
        + " dispatch, reference resolution, tool plumbing, trace, the joiner's prompt. Wide: N independent"
        + " tasks; deep: one chain where each task takes the previous result. A careful harness, not JMH:"
        + " warm-up runs first, then timed runs; microseconds per task, median (min-max). Default executor on"
        + " this JDK (" + System.getProperty("java.version") + ": "
        + (Runtime.version().feature() >= 21 ? "virtual threads" : "a pool of 64 platform threads") + ").\n\n");
    md.append("| shape | N | timed runs | us per task | all complete |\n|---|---|---|---|---|\n");
    for (OverheadBenchmark.Result r : overhead) {
      md.append("| ").append(r.shape()).append(" | ").append(String.format(Locale.ROOT, "%,d", r.tasks()))
          .append(" | ").append(r.runs()).append(" | ").append(range(r.perTaskMicros(), 2)).append(" | ")
          .append(r.complete() ? "yes" : "**NO**").append(" |\n");
    }
    md.append("\n### Concurrent runs\n\n").append(concurrency.runs()).append(" runs started at once on one"
        + " compiler. The in-memory LLM streams each plan (3 parallel tasks and one that needs all three) on"
        + " timers: first line after ").append(ConcurrencyBenchmark.FIRST_LINE_MS).append(" ms, then one every ")
        .append(ConcurrencyBenchmark.LINE_GAP_MS).append(" ms; tools wait ").append(ConcurrencyBenchmark.TOOL_MS)
        .append(" ms without holding a thread (async tools); the joiner answers after ")
        .append(ConcurrencyBenchmark.JOINER_MS).append(" ms. Added latency = wall - floor (")
        .append(fmt(concurrency.floorMs(), 0)).append(" ms).\n\n");
    md.append("| runs | complete | batch wall, s | added p50, ms | added p99, ms | added max, ms | peak threads | peak heap, MB |\n");
    md.append("|---|---|---|---|---|---|---|---|\n");
    md.append("| ").append(concurrency.runs()).append(" | ").append(concurrency.completed()).append(" | ")
        .append(fmt(concurrency.wallMs() / 1000, 2)).append(" | ").append(fmt(concurrency.addedP50Ms(), 1))
        .append(" | ").append(fmt(concurrency.addedP99Ms(), 1)).append(" | ").append(fmt(concurrency.addedMaxMs(), 1))
        .append(" | ").append(concurrency.peakThreads()).append(" | ").append(fmt(concurrency.peakHeapMb(), 0))
        .append(" |\n\nPeak heap is the sum of the heap pools' peaks (an upper bound; the JVM's own default"
            + " heap sizing applies). Peak threads counts every JVM thread, the benchmark's own included.\n");

    md.append("\n## 4. Cost\n\nTokens per query (median over repeats) as the simulated server billed them"
        + " (jtokkit counts of every message, tool definitions and tool calls), and the dollar cost at"
        + " gpt-3.5-turbo-1106 list prices ($").append(fmt(PRICE_IN, 2)).append(" / $").append(fmt(PRICE_OUT, 2))
        .append(" per million input / output tokens). Cost ratio = the system's cost / LLMCompiler's (the"
            + " paper's Table 2 reports ReAct / LLMCompiler the same way).\n\n");
    md.append("| workload | system | LLM calls | prompt tokens | completion tokens | cost ratio vs LLMCompiler |\n");
    md.append("|---|---|---|---|---|---|\n");
    for (Workload w : sideBySide.workloads()) {
      double ours = stat(SideBySide.STREAMING, w.name(), this::cost).median();
      for (String s : SideBySide.SYSTEMS) {
        md.append("| ").append(w.name()).append(" | ").append(s).append(" | ")
            .append(fmt(stat(s, w.name(), Measurement::llmCalls).median(), 0)).append(" | ")
            .append(fmt(stat(s, w.name(), Measurement::promptTokens).median(), 0)).append(" | ")
            .append(fmt(stat(s, w.name(), Measurement::completionTokens).median(), 0)).append(" | ")
            .append(fmt(stat(s, w.name(), this::cost).median() / ours, 2)).append("x |\n");
      }
    }
    md.append("\nPlanner system prompt for this tool set (search, math and join, with the built-in rules and"
        + " examples): **").append(sideBySide.plannerPromptTokens()).append(" tokens** (")
        .append(sideBySide.plannerPromptChars()).append(" characters), byte-identical on every call so provider"
            + " prefix caches can hit. The paper's prompts also carry dataset-specific few-shot examples,"
            + " which ours do not, so its per-query token counts are higher than ours in absolute terms.\n");
    md.append(firstCallMarkdown());
    md.append(planFormats());
    md.append(whyMissed());
    md.append("\n## Reading the results honestly\n\n");
    md.append("* The simulator was not tuned after seeing results: its constants are the documented defaults"
        + " above. Where a target is missed, the table says **NO** with the figure.\n");
    md.append("* The paper's speedups over ReAct include ReAct's extra reasoning tokens and failures on real"
        + " models; here every system gets a perfect scripted model, so speedups come from the graph"
        + " shape, streaming and the number of LLM turns only.\n");
    md.append("* Native FC and LangChain4j get the best case for their approach: the model puts every"
        + " independent call into one turn.\n");
    return md.toString();
  }

  /** Section 5: the first call in a fresh JVM, without and with warm-up. */
  String firstCallMarkdown() {
    StringBuilder md = new StringBuilder();
    md.append("\n## 5. The first call in a fresh JVM\n\nEach row is ")
        .append(firstCall.of(FirstCallBenchmark.COLD).size())
        .append(" fresh `java` processes (this JDK, this classpath) that build an `OpenAiLlm`, optionally call"
            + " `warmUp().join()`, then make one first `chat` call and ").append(firstCall.warmCalls())
        .append(" warm calls to the simulated LLM, which runs warmed up in a process of its own. The modes alternate"
            + " which goes first. Added = first call - median warm call of the same JVM; ms, median (min-max). The last"
            + " column is a second client's first call at the end of the same JVM: a new connection in a warm JVM, the"
            + " floor for any first call.\n\n");
    md.append("| mode | build, ms | warmUp(), ms | first call, ms | warm call, ms | added over warm, ms |"
        + " classes loaded by the first call | second client's first call, ms |\n|---|---|---|---|---|---|---|---|\n");
    for (String mode : FirstCallBenchmark.MODES) {
      Stats warmUp = firstCall.stat(mode, FirstCallBenchmark.Probe::warmUpMs);
      md.append("| ").append(mode).append(" | ")
          .append(range(firstCall.stat(mode, FirstCallBenchmark.Probe::buildMs), 0))
          .append(" | ").append(warmUp.count() == 0 ? "-" : range(warmUp, 0)).append(" | ")
          .append(range(firstCall.stat(mode, FirstCallBenchmark.Probe::firstCallMs), 1)).append(" | ")
          .append(range(firstCall.stat(mode, FirstCallBenchmark.Probe::warmCallMs), 1)).append(" | **")
          .append(range(firstCall.added(mode), 1)).append("** | ")
          .append(fmt(firstCall.stat(mode, FirstCallBenchmark.Probe::firstCallClasses).median(), 0)).append(" | ")
          .append(range(firstCall.stat(mode, FirstCallBenchmark.Probe::newClientFirstCallMs), 1)).append(" |\n");
    }
    double cold = firstCall.added(FirstCallBenchmark.COLD).median();
    double warmed = firstCall.added(FirstCallBenchmark.WARMED).median();
    md.append("\nWith `warmUp()` first, the first call's added latency drops from ").append(fmt(cold, 0))
        .append(" ms to ").append(fmt(warmed, 1)).append(" ms (")
        .append(warmed > 0 ? fmt(cold / warmed, 0) + "x less; " : "").append("goal: within ")
        .append(fmt(FirstCallBenchmark.TARGET_MS, 0)).append(" ms). The simulated LLM"
            + " received ").append(firstCall.serverRequests()).append(" requests from the probes, ")
        .append(firstCall.serverRequests() == firstCall.expectedServerRequests()
            ? "exactly their first, warm and second-client calls: the warm-ups sent none."
            : "**not the " + firstCall.expectedServerRequests() + " their calls account for**.")
        .append(" What remains after warm-up is OkHttp's connection code (opening and using a first connection)"
            + " running for the first time; the new connection itself costs what the last column adds to a warm call."
            + " Over `https` the first call also pays the TLS handshake, of which warm-up runs only the ClientHello"
            + " offline.\n");
    return md.toString();
  }

  /** Section 6: the JSON plan beside the text plan, in time and tokens. */
  String planFormats() {
    StringBuilder md = new StringBuilder();
    md.append("\n## 6. Plan formats: text and JSON\n\nThe same runtime and workloads with `planFormat(PlanFormat.JSON)`:"
        + " the planner asks for `{\"tasks\":[{\"id\":1,\"tool\":\"search\",\"args\":{...}}, ...]}` with the plan's JSON"
        + " Schema as `response_format` (")
        .append(sideBySide.planSchemaTokens()).append(" tokens of schema, which this simulator does not bill) and"
            + " streams tasks to the executor as their objects close. Its planner system prompt is ")
        .append(sideBySide.jsonPlannerPromptTokens()).append(" tokens against the text plan's ")
        .append(sideBySide.plannerPromptTokens()).append(". Medians; ratios are JSON / text.\n\n");
    md.append("| workload | text plan, s | JSON plan, s | time ratio | completion tokens, text | JSON | tokens ratio |"
        + " prompt tokens, text | JSON |\n|---|---|---|---|---|---|---|---|---|\n");
    for (Workload w : sideBySide.workloads()) {
      double text = wall(SideBySide.STREAMING, w.name()).median();
      double json = wall(SideBySide.JSON, w.name()).median();
      double textOut = stat(SideBySide.STREAMING, w.name(), Measurement::completionTokens).median();
      double jsonOut = stat(SideBySide.JSON, w.name(), Measurement::completionTokens).median();
      md.append("| ").append(w.name()).append(" | ").append(fmt(text / 1000, 2)).append(" | ").append(fmt(json / 1000, 2))
          .append(" | ").append(fmt(json / text, 2)).append("x | ").append(fmt(textOut, 0)).append(" | ")
          .append(fmt(jsonOut, 0)).append(" | ").append(fmt(jsonOut / textOut, 2)).append("x | ")
          .append(fmt(stat(SideBySide.STREAMING, w.name(), Measurement::promptTokens).median(), 0)).append(" | ")
          .append(fmt(stat(SideBySide.JSON, w.name(), Measurement::promptTokens).median(), 0)).append(" |\n");
    }
    md.append("\nA JSON plan spends more output tokens on syntax (braces, quotes, key names), and output tokens are"
        + " the slow ones, so with a model that already writes the text plan well JSON mode costs time; it is for"
        + " models that stray from the text format, where constrained decoding makes every plan readable.\n");
    return md.toString();
  }

  /** The sum of a workload's tool latencies, as a sequential system like ReAct pays them, ms. */
  double sequentialToolMs(Workload w) {
    ToolLatency latency = new ToolLatency(options.seed(), sideBySide.toolMeanMs(), options.timeScale());
    double sum = 0;
    for (Workload.Task task : w.tasks()) {
      sum += latency.duration(task.tool(), task.text()).toNanos() / 1e6;
    }
    return sum;
  }

  /** Explains each missed target with figures from this run. */
  String whyMissed() {
    StringBuilder md = new StringBuilder();
    List<String> missedReAct = new ArrayList<>();
    for (Workload w : sideBySide.workloads()) {
      if (w.paperSpeedup() > 0 && speedup(SideBySide.REACT, SideBySide.STREAMING, w.name()).median() < w.paperSpeedup()) {
        missedReAct.add(w.name());
      }
    }
    boolean missedLc = speedup(SideBySide.LANGCHAIN4J, SideBySide.STREAMING, "Movie").median() < LANGCHAIN4J_TARGET;
    if (missedReAct.isEmpty() && !missedLc) {
      return "";
    }
    md.append("\n## Where a target is missed, and why\n\n");
    for (String name : missedReAct) {
      Workload w = sideBySide.workloads().stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
      double reactWall = wall(SideBySide.REACT, name).median();
      double calls = stat(SideBySide.REACT, name, Measurement::llmCalls).median();
      double tools = sequentialToolMs(w);
      double perCall = (reactWall - tools) / calls;
      md.append("* **Speedup over ReAct, ").append(name).append("**: ").append(fmt(speedup(SideBySide.REACT,
          SideBySide.STREAMING, name).median(), 2)).append("x against the paper's ").append(fmt(w.paperSpeedup(), 2))
          .append("x. ReAct made ").append(fmt(calls, 0)).append(" LLM calls of about ").append(fmt(perCall / 1000, 2))
          .append(" s each and ran its tools one after another (").append(fmt(tools / 1000, 2))
          .append(" s); LLMCompiler made 2 calls and overlapped the tools with the plan. The gap to the paper is in"
              + " ReAct's cost per turn: our scripted ReAct writes a one-line thought, and its prompt has no few-shot"
              + " trajectories, while ReAct prompts as usually run carry several; and a scripted model never takes the"
              + " extra or repeated steps real models take. We did not lengthen ReAct's replies to reach the paper's"
              + " figure.\n");
    }
    if (missedLc) {
      md.append("* **Ahead of LangChain4j on Movie**: ").append(fmt(speedup(SideBySide.LANGCHAIN4J, SideBySide.STREAMING,
          "Movie").median(), 2)).append("x against the 1.35x target. The simulated model puts all 8 searches into one"
              + " native turn, so LangChain4j also needs just two LLM turns (calls, answer). LLMCompiler's remaining edge is"
              + " that searches start while the plan streams (")
          .append(fmt(speedup(SideBySide.BUFFERED, SideBySide.STREAMING, "Movie").median(), 2))
          .append("x over the plan-buffered variant), partly spent on the joiner's Thought before its answer. Where the"
              + " graph has depth, native calling needs a turn per level and LLMCompiler leads: ")
          .append(fmt(speedup(SideBySide.LANGCHAIN4J, SideBySide.STREAMING, "ParallelQA").median(), 2))
          .append("x on ParallelQA. The paper's 1.35x was measured against OpenAI's hosted parallel function calling"
              + " on real models; this simulator bills a tool-call turn exactly like a text turn of the same length,"
              + " which gives native calling no handicap.\n");
    }
    return md.toString();
  }

  private static String langchain4jVersion() {
    Package p = dev.langchain4j.service.AiServices.class.getPackage();
    String v = p == null ? null : p.getImplementationVersion();
    return v == null ? "1.19.0" : v;
  }

  static String ratio(Stats s) {
    return fmt(s.median(), 2) + "x (" + fmt(s.min(), 2) + "-" + fmt(s.max(), 2) + ")";
  }

  static String range(Stats s, int digits) {
    return fmt(s.median(), digits) + " (" + fmt(s.min(), digits) + "-" + fmt(s.max(), digits) + ")";
  }

  static String fmt(double value, int digits) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return "n/a";
    }
    return String.format(Locale.ROOT, "%." + digits + "f", value);
  }

  static double round(double value, int digits) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return value;
    }
    double f = Math.pow(10, digits);
    return Math.round(value * f) / f;
  }
}
