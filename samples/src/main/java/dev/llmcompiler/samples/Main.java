package dev.llmcompiler.samples;

import dev.llmcompiler.runtime.LlmCompiler;
import dev.llmcompiler.runtime.LlmCompilerException;
import dev.llmcompiler.runtime.ReActAgent;
import dev.llmcompiler.runtime.RunListener;
import dev.llmcompiler.runtime.RunResult;
import dev.llmcompiler.runtime.RunTrace;
import dev.llmcompiler.runtime.ToolApprover;
import dev.llmcompiler.runtime.ToolSet;
import dev.llmcompiler.runtime.llm.LlmClient;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The command-line demo: answers a question with the sample tools, showing the tasks run in
 * parallel and a timeline. Run {@code java -jar samples/target/llmcompiler-samples.jar --help}.
 */
public final class Main {
  static final int OK = 0;
  static final int FAILED = 1;
  static final int USAGE = 2;
  private static final int TIMELINE_WIDTH = 48;

  /** The model a run uses: the client, how to release it, and a line describing it. */
  record Model(LlmClient llm, AutoCloseable closer, String description) {}

  private Main() {}

  /** Runs the demo and exits with 0 (answered), 1 (the run failed) or 2 (bad arguments). */
  public static void main(String[] args) {
    if (McpCommand.handles(args)) {
      System.exit(McpCommand.run(args, System.out, System.err));
    }
    Charset charset = stdoutCharset();
    PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, charset);
    int code = run(args, out, System.err, System.getenv(), interactive(), charset);
    out.flush();
    System.exit(code);
  }

  /** The demo itself; returns the exit code. */
  static int run(
      String[] args,
      PrintStream out,
      PrintStream err,
      Map<String, String> env,
      boolean terminal,
      Charset charset) {
    CliOptions options;
    try {
      options = CliOptions.parse(args);
    } catch (CliOptions.UsageException e) {
      err.println("llmcompiler-samples: " + e.getMessage() + " (run with --help for usage)");
      return USAGE;
    }
    if (options.help()) {
      out.print(Help.text());
      return OK;
    }
    boolean offline =
        options.offline()
            || (blank(env.get("OPENAI_BASE_URL")) && blank(env.get("OPENAI_API_KEY")));
    if (offline && DemoQuestions.find(options.question()).isEmpty()) {
      out.println(
          "The offline demo model is a replay of recorded runs: it knows only these questions:"
              + ReplayLlm.knownQuestions());
      out.println();
      out.println(Help.REAL_MODEL);
      return FAILED;
    }
    Model model;
    try {
      model = offline ? offlineModel() : OpenAiModel.fromEnv();
    } catch (RuntimeException e) {
      err.println("llmcompiler-samples: cannot set up the model: " + e.getMessage());
      return FAILED;
    }
    try {
      printHeader(out, options, offline, model);
      // A console question cannot share the terminal with a live display that redraws it.
      boolean live = terminal && !options.plain() && !options.approve();
      return answer(options, model.llm(), offline, out, err, live, glyphs(charset));
    } catch (IOException e) {
      err.println("llmcompiler-samples: cannot write the trace: " + e);
      return FAILED;
    } finally {
      close(model, err);
    }
  }

  private static Model offlineModel() {
    ReplayLlm replay = new ReplayLlm(ReplayLlm.Pacing.REALISTIC);
    return new Model(replay, replay::close, "offline demo model");
  }

  private static void close(Model model, PrintStream err) {
    try {
      model.closer().close();
    } catch (Exception e) {
      err.println("llmcompiler-samples: closing the model failed: " + e);
    }
  }

  private static void printHeader(
      PrintStream out, CliOptions options, boolean offline, Model model) {
    out.println("Question: " + options.question());
    if (offline) {
      out.println(
          "Model:    OFFLINE REPLAY - recorded plans and answers for "
              + DemoQuestions.ALL.size()
              + " demo questions, streamed at a model's pace; the tools really run. No network, no key.");
      out.println(
          "          To ask your own questions, point the demo at a real model (see --help).");
    } else {
      out.println("Model:    " + model.description());
    }
    out.println(
        "Mode:     "
            + (options.react()
                ? "ReAct baseline (one tool call per LLM turn)"
                : "LLMCompiler (planned tasks run in parallel)")
            + ", search latency "
            + options.toolLatencyMs()
            + " ms");
    out.println();
  }

  private static int answer(
      CliOptions options,
      LlmClient llm,
      boolean offlineRun,
      PrintStream out,
      PrintStream err,
      boolean live,
      Timeline.Glyphs glyphs)
      throws IOException {
    List<ToolSet> tools =
        List.of(
            EncyclopediaTools.of(new Encyclopedia(Duration.ofMillis(options.toolLatencyMs()))),
            CalculatorTools.of(new Calculator()),
            CurrencyConverterTools.of(new CurrencyConverter()),
            PaymentsTools.of(new Payments()));
    RunClock clock = new RunClock();
    TimedLlm timed = new TimedLlm(llm, clock);
    ProgressView progress = new ProgressView(out, live, clock);
    RunResult result;
    try {
      result =
          options.react()
              ? runReact(options.question(), timed, tools, progress, clock)
              : runCompiler(
                  options.question(), timed, tools, progress, clock, approver(options, out));
    } catch (LlmCompilerException e) {
      progress.finish();
      err.println(
          "llmcompiler-samples: the run failed: "
              + e.getMessage()
              + (offlineRun ? "" : " To try the demo without a model, add --offline."));
      Optional<RunResult> partial = e.partialResult();
      if (partial.isPresent()) {
        writeTraces(options, partial.get().trace(), out);
      }
      return FAILED;
    }
    progress.finish();
    RunTrace trace = result.trace();
    out.println();
    out.println("Answer: " + result.answer());
    out.println();
    List<TimedLlm.Call> calls = timed.calls();
    out.print(
        Timeline.render(
            Timeline.bars(trace, calls, glyphs), trace.wallMs(), TIMELINE_WIDTH, glyphs));
    out.println();
    out.print(Timeline.Totals.of(trace, calls).render());
    writeTraces(options, trace, out);
    return OK;
  }

  private static RunResult runCompiler(
      String question,
      LlmClient llm,
      List<ToolSet> tools,
      RunListener listener,
      RunClock clock,
      ToolApprover approver) {
    LlmCompiler.Builder builder =
        LlmCompiler.builder()
            .llm(llm)
            .tools(tools)
            .listener(listener)
            .toolTimeout(Duration.ofMinutes(2));
    if (approver != null) {
      builder.approver(approver);
    }
    try (LlmCompiler compiler = builder.build()) {
      clock.start();
      return compiler.run(question);
    }
  }

  private static RunResult runReact(
      String question, LlmClient llm, List<ToolSet> tools, RunListener listener, RunClock clock) {
    try (ReActAgent agent =
        ReActAgent.builder()
            .llm(llm)
            .tools(tools)
            .listener(listener)
            .toolTimeout(Duration.ofMinutes(2))
            .build()) {
      clock.start();
      return agent.run(question);
    }
  }

  /**
   * With {@code --approve}: a person at the console allows or denies each call that changes data.
   */
  private static ToolApprover approver(CliOptions options, PrintStream out) {
    if (!options.approve()) {
      return null;
    }
    return new ConsoleApprover(new InputStreamReader(System.in, Charset.defaultCharset()), out);
  }

  /** Writes the files that {@code --trace-json} and {@code --trace-chrome} asked for. */
  private static void writeTraces(CliOptions options, RunTrace trace, PrintStream out)
      throws IOException {
    if (options.traceJson() != null) {
      write(options.traceJson(), trace.toJson());
      out.println("Trace written to " + options.traceJson());
    }
    if (options.traceChrome() != null) {
      write(options.traceChrome(), trace.toChromeTrace());
      out.println(
          "Chrome trace written to "
              + options.traceChrome()
              + " (open it in https://ui.perfetto.dev)");
    }
  }

  private static void write(Path file, String text) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }

  private static boolean blank(String value) {
    return value == null || value.isBlank();
  }

  private static Timeline.Glyphs glyphs(Charset charset) {
    return charset.newEncoder().canEncode("█▒×·") ? Timeline.Glyphs.UNICODE : Timeline.Glyphs.ASCII;
  }

  /** The encoding the terminal or pipe expects (JDK 19+ says so in stdout.encoding). */
  private static Charset stdoutCharset() {
    for (String property : new String[] {"stdout.encoding", "sun.stdout.encoding"}) {
      String name = System.getProperty(property);
      if (name != null && Charset.isSupported(name)) {
        return Charset.forName(name);
      }
    }
    return Charset.defaultCharset();
  }

  /**
   * Whether stdout is a terminal that can redraw. Up to JDK 21 {@code System.console()} is null
   * when a stream is redirected; newer JDKs may return a console anyway and answer through {@code
   * Console.isTerminal()}, looked up once here since this code compiles for Java 17.
   */
  private static boolean interactive() {
    java.io.Console console = System.console();
    if (console == null || "dumb".equals(System.getenv("TERM"))) {
      return false;
    }
    try {
      MethodHandle isTerminal =
          MethodHandles.publicLookup()
              .findVirtual(
                  java.io.Console.class, "isTerminal", MethodType.methodType(boolean.class));
      return (boolean) isTerminal.invoke(console);
    } catch (NoSuchMethodException | IllegalAccessException e) {
      return true;
    } catch (Throwable e) {
      return false;
    }
  }
}
