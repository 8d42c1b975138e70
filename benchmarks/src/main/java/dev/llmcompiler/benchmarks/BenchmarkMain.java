package dev.llmcompiler.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs the whole benchmark and writes {@code REPORT.md}, {@code report.json} and {@code chart.svg}
 * into the output folder.
 *
 * <pre>
 * java -jar benchmarks/target/llmcompiler-benchmarks.jar --out benchmarks
 * java -jar benchmarks/target/llmcompiler-benchmarks.jar --smoke --out /tmp/bench   # ~30 s check
 * </pre>
 *
 * <p>Options: {@code --repeats N} (default 3), {@code --time-scale X} (default 1.0 = real time;
 * every simulated LLM and tool delay is multiplied by it), {@code --seed S} (default 42), {@code
 * --tokenizer cl100k|o200k} (default cl100k, GPT-3.5's), {@code --concurrent-runs N} (default 2000,
 * run in a child JVM of this JDK and of the other one), {@code --other-jdk PATH} (the other JDK's
 * home; default {@code /usr/lib/jvm/temurin-25-jdk-amd64} from JDK 17, {@code
 * /usr/lib/jvm/java-17-openjdk-amd64} from JDK 21+), {@code --smoke} (1 repeat at time scale 0.1,
 * smaller overhead and concurrency runs, one fresh JVM per first-call mode).
 */
public final class BenchmarkMain {
  private BenchmarkMain() {}

  /** Runs the benchmark with command-line options; see the class comment. */
  public static void main(String[] args) throws Exception {
    Options options = Options.parse(args);
    Path report = run(options, String.join(" ", args));
    System.out.println("Report written to " + report.toAbsolutePath());
    // The HTTP clients' pools keep non-daemon threads for a while; the report is written, so end
    // now.
    System.exit(0);
  }

  /** Runs everything and returns the path of REPORT.md. */
  static Path run(Options options, String argsLine) throws Exception {
    long started = System.nanoTime();
    Files.createDirectories(options.out());
    Log log = new Log(started);
    log.line(
        "LLMCompiler benchmarks: repeats="
            + options.repeats()
            + ", time scale="
            + options.timeScale()
            + ", seed="
            + options.seed()
            + ", tokenizer="
            + options.tokenizer()
            + (options.smoke() ? ", SMOKE" : ""));
    SideBySide.Result sideBySide = SideBySide.run(options, log::line);
    // Sensitivity: the slower, older GPT-3.5 measurement, on the two single-level shapes, one
    // repeat.
    SideBySide.Result slower =
        SideBySide.run(
            options,
            LatencyModel.GPT_35_TURBO_2023,
            List.of(Workload.hotpotQa(), Workload.movie()),
            Report.SENSITIVITY_SYSTEMS,
            1,
            "slower model: ",
            log::line);
    // Direct answers on and off, on the workloads whose answer is a computed value.
    SideBySide.Result direct =
        SideBySide.run(
            options,
            LatencyModel.GPT_35_TURBO,
            Workload.all().stream().filter(w -> w.directAnswer() != null).toList(),
            Report.DIRECT_ANSWER_SYSTEMS,
            options.repeats(),
            "direct answers: ",
            log::line);
    List<Integer> sizes = options.smoke() ? List.of(10, 100, 1000) : List.of(10, 100, 1000, 10000);
    List<OverheadBenchmark.Result> overhead =
        OverheadBenchmark.run(sizes, options.smoke() ? 5_000 : 100_000, log::line);
    List<ConcurrencyBenchmark.Result> concurrency =
        ConcurrencyBenchmark.runOnEach(
            ConcurrencyBenchmark.jdks(options.otherJdk()), options.concurrentRuns(), log::line);
    int jvms = options.smoke() ? FirstCallBenchmark.SMOKE_REPEATS : FirstCallBenchmark.REPEATS;
    FirstCallBenchmark.Result firstCall =
        FirstCallBenchmark.run(
            jvms, options.smoke() ? 3 : FirstCallBenchmark.WARM_CALLS, log::line);
    log.line(
        String.format(
            Locale.ROOT,
            "first call: added over a warm call %.0f ms without warm-up, %.1f ms with",
            firstCall.added(FirstCallBenchmark.COLD).median(),
            firstCall.added(FirstCallBenchmark.WARMED).median()));
    double totalSeconds = (System.nanoTime() - started) / 1e9;
    Report report =
        new Report(
            options,
            argsLine,
            Instant.now(),
            totalSeconds,
            sideBySide,
            slower,
            direct,
            overhead,
            concurrency,
            firstCall);
    report.write(options.out());
    log.line(String.format(Locale.ROOT, "done in %.0f s", totalSeconds));
    return options.out().resolve("REPORT.md");
  }

  /** Command-line options. */
  record Options(
      Path out,
      int repeats,
      double timeScale,
      long seed,
      String tokenizer,
      int concurrentRuns,
      Path otherJdk,
      boolean smoke) {
    static Options parse(String[] args) {
      Path out = Path.of("benchmarks");
      Integer repeats = null;
      Double timeScale = null;
      long seed = 42;
      String tokenizer = "cl100k";
      Integer concurrent = null;
      Path otherJdk = null;
      boolean smoke = false;
      List<String> list = new ArrayList<>(List.of(args));
      for (int i = 0; i < list.size(); i++) {
        String arg = list.get(i);
        switch (arg) {
          case "--smoke":
            smoke = true;
            break;
          case "--out":
            out = Path.of(value(list, ++i, arg));
            break;
          case "--repeats":
            repeats = Integer.parseInt(value(list, ++i, arg));
            break;
          case "--time-scale":
            timeScale = Double.parseDouble(value(list, ++i, arg));
            break;
          case "--seed":
            seed = Long.parseLong(value(list, ++i, arg));
            break;
          case "--tokenizer":
            tokenizer = value(list, ++i, arg);
            break;
          case "--concurrent-runs":
            concurrent = Integer.parseInt(value(list, ++i, arg));
            break;
          case "--other-jdk":
            otherJdk = Path.of(value(list, ++i, arg));
            break;
          default:
            throw new IllegalArgumentException(
                "Unknown option '"
                    + arg
                    + "'. Options: --out DIR, --repeats N,"
                    + " --time-scale X, --seed S, --tokenizer cl100k|o200k, --concurrent-runs N, --other-jdk PATH, --smoke.");
        }
      }
      int r = repeats != null ? repeats : smoke ? 1 : 3;
      double scale = timeScale != null ? timeScale : smoke ? 0.1 : 1.0;
      int c = concurrent != null ? concurrent : smoke ? 200 : 2000;
      if (r < 1 || !(scale > 0) || c < 1) {
        throw new IllegalArgumentException(
            "--repeats and --concurrent-runs must be at least 1 and --time-scale"
                + " positive; got "
                + r
                + ", "
                + c
                + ", "
                + scale
                + ".");
      }
      Tokens.named(tokenizer);
      return new Options(out, r, scale, seed, tokenizer, c, otherJdk, smoke);
    }

    private static String value(List<String> args, int index, String option) {
      if (index >= args.size()) {
        throw new IllegalArgumentException(option + " needs a value.");
      }
      return args.get(index);
    }
  }

  /** Progress lines with the elapsed time. */
  static final class Log {
    private final long started;

    Log(long started) {
      this.started = started;
    }

    void line(String text) {
      System.out.printf(Locale.ROOT, "[%6.1f s] %s%n", (System.nanoTime() - started) / 1e9, text);
    }
  }
}
