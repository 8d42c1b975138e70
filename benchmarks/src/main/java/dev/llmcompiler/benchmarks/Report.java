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
  static final String COMMAND =
      "mvn -B -q -pl benchmarks -am package -DskipTests"
          + " && java -jar benchmarks/target/llmcompiler-benchmarks.jar --out benchmarks";

  /** gpt-3.5-turbo-1106 list prices, USD per million tokens (input, output), for cost ratios. */
  static final double PRICE_IN = 1.0;

  static final double PRICE_OUT = 2.0;
  static final double OVERHEAD_TARGET_US = 20;
  static final double FLOOR_TARGET = 1.05;

  /** Issue 12's targets: LLMCompiler's speedup over the best function-calling peer, by workload. */
  static final Map<String, Double> PEER_TARGETS =
      Map.of("HotpotQA", 1.10, "Movie", 1.4, "ParallelQA", 2.5);

  /**
   * The systems of the direct-answer batch: LLMCompiler with direct answers on and off, beside the
   * strongest function-calling peer.
   */
  static final List<String> DIRECT_ANSWER_SYSTEMS =
      List.of(SideBySide.STREAMING, SideBySide.JOINER_ALWAYS, SideBySide.NATIVE_STREAMING);

  /** The systems of the sensitivity run under the slower model. */
  static final List<String> SENSITIVITY_SYSTEMS =
      List.of(
          SideBySide.STREAMING,
          SideBySide.REACT,
          SideBySide.NATIVE_STREAMING,
          SideBySide.LANGCHAIN4J);

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final BenchmarkMain.Options options;
  private final String argsLine;
  private final Instant finished;
  private final double totalSeconds;
  private final SideBySide.Result sideBySide;
  private final SideBySide.Result slower;
  private final SideBySide.Result direct;
  private final List<OverheadBenchmark.Result> overhead;
  private final List<ConcurrencyBenchmark.Result> concurrency;
  private final FirstCallBenchmark.Result firstCall;
  private final List<Target> targets = new ArrayList<>();

  /** A target of the issue with the figure it is judged by. */
  record Target(String target, String figure, boolean met) {}

  Report(
      BenchmarkMain.Options options,
      String argsLine,
      Instant finished,
      double totalSeconds,
      SideBySide.Result sideBySide,
      SideBySide.Result slower,
      SideBySide.Result direct,
      List<OverheadBenchmark.Result> overhead,
      List<ConcurrencyBenchmark.Result> concurrency,
      FirstCallBenchmark.Result firstCall) {
    this.options = options;
    this.argsLine = argsLine;
    this.finished = finished;
    this.totalSeconds = totalSeconds;
    this.sideBySide = sideBySide;
    this.slower = slower;
    this.direct = direct;
    this.overhead = overhead;
    this.concurrency = concurrency;
    this.firstCall = firstCall;
    judgeTargets();
  }

  // ---- figures

  List<Measurement> runs(String system, String workload) {
    return runs(sideBySide, system, workload);
  }

  /** The runs of {@code system} on {@code workload} in one side-by-side batch. */
  static List<Measurement> runs(SideBySide.Result batch, String system, String workload) {
    List<Measurement> out = new ArrayList<>();
    for (Measurement m : batch.runs()) {
      if (m.system().equals(system) && m.workload().equals(workload)) {
        out.add(m);
      }
    }
    return out;
  }

  Stats stat(String system, String workload, ToDoubleFunction<Measurement> value) {
    return stat(sideBySide, system, workload, value);
  }

  static Stats stat(
      SideBySide.Result batch,
      String system,
      String workload,
      ToDoubleFunction<Measurement> value) {
    List<Double> values = new ArrayList<>();
    runs(batch, system, workload).forEach(m -> values.add(value.applyAsDouble(m)));
    return Stats.of(values);
  }

  Stats wall(String system, String workload) {
    return stat(system, workload, Measurement::wallMs);
  }

  Stats slowWall(String system, String workload) {
    return stat(slower, system, workload, Measurement::wallMs);
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
    return speedup(sideBySide, baseline, system, workload);
  }

  static Stats speedup(SideBySide.Result batch, String baseline, String system, String workload) {
    List<Measurement> base = runs(batch, baseline, workload);
    List<Measurement> ours = runs(batch, system, workload);
    List<Double> perRepeat = new ArrayList<>();
    for (Measurement b : base) {
      for (Measurement o : ours) {
        if (o.repeat() == b.repeat()) {
          perRepeat.add(b.wallMs() / o.wallMs());
        }
      }
    }
    Stats range = Stats.of(perRepeat);
    double ratio =
        stat(batch, baseline, workload, Measurement::wallMs).median()
            / stat(batch, system, workload, Measurement::wallMs).median();
    return new Stats(ratio, range.min(), range.max(), range.count());
  }

  /** The function-calling peer with the lowest median wall time on {@code workload}. */
  String bestPeer(String workload) {
    String best = SideBySide.PEERS.get(0);
    for (String peer : SideBySide.PEERS) {
      if (wall(peer, workload).median() < wall(best, workload).median()) {
        best = peer;
      }
    }
    return best;
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
      targets.add(
          new Target(
              "measured / floor <= " + FLOOR_TARGET + " at the median, " + w.name(),
              fmt(ratio.median(), 3)
                  + " (min "
                  + fmt(ratio.min(), 3)
                  + ", max "
                  + fmt(ratio.max(), 3)
                  + ")",
              ratio.median() <= FLOOR_TARGET));
    }
    for (Workload w : sideBySide.workloads()) {
      if (w.paperSpeedup() > 0) {
        Stats s = speedup(SideBySide.REACT, SideBySide.STREAMING, w.name());
        targets.add(
            new Target(
                "speedup over ReAct >= paper's " + fmt(w.paperSpeedup(), 2) + "x, " + w.name(),
                fmt(s.median(), 2) + "x",
                s.median() >= w.paperSpeedup()));
      }
    }
    for (Workload w : sideBySide.workloads()) {
      Double target = PEER_TARGETS.get(w.name());
      if (target != null) {
        String peer = bestPeer(w.name());
        Stats s = speedup(peer, SideBySide.STREAMING, w.name());
        targets.add(
            new Target(
                "speedup over the best function-calling peer >= "
                    + fmt(target, 2)
                    + "x, "
                    + w.name()
                    + (w.directAnswer() == null ? "" : " (with direct answers)"),
                fmt(s.median(), 2) + "x (best peer: " + peer + ")",
                s.median() >= target));
      }
    }
    for (Workload w : sideBySide.workloads()) {
      double ours = stat(SideBySide.STREAMING, w.name(), Measurement::totalTokens).median();
      double native_ = stat(SideBySide.NATIVE, w.name(), Measurement::totalTokens).median();
      targets.add(
          new Target(
              "tokens per run (prompt + completion) <= native FC's, " + w.name(),
              fmt(ours, 0) + " vs " + fmt(native_, 0) + " (" + fmt(ours / native_, 2) + "x)",
              ours <= native_));
    }
    for (String shape : List.of("wide", "deep")) {
      OverheadBenchmark.Result at1k = overheadAt(shape, 1000);
      if (at1k != null) {
        targets.add(
            new Target(
                "framework overhead <= "
                    + fmt(OVERHEAD_TARGET_US, 0)
                    + " us/task at 1,000 tasks, "
                    + shape,
                fmt(at1k.perTaskMicros().median(), 2) + " us/task",
                at1k.perTaskMicros().median() <= OVERHEAD_TARGET_US));
      }
      OverheadBenchmark.Result at10k = overheadAt(shape, 10000);
      if (at1k != null && at10k != null) {
        double growth = at10k.perTaskMicros().median() / at1k.perTaskMicros().median();
        targets.add(
            new Target(
                "linear growth 1,000 -> 10,000 tasks (per-task time within 1.5x), " + shape,
                "per-task time x" + fmt(growth, 2),
                growth <= 1.5));
      }
    }
    for (ConcurrencyBenchmark.Result c : concurrency) {
      targets.add(
          new Target(
              String.format(Locale.ROOT, "%,d", c.runs())
                  + " concurrent runs with blocking tools all"
                  + " complete, JDK "
                  + c.jdkFeature(),
              c.completed() + " / " + c.runs() + " complete (" + c.executor() + ")",
              c.completed() == c.runs()));
    }
    boolean old = concurrency.stream().anyMatch(c -> c.jdkFeature() < 21);
    boolean modern = concurrency.stream().anyMatch(c -> c.jdkFeature() >= 21);
    if (!old || !modern) {
      targets.add(
          new Target(
              "concurrent runs measured on a JDK without virtual threads (17) and one with (21+)",
              "only "
                  + (modern ? "JDK 21+" : old ? "JDK 17" : "no JDK")
                  + " was available (see --other-jdk)",
              false));
    }
    Stats warmed = firstCall.added(FirstCallBenchmark.WARMED);
    targets.add(
        new Target(
            "first call after warmUp() within "
                + fmt(FirstCallBenchmark.TARGET_MS, 0)
                + " ms of a warm call (fresh JVM, median)",
            "+"
                + fmt(warmed.median(), 1)
                + " ms (without warm-up +"
                + fmt(firstCall.added(FirstCallBenchmark.COLD).median(), 0)
                + " ms)",
            warmed.median() <= FirstCallBenchmark.TARGET_MS));
  }

  OverheadBenchmark.Result overheadAt(String shape, int n) {
    return overhead.stream()
        .filter(r -> r.shape().equals(shape) && r.tasks() == n)
        .findFirst()
        .orElse(null);
  }

  List<Target> targets() {
    return targets;
  }

  // ---- writing

  void write(Path dir) throws IOException {
    Files.writeString(
        dir.resolve("report.json"), JSON.writeValueAsString(json()) + "\n", StandardCharsets.UTF_8);
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
    root.put("joinerPromptTokens", sideBySide.joinerPromptTokens());
    root.put("toolDefinitionTokens", sideBySide.toolDefinitionTokens());
    root.put("jsonPlannerPromptTokens", sideBySide.jsonPlannerPromptTokens());
    root.put("planSchemaTokens", sideBySide.planSchemaTokens());
    root.put("unmatchedRequests", sideBySide.unmatchedRequests());
    root.put("requests", sideBySide.requests());
    root.put("cachedRequests", sideBySide.cachedRequests());
    root.put("longestPromptTokens", sideBySide.longestPrompt());
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
        s.set("firstAnswerMs", stats(stat(system, w.name(), Measurement::firstAnswerMs)));
        s.set("promptTokens", stats(stat(system, w.name(), Measurement::promptTokens)));
        s.set("cachedPromptTokens", stats(stat(system, w.name(), Measurement::cachedPromptTokens)));
        s.set("totalTokens", stats(stat(system, w.name(), Measurement::totalTokens)));
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
      for (String baseline :
          List.of(
              SideBySide.REACT,
              SideBySide.NATIVE,
              SideBySide.NATIVE_STREAMING,
              SideBySide.LANGCHAIN4J,
              SideBySide.BUFFERED)) {
        speedups.set("over " + baseline, stats(speedup(baseline, SideBySide.STREAMING, w.name())));
      }
      node.put("bestPeer", bestPeer(w.name()));
    }
    ObjectNode sensitivity = root.putObject("sensitivitySlowerModel");
    LatencyModel slow = slower.latency();
    sensitivity.put("ttftMs", slow.ttftMs());
    sensitivity.put("decodeMsPerCompletionToken", slow.decodeMsPerToken());
    for (Workload w : slower.workloads()) {
      ObjectNode node = sensitivity.putObject(w.name());
      for (String system : SENSITIVITY_SYSTEMS) {
        node.set(system + " wallMs", stats(slowWall(system, w.name())));
      }
      node.put(
          "speedupOverStreamingNativeFc",
          round(
              slowWall(SideBySide.NATIVE_STREAMING, w.name()).median()
                  / slowWall(SideBySide.STREAMING, w.name()).median(),
              3));
      node.put(
          "speedupOverReAct",
          round(
              slowWall(SideBySide.REACT, w.name()).median()
                  / slowWall(SideBySide.STREAMING, w.name()).median(),
              3));
      node.put(
          "speedupOverLangChain4j",
          round(
              slowWall(SideBySide.LANGCHAIN4J, w.name()).median()
                  / slowWall(SideBySide.STREAMING, w.name()).median(),
              3));
    }
    ArrayNode slowRuns = sensitivity.putArray("measurements");
    slower.runs().forEach(m -> slowRuns.add(measurement(m)));
    ObjectNode directAnswers = root.putObject("directAnswers");
    for (Workload w : direct.workloads()) {
      ObjectNode node = directAnswers.putObject(w.name());
      for (String system : DIRECT_ANSWER_SYSTEMS) {
        ObjectNode s = node.putObject(system);
        s.set("wallMs", stats(stat(direct, system, w.name(), Measurement::wallMs)));
        s.set("firstAnswerMs", stats(stat(direct, system, w.name(), Measurement::firstAnswerMs)));
        s.set("llmCalls", stats(stat(direct, system, w.name(), Measurement::llmCalls)));
        s.set("totalTokens", stats(stat(direct, system, w.name(), Measurement::totalTokens)));
      }
      node.set(
          "speedupOverJoinerAlways",
          stats(speedup(direct, SideBySide.JOINER_ALWAYS, SideBySide.STREAMING, w.name())));
    }
    ArrayNode directRuns = directAnswers.putArray("measurements");
    direct.runs().forEach(m -> directRuns.add(measurement(m)));
    ArrayNode over = root.putArray("overhead");
    for (OverheadBenchmark.Result r : overhead) {
      ObjectNode node = over.addObject();
      node.put("shape", r.shape());
      node.put("tasks", r.tasks());
      node.put("warmUpRuns", r.warmUps());
      node.put("timedRuns", r.runs());
      node.set("microsPerTask", stats(r.perTaskMicros()));
      node.put("complete", r.complete());
    }
    ArrayNode concurrent = root.putArray("concurrency");
    concurrency.forEach(c -> concurrent.add(JSON.valueToTree(c)));
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
      m.set(
          "firstCallClasses",
          stats(firstCall.stat(mode, FirstCallBenchmark.Probe::firstCallClasses)));
      m.set(
          "newClientFirstCallMs",
          stats(firstCall.stat(mode, FirstCallBenchmark.Probe::newClientFirstCallMs)));
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
    node.put("firstAnswerMs", round(m.firstAnswerMs(), 1));
    if (!Double.isNaN(m.floorMs())) {
      node.put("floorMs", round(m.floorMs(), 1));
    }
    node.put("promptTokens", m.promptTokens());
    node.put("cachedPromptTokens", m.cachedPromptTokens());
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
    m.put(
        "os",
        System.getProperty("os.name")
            + " "
            + System.getProperty("os.version")
            + " "
            + System.getProperty("os.arch"));
    m.put("cpu", cpuModel());
    m.put("cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
    m.put("maxHeapMb", Long.toString(Runtime.getRuntime().maxMemory() / (1024 * 1024)));
    m.put(
        "jdk",
        System.getProperty("java.vendor") + " " + System.getProperty("java.runtime.version"));
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
      md.append("> **SMOKE RUN**: one repeat at time scale ")
          .append(options.timeScale())
          .append(
              ", small overhead and concurrency sizes, one fresh JVM per first-call mode. These figures"
                  + " only show the machinery works;"
                  + " the committed report comes from the full command below.\n\n");
    }
    md.append("Generated by:\n\n```\n").append(COMMAND).append("\n```\n\n");
    md.append("Arguments: `")
        .append(argsLine.isEmpty() ? "(none)" : argsLine)
        .append("`. Finished ")
        .append(finished)
        .append(" after ")
        .append(fmt(totalSeconds, 0))
        .append(" s.\n\n");
    md.append("| | |\n|---|---|\n");
    machine.forEach((k, v) -> md.append(row(k, v)));
    md.append(
        "\nThe machine is a shared 2-core VM; other builds ran at the same time, so absolute"
            + " figures are noisy. Every comparison below is a ratio of systems measured side by side in"
            + " this one run, interleaved (each repeat runs every workload on every system, rotating their"
            + " order).\n\n");

    md.append("## How it was measured\n\n");
    LatencyModel model = sideBySide.latency();
    md.append(
        "* **Simulated LLM**: the testkit's `ScriptedOpenAiServer` on loopback (real HTTP, real"
            + " Server-Sent Events, real `tool_calls`), so every system goes through its real client:"
            + " `OpenAiLlm` (openai-java) for LLMCompiler and ReAct, openai-java directly for the native"
            + " loops, LangChain4j's own OpenAI client for LangChain4j. Replies are scripted per request"
            + " (planner, joiner, ReAct step, tool-call turn) and streamed one token per chunk. Native tool calls"
            + " are decoded text like any other: their name, arguments and 3 tokens of framing are billed and timed"
            + " as completion tokens, and a streamed tool-call turn sends each call's name, then its arguments token"
            + " by token. Usage reports `prompt_tokens_details.cached_tokens` as OpenAI's automatic prompt cache"
            + " does for gpt-4o and newer (GPT-3.5 itself has none): the longest prefix a prompt shares with any"
            + " earlier request (tool definitions first, then the messages), in whole blocks of 1,024 tokens and"
            + " then 128; cached tokens are reported, not discounted in time or price.\n");
    md.append(
            "* **Latency model** (GPT-3.5-turbo, the paper's model for HotpotQA and Movie): time to first token ")
        .append(fmt(model.ttftMs(), 0))
        .append(" ms + ")
        .append(model.prefillMsPerToken())
        .append(" ms per prompt token, then ")
        .append(fmt(model.decodeMsPerToken(), 0))
        .append(" ms per completion token (~")
        .append(fmt(1000 / model.decodeMsPerToken(), 0))
        .append(" tokens/s), each delay times a seeded uniform jitter of +-")
        .append(fmt(model.jitter() * 100, 0))
        .append("%. Tokens are counted with jtokkit `")
        .append(Tokens.named(options.tokenizer()).name())
        .append(
            "`, and the same counts are reported as usage. The paper reports end-to-end latencies, not"
                + " per-token costs, so the per-token figures come from public measurements of GPT-3.5, not from"
                + " fitting the paper's results: ~83 tokens/s lies between Artificial Analysis's ~110 tokens/s for"
                + " GPT-3.5 Turbo (Instruct) on OpenAI (artificialanalysis.ai) and a 2023 measurement of 35 ms per"
                + " token for OpenAI GPT-3.5 (taivo.ai, \"GPT-3.5 and GPT-4 response times\"). A sensitivity run"
                + " with the slower figures (0.63 s to first token, 35 ms per token) is in section 2.\n");
    md.append("* **Tools**: `search` and `math` sleep a seeded log-normal latency (mean ")
        .append(fmt(sideBySide.toolMeanMs(), 0))
        .append(
            " ms, sigma 0.3, cut to 0.4-2x) keyed by the call's text, so"
                + " a call takes the same time in every system.\n");
    md.append("* **Time scale**: ")
        .append(
            options.timeScale() == 1.0
                ? "1.0: all delays are real time."
                : options.timeScale()
                    + ": **every LLM and tool delay is multiplied by this**, so absolute times are"
                    + " scaled and framework costs weigh relatively more than at real scale.")
        .append('\n');
    md.append("* **Repeats**: ")
        .append(options.repeats())
        .append(
            " per workload and system, after one"
                + " discarded warm-up run per system; medians with min-max. Seed ")
        .append(options.seed())
        .append(".\n");
    md.append(
        "* **LLMCompiler (plan buffered)** is the same runtime with an `LlmClient` wrapper that hands"
            + " the plan to the parser only after the planner's last token: the paper's non-streaming ablation,"
            + " isolating what streaming dispatch buys. Same wire, same model, same tools.\n");
    md.append(
            "* **Native FC** is a minimal loop of ours over openai-java (non-streaming turns; a turn's"
                + " `tool_calls` run concurrently on a thread pool). **Native FC, streaming** is the strongest form of"
                + " that peer: a streaming loop over openai-java that starts each tool call the moment its arguments"
                + " close as a JSON object in the stream, while the model still writes the next calls, and streams"
                + " the answer. **LangChain4j** ")
        .append(
            "is an AI Service (`AiServices.builder(...).chatModel(OpenAiChatModel).tools(...)"
                + ".executeToolsConcurrently()`), langchain4j ")
        .append(langchain4jVersion())
        .append(".\n");
    md.append(
            "* **Correctness**: a run counts only if it returned the scripted answer and ran every task"
                + " exactly once (all ok). ")
        .append(correctRuns())
        .append(" of ")
        .append(allRuns())
        .append(" measured runs were correct; the simulated LLM had no script for ")
        .append(sideBySide.unmatchedRequests())
        .append(" requests.\n\n");

    md.append("## Targets\n\n| target | figure | met? |\n|---|---|---|\n");
    for (Target t : targets) {
      md.append(row(t.target(), t.figure(), t.met() ? "yes" : "**NO**"));
    }
    md.append('\n');

    md.append(
        "## 1. Latency, side by side\n\n![median latency per workload and system](chart.svg)\n\n");
    md.append("Wall time per query, seconds: median (min-max).\n\n| workload | shape |");
    SideBySide.SYSTEMS.forEach(s -> md.append(' ').append(s).append(" |"));
    md.append("\n|---|---|");
    SideBySide.SYSTEMS.forEach(s -> md.append("---|"));
    md.append('\n');
    for (Workload w : sideBySide.workloads()) {
      List<Object> cells = new ArrayList<>(List.of(w.name(), w.shape()));
      SideBySide.SYSTEMS.forEach(s -> cells.add(seconds(wall(s, w.name()))));
      md.append(row(cells.toArray()));
    }
    md.append(
        "\nSpeedup of LLMCompiler (streaming): ratio of medians (range of per-repeat ratios). The best peer"
            + " is the function-calling peer (native FC, streaming or not, and LangChain4j) with the lowest median.\n\n");
    md.append(
        "| workload | over ReAct | paper | over native FC | over native FC, streaming | over LangChain4j |"
            + " over the best peer | over plan buffered |\n");
    md.append("|---|---|---|---|---|---|---|---|\n");
    for (Workload w : sideBySide.workloads()) {
      md.append(
          row(
              w.name(),
              ratio(speedup(SideBySide.REACT, SideBySide.STREAMING, w.name())),
              w.paperSpeedup() > 0 ? fmt(w.paperSpeedup(), 2) + "x" : "-",
              ratio(speedup(SideBySide.NATIVE, SideBySide.STREAMING, w.name())),
              ratio(speedup(SideBySide.NATIVE_STREAMING, SideBySide.STREAMING, w.name())),
              ratio(speedup(SideBySide.LANGCHAIN4J, SideBySide.STREAMING, w.name())),
              ratio(speedup(bestPeer(w.name()), SideBySide.STREAMING, w.name())),
              ratio(speedup(SideBySide.BUFFERED, SideBySide.STREAMING, w.name()))));
    }

    md.append(firstAnswerMarkdown());
    md.append(directAnswersMarkdown());

    md.append(
        "\n## 2. The floor\n\nFor every LLMCompiler run, the critical-path lower bound from its own"
            + " trace: the planner starts at 0 (or when the previous joiner ended); each task's earliest start is"
            + " the later of its plan line's arrival on the wire (measured under the framework, in the"
            + " `LlmClient`) and its dependencies' earliest ends; it then runs its tool's measured duration;"
            + " the joiner starts when the plan stream and the tasks have ended and takes its measured call"
            + " time (a round that a direct answer ends has none). Measured / floor is what the framework adds. The buffered variant is judged against the"
            + " same streaming floor, so its ratio shows what waiting for the whole plan costs. For the JSON plan,"
            + " a task's arrival is when its object closes on the wire.\n\n");
    md.append("| workload | system | floor, s | measured / floor |\n|---|---|---|---|\n");
    for (Workload w : sideBySide.workloads()) {
      for (String s : List.of(SideBySide.STREAMING, SideBySide.BUFFERED, SideBySide.JSON)) {
        Stats floor = stat(s, w.name(), Measurement::floorMs);
        md.append(
            row(w.name(), s, fmt(floor.median() / 1000, 3), range(floorRatio(s, w.name()), 3)));
      }
    }

    LatencyModel slow = slower.latency();
    md.append(
            "\n### Sensitivity to the latency model\n\nThe same HotpotQA and Movie runs (one repeat, same"
                + " seed) under the slower GPT-3.5 measurement: ")
        .append(fmt(slow.ttftMs(), 0))
        .append(" ms to first token, ")
        .append(fmt(slow.decodeMsPerToken(), 0))
        .append(
            " ms per completion token."
                + " Not used for the targets; it shows how the ratios move when LLM turns cost more. ")
        .append(slowerCorrectRuns())
        .append(" of ")
        .append(slowerRuns())
        .append(" runs correct.\n\n");
    md.append(
        "| workload | LLMCompiler (streaming), s | ReAct, s | native FC, streaming, s | LangChain4j, s |"
            + " speedup over ReAct | over native FC, streaming | over LangChain4j |\n");
    md.append("|---|---|---|---|---|---|---|---|\n");
    for (Workload w : slower.workloads()) {
      double ours = slowWall(SideBySide.STREAMING, w.name()).median();
      double react = slowWall(SideBySide.REACT, w.name()).median();
      double nativeStreaming = slowWall(SideBySide.NATIVE_STREAMING, w.name()).median();
      double lc = slowWall(SideBySide.LANGCHAIN4J, w.name()).median();
      md.append(
          row(
              w.name(),
              fmt(ours / 1000, 2),
              fmt(react / 1000, 2),
              fmt(nativeStreaming / 1000, 2),
              fmt(lc / 1000, 2),
              fmt(react / ours, 2) + "x",
              fmt(nativeStreaming / ours, 2) + "x",
              fmt(lc / ours, 2) + "x"));
    }
    md.append(
        "\n## 3. Framework overhead and scale\n\nPlans of N no-op tasks from an in-memory `LlmClient`"
            + " (no network, no model time, tools return at once), so a run's wall time is all framework: parsing,"
            + " dispatch, reference resolution, tool plumbing, trace, the joiner's prompt. Wide: N independent"
            + " tasks; deep: one chain where each task takes the previous result. A careful harness, not JMH:"
            + " warm-up runs first, at least four times the timed runs' tasks and then until the JIT has compiled"
            + " nothing for "
            + OverheadBenchmark.SETTLED_RUNS
            + " runs in a row (a long chain keeps it busy for tens of runs), then timed runs; microseconds per task,"
            + " median (min-max). Default executor on"
            + " this JDK ("
            + System.getProperty("java.version")
            + ": "
            + (Runtime.version().feature() >= 21
                ? "virtual threads"
                : "an elastic pool of platform threads")
            + ").\n\n");
    md.append(
        "| shape | N | warm-up runs | timed runs | us per task | all complete |\n"
            + "|---|---|---|---|---|---|\n");
    for (OverheadBenchmark.Result r : overhead) {
      md.append(
          row(
              r.shape(),
              String.format(Locale.ROOT, "%,d", r.tasks()),
              r.warmUps(),
              r.runs(),
              range(r.perTaskMicros(), 2),
              r.complete() ? "yes" : "**NO**"));
    }
    md.append(concurrencyMarkdown());

    md.append(
            "\n## 4. Cost\n\nTokens per query (median over repeats) as the simulated server billed them"
                + " (jtokkit counts of every message, tool definitions and tool calls), and the dollar cost at"
                + " gpt-3.5-turbo-1106 list prices ($")
        .append(fmt(PRICE_IN, 2))
        .append(" / $")
        .append(fmt(PRICE_OUT, 2))
        .append(
            " per million input / output tokens). Cost ratio = the system's cost / LLMCompiler's (the"
                + " paper's Table 2 reports ReAct / LLMCompiler the same way).\n\n");
    md.append(
        "| workload | system | LLM calls | prompt tokens | of them cached | completion tokens | total tokens |"
            + " tokens vs native FC | cost ratio vs LLMCompiler |\n");
    md.append("|---|---|---|---|---|---|---|---|---|\n");
    for (Workload w : sideBySide.workloads()) {
      double ours = stat(SideBySide.STREAMING, w.name(), this::cost).median();
      double nativeTokens = stat(SideBySide.NATIVE, w.name(), Measurement::totalTokens).median();
      for (String s : SideBySide.SYSTEMS) {
        double total = stat(s, w.name(), Measurement::totalTokens).median();
        md.append(
            row(
                w.name(),
                s,
                fmt(stat(s, w.name(), Measurement::llmCalls).median(), 0),
                fmt(stat(s, w.name(), Measurement::promptTokens).median(), 0),
                fmt(stat(s, w.name(), Measurement::cachedPromptTokens).median(), 0),
                fmt(stat(s, w.name(), Measurement::completionTokens).median(), 0),
                fmt(total, 0),
                fmt(total / nativeTokens, 2) + "x",
                fmt(stat(s, w.name(), this::cost).median() / ours, 2) + "x"));
      }
    }
    md.append(
            "\nCached prompt tokens are those the simulated provider's prefix cache served (see How it was"
                + " measured); cost and the token targets count every prompt token at full price. ")
        .append(sideBySide.cachedRequests())
        .append(" of ")
        .append(sideBySide.requests())
        .append(
            " requests had part of their prompt served from the cache; the longest prompt of any request was ")
        .append(sideBySide.longestPrompt())
        .append(" tokens")
        .append(
            sideBySide.longestPrompt() < PromptCache.MINIMUM
                ? ", below the cache's "
                    + String.format(Locale.ROOT, "%,d", PromptCache.MINIMUM)
                    + "-token minimum"
                : "")
        .append(".\n");
    md.append(
            "\nPlanner system prompt for this tool set (search, math and join, with the built-in rules and"
                + " examples): **")
        .append(sideBySide.plannerPromptTokens())
        .append(" tokens** (")
        .append(sideBySide.plannerPromptChars())
        .append(
            " characters), byte-identical on every call so provider"
                + " prefix caches can hit. The paper's prompts also carry dataset-specific few-shot examples,"
                + " which ours do not, so its per-query token counts are higher than ours in absolute terms.\n");
    md.append(firstCallMarkdown());
    md.append(planFormats());
    md.append(whyMissed());
    md.append("\n## Reading the results honestly\n\n");
    md.append(
        "* The simulator was not tuned after seeing results: its constants are the documented defaults"
            + " above. Where a target is missed, the table says **NO** with the figure.\n");
    md.append(
        "* The paper's speedups over ReAct include ReAct's extra reasoning tokens and failures on real"
            + " models; here every system gets a perfect scripted model, so speedups come from the graph"
            + " shape, streaming and the number of LLM turns only.\n");
    md.append(
        "* Native FC (both loops) and LangChain4j get the best case for their approach: the model puts every"
            + " independent call into one turn.\n");
    return md.toString();
  }

  /** Section 1's time to the first answer token, per workload and system. */
  String firstAnswerMarkdown() {
    StringBuilder md = new StringBuilder();
    md.append(
        "\nTime to the first answer token, seconds: median (min-max), from the call to the first token of"
            + " the final answer reaching the caller. LLMCompiler: the first `RunListener.onAnswerDelta`, which"
            + " streams the joiner's answer as it arrives or, for a direct answer, gives it whole when the last task"
            + " it quotes ends. ReAct: the first token after `Finish(` in its last model call's stream, on the wire."
            + " Native FC (non-streaming) and LangChain4j (a non-streaming chat model) receive the answer in one piece,"
            + " at the end. Native FC, streaming: the first content token of the answer turn.\n\n");
    md.append("| workload |");
    SideBySide.SYSTEMS.forEach(s -> md.append(' ').append(s).append(" |"));
    md.append("\n|---|");
    SideBySide.SYSTEMS.forEach(s -> md.append("---|"));
    md.append('\n');
    for (Workload w : sideBySide.workloads()) {
      List<Object> cells = new ArrayList<>(List.of(w.name()));
      SideBySide.SYSTEMS.forEach(
          s -> cells.add(seconds(stat(s, w.name(), Measurement::firstAnswerMs))));
      md.append(row(cells.toArray()));
    }
    return md.toString();
  }

  /** Section 1's direct-answer batch: the same workload with direct answers on and off. */
  String directAnswersMarkdown() {
    StringBuilder md = new StringBuilder();
    long correct = direct.runs().stream().filter(Measurement::correct).count();
    List<String> answered = new ArrayList<>();
    direct
        .workloads()
        .forEach(
            w -> answered.add(w.name() + "'s plan ends with `join(\"" + w.directAnswer() + "\")`"));
    List<String> judged = new ArrayList<>();
    sideBySide.workloads().stream()
        .filter(w -> w.directAnswer() == null)
        .forEach(w -> judged.add(w.name()));
    md.append("\n### Direct answers\n\nWhere the answer is a computed value, the plan gives it: ")
        .append(String.join("; ", answered))
        .append(
            ". Once every task it quotes has succeeded, the runtime renders it and the run ends without a"
                + " joiner call. ")
        .append(String.join(", ", judged))
        .append(
            " compare or judge their results, so their plans end with `join()` and the joiner answers, as the"
                + " planner's prompt asks. A batch of its own (")
        .append(options.repeats())
        .append(
            " repeats, same seed and models, systems interleaved) runs the workload with direct answers on (the"
                + " default) and off (`directAnswers(false)`), beside the strongest peer; ")
        .append(correct)
        .append(" of ")
        .append(direct.runs().size())
        .append(" runs correct. Medians.\n\n");
    md.append(
        "| workload | system | LLM calls | wall, s | first answer token, s | prompt tokens | completion tokens |"
            + " total tokens |\n|---|---|---|---|---|---|---|---|\n");
    for (Workload w : direct.workloads()) {
      for (String system : DIRECT_ANSWER_SYSTEMS) {
        md.append(
            row(
                w.name(),
                system,
                fmt(stat(direct, system, w.name(), Measurement::llmCalls).median(), 0),
                fmt(stat(direct, system, w.name(), Measurement::wallMs).median() / 1000, 2),
                fmt(stat(direct, system, w.name(), Measurement::firstAnswerMs).median() / 1000, 2),
                fmt(stat(direct, system, w.name(), Measurement::promptTokens).median(), 0),
                fmt(stat(direct, system, w.name(), Measurement::completionTokens).median(), 0),
                fmt(stat(direct, system, w.name(), Measurement::totalTokens).median(), 0)));
      }
      double on = stat(direct, SideBySide.STREAMING, w.name(), Measurement::totalTokens).median();
      double off =
          stat(direct, SideBySide.JOINER_ALWAYS, w.name(), Measurement::totalTokens).median();
      md.append("\n")
          .append(w.name())
          .append(": direct answers make the run ")
          .append(ratio(speedup(direct, SideBySide.JOINER_ALWAYS, SideBySide.STREAMING, w.name())))
          .append(" faster and ")
          .append(fmt(off / on, 2))
          .append(
              "x cheaper in tokens than a joiner call; over native FC, streaming, LLMCompiler is ")
          .append(
              ratio(speedup(direct, SideBySide.NATIVE_STREAMING, SideBySide.STREAMING, w.name())))
          .append(" with them and ")
          .append(
              ratio(
                  speedup(direct, SideBySide.NATIVE_STREAMING, SideBySide.JOINER_ALWAYS, w.name())))
          .append(" without. ");
    }
    md.append(
        "What they trade: the answer's wording is fixed when the plan is written, before any result is"
            + " known, so it can only restate results, never weigh them; the prompt allows it only where no judgment"
            + " is needed. If a task it quotes fails, or it renders to blank text, the joiner answers instead and is"
            + " told why, so a failed direct answer costs the joiner call a plain `join()` would have made.\n");
    return md.toString();
  }

  /** Section 3's concurrent runs: one row per JDK. */
  String concurrencyMarkdown() {
    StringBuilder md = new StringBuilder();
    int runs = concurrency.isEmpty() ? options.concurrentRuns() : concurrency.get(0).runs();
    md.append("\n### Concurrent runs\n\n")
        .append(String.format(Locale.ROOT, "%,d", runs))
        .append(
            " runs started at"
                + " once on one compiler with its default executor, in a fresh child JVM of each JDK (same classpath, default"
                + " JVM settings). The in-memory LLM streams each plan (3 parallel tasks and one that needs all three) on"
                + " timers: first line after ")
        .append(ConcurrencyBenchmark.FIRST_LINE_MS)
        .append(" ms, then one every ")
        .append(ConcurrencyBenchmark.LINE_GAP_MS)
        .append(" ms; each tool **blocks its thread** for ")
        .append(ConcurrencyBenchmark.TOOL_MS)
        .append(" ms (a blocking HTTP client), with a tool timeout of ")
        .append(ConcurrencyBenchmark.TOOL_TIMEOUT.toMillis())
        .append(" ms; the joiner answers after ")
        .append(ConcurrencyBenchmark.JOINER_MS)
        .append(" ms. So ")
        .append(String.format(Locale.ROOT, "%,d", 3 * runs))
        .append(" blocking calls want a thread at the same moment. Added latency = wall - floor (")
        .append(fmt(ConcurrencyBenchmark.floorMs(), 0))
        .append(" ms); a run is complete when it answered with every" + " task ok.\n\n");
    md.append(
        "| JDK | default executor | runs | complete | batch wall, s | added p50, ms | added p99, ms | added max, ms |"
            + " peak threads | peak heap, MB | peak RSS, MB |\n|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (ConcurrencyBenchmark.Result c : concurrency) {
      md.append(
          row(
              c.jdk(),
              c.executor(),
              c.runs(),
              c.completed() == c.runs()
                  ? String.valueOf(c.completed())
                  : "**" + c.completed() + "**",
              fmt(c.wallMs() / 1000, 2),
              fmt(c.addedP50Ms(), 1),
              fmt(c.addedP99Ms(), 1),
              fmt(c.addedMaxMs(), 1),
              c.peakThreads(),
              fmt(c.peakHeapMb(), 0),
              fmt(c.peakRssMb(), 0)));
    }
    md.append(
        "\nPeak threads counts the JVM's platform threads (virtual threads are not OS threads; their carriers"
            + " are counted), the benchmark's own included. Peak heap is the sum of the heap pools' peaks (an upper"
            + " bound); peak RSS is the process's resident memory (VmHWM), which also holds thread stacks.");
    for (ConcurrencyBenchmark.Result c : concurrency) {
      if (!c.firstFailure().isEmpty()) {
        md.append(" JDK ")
            .append(c.jdkFeature())
            .append(", first incomplete run: ")
            .append(c.firstFailure())
            .append('.');
      }
    }
    md.append('\n');
    return md.toString();
  }

  /** Section 5: the first call in a fresh JVM, without and with warm-up. */
  String firstCallMarkdown() {
    StringBuilder md = new StringBuilder();
    md.append("\n## 5. The first call in a fresh JVM\n\nEach row is ")
        .append(firstCall.of(FirstCallBenchmark.COLD).size())
        .append(
            " fresh `java` processes (this JDK, this classpath) that build an `OpenAiLlm`, optionally call"
                + " `warmUp().join()`, then make one first `chat` call and ")
        .append(firstCall.warmCalls())
        .append(
            " warm calls to the simulated LLM, which runs warmed up in a process of its own. The modes alternate"
                + " which goes first. Added = first call - median warm call of the same JVM; ms, median (min-max). The last"
                + " column is a second client's first call at the end of the same JVM: a new connection in a warm JVM, the"
                + " floor for any first call.\n\n");
    md.append(
        "| mode | build, ms | warmUp(), ms | first call, ms | warm call, ms | added over warm, ms |"
            + " classes loaded by the first call | second client's first call, ms |\n|---|---|---|---|---|---|---|---|\n");
    for (String mode : FirstCallBenchmark.MODES) {
      Stats warmUp = firstCall.stat(mode, FirstCallBenchmark.Probe::warmUpMs);
      md.append(
          row(
              mode,
              range(firstCall.stat(mode, FirstCallBenchmark.Probe::buildMs), 0),
              warmUp.count() == 0 ? "-" : range(warmUp, 0),
              range(firstCall.stat(mode, FirstCallBenchmark.Probe::firstCallMs), 1),
              range(firstCall.stat(mode, FirstCallBenchmark.Probe::warmCallMs), 1),
              "**" + range(firstCall.added(mode), 1) + "**",
              fmt(firstCall.stat(mode, FirstCallBenchmark.Probe::firstCallClasses).median(), 0),
              range(firstCall.stat(mode, FirstCallBenchmark.Probe::newClientFirstCallMs), 1)));
    }
    double cold = firstCall.added(FirstCallBenchmark.COLD).median();
    double warmed = firstCall.added(FirstCallBenchmark.WARMED).median();
    md.append("\nWith `warmUp()` first, the first call's added latency drops from ")
        .append(fmt(cold, 0))
        .append(" ms to ")
        .append(fmt(warmed, 1))
        .append(" ms (")
        .append(warmed > 0 ? fmt(cold / warmed, 0) + "x less; " : "")
        .append("goal: within ")
        .append(fmt(FirstCallBenchmark.TARGET_MS, 0))
        .append(" ms). The simulated LLM" + " received ")
        .append(firstCall.serverRequests())
        .append(" requests from the probes, ")
        .append(
            firstCall.serverRequests() == firstCall.expectedServerRequests()
                ? "exactly their first, warm and second-client calls: the warm-ups sent none."
                : "**not the " + firstCall.expectedServerRequests() + " their calls account for**.")
        .append(
            " What remains after warm-up is OkHttp's connection code (opening and using a first connection)"
                + " running for the first time; the new connection itself costs what the last column adds to a warm call."
                + " Over `https` the first call also pays the TLS handshake, of which warm-up runs only the ClientHello"
                + " offline.\n");
    return md.toString();
  }

  /** Section 6: the JSON plan beside the text plan, in time and tokens. */
  String planFormats() {
    StringBuilder md = new StringBuilder();
    md.append(
            "\n## 6. Plan formats: text and JSON\n\nThe same runtime and workloads with `planFormat(PlanFormat.JSON)`:"
                + " the planner asks for `{\"tasks\":[{\"id\":1,\"tool\":\"search\",\"args\":{...}}, ...]}` with the plan's JSON"
                + " Schema as `response_format` (")
        .append(sideBySide.planSchemaTokens())
        .append(
            " tokens of schema, which this simulator does not bill) and"
                + " streams tasks to the executor as their objects close. Its planner system prompt is ")
        .append(sideBySide.jsonPlannerPromptTokens())
        .append(" tokens against the text plan's ")
        .append(sideBySide.plannerPromptTokens())
        .append(". Medians; ratios are JSON / text.\n\n");
    md.append(
        "| workload | text plan, s | JSON plan, s | time ratio | completion tokens, text | JSON | tokens ratio |"
            + " prompt tokens, text | JSON |\n|---|---|---|---|---|---|---|---|---|\n");
    for (Workload w : sideBySide.workloads()) {
      double text = wall(SideBySide.STREAMING, w.name()).median();
      double json = wall(SideBySide.JSON, w.name()).median();
      double textOut = stat(SideBySide.STREAMING, w.name(), Measurement::completionTokens).median();
      double jsonOut = stat(SideBySide.JSON, w.name(), Measurement::completionTokens).median();
      md.append(
          row(
              w.name(),
              fmt(text / 1000, 2),
              fmt(json / 1000, 2),
              fmt(json / text, 2) + "x",
              fmt(textOut, 0),
              fmt(jsonOut, 0),
              fmt(jsonOut / textOut, 2) + "x",
              fmt(stat(SideBySide.STREAMING, w.name(), Measurement::promptTokens).median(), 0),
              fmt(stat(SideBySide.JSON, w.name(), Measurement::promptTokens).median(), 0)));
    }
    md.append(
        "\nA JSON plan spends more output tokens on syntax (braces, quotes, key names), and output tokens are"
            + " the slow ones, so with a model that already writes the text plan well JSON mode costs time; it is for"
            + " models that stray from the text format, where constrained decoding makes every plan readable.\n");
    return md.toString();
  }

  /** The sum of a workload's tool latencies, as a sequential system like ReAct pays them, ms. */
  double sequentialToolMs(Workload w) {
    ToolLatency latency =
        new ToolLatency(options.seed(), sideBySide.toolMeanMs(), options.timeScale());
    double sum = 0;
    for (Workload.Task task : w.tasks()) {
      sum += latency.duration(task.tool(), task.text()).toNanos() / 1e6;
    }
    return sum;
  }

  /**
   * The tools on the workload's longest path, ms: the time every system waits for its tools however
   * early it starts them (a round starts after the previous round's tasks).
   */
  double criticalToolMs(Workload w) {
    ToolLatency latency =
        new ToolLatency(options.seed(), sideBySide.toolMeanMs(), options.timeScale());
    Map<Integer, Double> endMs = new LinkedHashMap<>();
    double roundStart = 0;
    for (Workload.Round round : w.rounds()) {
      double roundEnd = roundStart;
      for (Workload.Task task : round.tasks()) {
        double start = roundStart;
        for (int dependency : task.context()) {
          start = Math.max(start, endMs.getOrDefault(dependency, roundStart));
        }
        double end = start + latency.duration(task.tool(), task.text()).toNanos() / 1e6;
        endMs.put(task.id(), end);
        roundEnd = Math.max(roundEnd, end);
      }
      roundStart = roundEnd;
    }
    return roundStart;
  }

  /** Explains each missed target with figures from this run. */
  String whyMissed() {
    StringBuilder md = new StringBuilder();
    List<String> missedReAct = new ArrayList<>();
    for (Workload w : sideBySide.workloads()) {
      if (w.paperSpeedup() > 0
          && speedup(SideBySide.REACT, SideBySide.STREAMING, w.name()).median()
              < w.paperSpeedup()) {
        missedReAct.add(w.name());
      }
    }
    List<String> missedPeer = new ArrayList<>();
    for (Workload w : sideBySide.workloads()) {
      Double target = PEER_TARGETS.get(w.name());
      if (target != null
          && speedup(bestPeer(w.name()), SideBySide.STREAMING, w.name()).median() < target) {
        missedPeer.add(w.name());
      }
    }
    List<String> missedTokens = new ArrayList<>();
    for (Workload w : sideBySide.workloads()) {
      if (stat(SideBySide.STREAMING, w.name(), Measurement::totalTokens).median()
          > stat(SideBySide.NATIVE, w.name(), Measurement::totalTokens).median()) {
        missedTokens.add(w.name());
      }
    }
    Stats warmedFirstCall = firstCall.added(FirstCallBenchmark.WARMED);
    boolean missedFirstCall = warmedFirstCall.median() > FirstCallBenchmark.TARGET_MS;
    if (missedReAct.isEmpty()
        && missedPeer.isEmpty()
        && missedTokens.isEmpty()
        && !missedFirstCall) {
      return "";
    }
    md.append("\n## Where a target is missed, and why\n\n");
    for (String name : missedReAct) {
      Workload w =
          sideBySide.workloads().stream()
              .filter(x -> x.name().equals(name))
              .findFirst()
              .orElseThrow();
      double reactWall = wall(SideBySide.REACT, name).median();
      double calls = stat(SideBySide.REACT, name, Measurement::llmCalls).median();
      double tools = sequentialToolMs(w);
      double perCall = (reactWall - tools) / calls;
      md.append("* **Speedup over ReAct, ")
          .append(name)
          .append("**: ")
          .append(fmt(speedup(SideBySide.REACT, SideBySide.STREAMING, name).median(), 2))
          .append("x against the paper's ")
          .append(fmt(w.paperSpeedup(), 2))
          .append("x. ReAct made ")
          .append(fmt(calls, 0))
          .append(" LLM calls of about ")
          .append(fmt(perCall / 1000, 2))
          .append(" s each and ran its tools one after another (")
          .append(fmt(tools / 1000, 2))
          .append(
              " s); LLMCompiler made 2 calls and overlapped the tools with the plan. The gap to the paper is in"
                  + " ReAct's cost per turn: our scripted ReAct writes a one-line thought, and its prompt has no few-shot"
                  + " trajectories, while ReAct prompts as usually run carry several; and a scripted model never takes the"
                  + " extra or repeated steps real models take. We did not lengthen ReAct's replies to reach the paper's"
                  + " figure.\n");
    }
    double decodeMs = sideBySide.latency().decodeMsPerToken() * options.timeScale();
    for (String name : missedPeer) {
      Workload w =
          sideBySide.workloads().stream()
              .filter(x -> x.name().equals(name))
              .findFirst()
              .orElseThrow();
      String peer = bestPeer(name);
      double target = PEER_TARGETS.get(name);
      double ours = wall(SideBySide.STREAMING, name).median();
      double theirs = wall(peer, name).median();
      double tools = criticalToolMs(w);
      double ourCalls = stat(SideBySide.STREAMING, name, Measurement::llmCalls).median();
      double theirCalls = stat(peer, name, Measurement::llmCalls).median();
      double ourCompletion =
          stat(SideBySide.STREAMING, name, Measurement::completionTokens).median();
      double theirCompletion = stat(peer, name, Measurement::completionTokens).median();
      md.append("* **Over the best peer, ")
          .append(name)
          .append("**: ")
          .append(fmt(speedup(peer, SideBySide.STREAMING, name).median(), 2))
          .append("x against ")
          .append(fmt(target, 2))
          .append("x (")
          .append(peer)
          .append(": ")
          .append(fmt(theirs / 1000, 2))
          .append(" s, LLMCompiler: ")
          .append(fmt(ours / 1000, 2))
          .append(" s). Both wait for the tools on the graph's longest path, ")
          .append(fmt(tools / 1000, 2))
          .append(" s, however early they start them. The rest of each run: LLMCompiler ")
          .append(fmt((ours - tools) / 1000, 2))
          .append(" s (")
          .append(calls(ourCalls))
          .append(" decoding ")
          .append(fmt(ourCompletion, 0))
          .append(" completion tokens, about ")
          .append(fmt(ourCompletion * decodeMs / 1000, 2))
          .append(" s at ")
          .append(fmt(decodeMs, 1))
          .append(" ms per token, partly while tools run), the peer ")
          .append(fmt((theirs - tools) / 1000, 2))
          .append(" s (")
          .append(calls(theirCalls))
          .append(", ")
          .append(fmt(theirCompletion, 0))
          .append(" tokens, about ")
          .append(fmt(theirCompletion * decodeMs / 1000, 2))
          .append(" s); ")
          .append(fmt(target, 2))
          .append("x would leave LLMCompiler ")
          .append(fmt((theirs / target - tools) / 1000, 2))
          .append(" s beyond the tools. Time to the first answer token: ")
          .append(
              fmt(stat(SideBySide.STREAMING, name, Measurement::firstAnswerMs).median() / 1000, 2))
          .append(" s against ")
          .append(fmt(stat(peer, name, Measurement::firstAnswerMs).median() / 1000, 2))
          .append(
              theirCalls <= ourCalls
                  ? " s. Every independent call fits into one native turn here, so the peer needs no more model turns"
                      + " than LLMCompiler; what is left between them is the tokens each turn decodes and how early each"
                      + " tool starts.\n"
                  : " s. The peer needs a model turn per level of the graph; LLMCompiler plans the whole graph in"
                      + " one call and runs at its floor, so what is left is its planner's time to the lines the"
                      + " longest path needs.\n");
    }
    if (missedFirstCall) {
      List<String> probes = new ArrayList<>();
      firstCall.of(FirstCallBenchmark.WARMED).forEach(p -> probes.add(fmt(p.addedMs(), 1)));
      md.append("* **First call after warmUp()**: +")
          .append(fmt(warmedFirstCall.median(), 1))
          .append(" ms at the" + " median against ")
          .append(fmt(FirstCallBenchmark.TARGET_MS, 0))
          .append(" ms; the fresh JVMs added ")
          .append(String.join(", ", probes))
          .append(" ms (without warm-up: +")
          .append(fmt(firstCall.added(FirstCallBenchmark.COLD).median(), 0))
          .append(
              " ms). Each probe is one first"
                  + " call in a new process, so it is as noisy as the machine: the load average was ")
          .append(machine().get("loadAverage (1/5/15 min, at the end)"))
          .append(" at the end of this run, on 2 cores.\n");
    }
    for (String name : missedTokens) {
      Workload w =
          sideBySide.workloads().stream()
              .filter(x -> x.name().equals(name))
              .findFirst()
              .orElseThrow();
      double ours = stat(SideBySide.STREAMING, name, Measurement::totalTokens).median();
      double theirs = stat(SideBySide.NATIVE, name, Measurement::totalTokens).median();
      int planners = w.rounds().size();
      int joiners =
          (int) stat(SideBySide.STREAMING, name, Measurement::llmCalls).median() - planners;
      int turns = (int) stat(SideBySide.NATIVE, name, Measurement::llmCalls).median();
      int ourFixed =
          planners * sideBySide.plannerPromptTokens() + joiners * sideBySide.joinerPromptTokens();
      int theirFixed = turns * sideBySide.toolDefinitionTokens();
      md.append("* **Tokens at or below native FC's, ")
          .append(name)
          .append("**: LLMCompiler ")
          .append(fmt(ours, 0))
          .append(" (")
          .append(fmt(stat(SideBySide.STREAMING, name, Measurement::promptTokens).median(), 0))
          .append(" prompt + ")
          .append(fmt(stat(SideBySide.STREAMING, name, Measurement::completionTokens).median(), 0))
          .append(" completion) against ")
          .append(fmt(theirs, 0))
          .append(" (")
          .append(fmt(stat(SideBySide.NATIVE, name, Measurement::promptTokens).median(), 0))
          .append(" + ")
          .append(fmt(stat(SideBySide.NATIVE, name, Measurement::completionTokens).median(), 0))
          .append("). The fixed part of each prompt: LLMCompiler's ")
          .append(planners)
          .append(planners == 1 ? " planner call carries" : " planner calls carry")
          .append(" the ")
          .append(sideBySide.plannerPromptTokens())
          .append("-token planner prompt and its ")
          .append(joiners)
          .append(joiners == 1 ? " joiner call" : " joiner calls")
          .append(" the ")
          .append(sideBySide.joinerPromptTokens())
          .append("-token joiner prompt, ")
          .append(ourFixed)
          .append(" tokens; native FC's ")
          .append(turns)
          .append(" turns each carry the ")
          .append(sideBySide.toolDefinitionTokens())
          .append("-token tool definitions, ")
          .append(theirFixed)
          .append(" tokens. That accounts for ")
          .append(ourFixed - theirFixed)
          .append(" of the ")
          .append(fmt(ours - theirs, 0))
          .append(" tokens between them")
          .append(
              ourFixed - theirFixed >= ours - theirs
                  ? " (the rest of LLMCompiler's prompts, the question and results, is the smaller)."
                  : "; the rest is the question and the results that each call restates.")
          .append(
              " The planner's rules and examples are what the native loop gets for free from the provider's"
                  + " trained tool-calling format; it pays for each turn instead, which is why LLMCompiler is"
                  + " cheaper wherever the native loop needs more turns than LLMCompiler makes calls.\n");
    }
    return md.toString();
  }

  private static String calls(double count) {
    return fmt(count, 0) + (count == 1 ? " model call" : " model calls");
  }

  private static String langchain4jVersion() {
    Package p = dev.langchain4j.service.AiServices.class.getPackage();
    String v = p == null ? null : p.getImplementationVersion();
    return v == null ? "1.19.0" : v;
  }

  /** A markdown table row of these cells. */
  static String row(Object... cells) {
    StringBuilder row = new StringBuilder("|");
    for (Object cell : cells) {
      row.append(' ').append(cell).append(" |");
    }
    return row.append('\n').toString();
  }

  /** A median (min-max) of milliseconds, in seconds. */
  static String seconds(Stats ms) {
    return fmt(ms.median() / 1000, 2)
        + " ("
        + fmt(ms.min() / 1000, 2)
        + "-"
        + fmt(ms.max() / 1000, 2)
        + ")";
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
