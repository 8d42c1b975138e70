package dev.llmcompiler.samples;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The demo's command line, parsed: a question (the seed question when none is given) and options.
 *
 * @param question the question to answer
 * @param offline whether {@code --offline} forces the offline demo model
 * @param react whether {@code --react} runs the ReAct baseline instead of LLMCompiler
 * @param traceJson where {@code --trace-json} writes the trace, or {@code null}
 * @param traceChrome where {@code --trace-chrome} writes the trace for Perfetto and
 *     chrome://tracing, or {@code null}
 * @param toolLatencyMs the simulated latency of each {@code search}, in ms
 * @param plain whether {@code --plain} asks for line-based progress even on a terminal
 * @param help whether {@code --help} was asked for
 * @param approve whether {@code --approve} asks at the console before each call that changes data
 */
record CliOptions(
    String question,
    boolean offline,
    boolean react,
    Path traceJson,
    Path traceChrome,
    long toolLatencyMs,
    boolean plain,
    boolean help,
    boolean approve) {
  static final long DEFAULT_TOOL_LATENCY_MS = 400;
  static final long MAX_TOOL_LATENCY_MS = 60_000;

  /** A command-line mistake: the message is shown as one line, and the demo exits with code 2. */
  static final class UsageException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }

  /**
   * Reads the arguments: options anywhere, every other word part of the question, {@code --} to end
   * the options.
   *
   * @throws UsageException on an unknown option, a missing or bad option value, or an empty
   *     question
   */
  static CliOptions parse(String... args) {
    boolean offline = false;
    boolean react = false;
    boolean plain = false;
    boolean help = false;
    boolean approve = false;
    Path traceJson = null;
    Path traceChrome = null;
    long latency = DEFAULT_TOOL_LATENCY_MS;
    List<String> words = new ArrayList<>();
    boolean optionsEnded = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (optionsEnded || !arg.startsWith("-") || arg.equals("-")) {
        words.add(arg);
        continue;
      }
      String name = arg;
      String value = null;
      int equals = arg.indexOf('=');
      if (arg.startsWith("--") && equals > 0) {
        name = arg.substring(0, equals);
        value = arg.substring(equals + 1);
      }
      switch (name) {
        case "--":
          optionsEnded = true;
          break;
        case "-h":
        case "--help":
          help = true;
          break;
        case "--offline":
          offline = flag(name, value);
          break;
        case "--react":
          react = flag(name, value);
          break;
        case "--plain":
          plain = flag(name, value);
          break;
        case "--approve":
          approve = flag(name, value);
          break;
        case "--trace-json":
        case "--trace-chrome":
          String example =
              name.equals("--trace-json")
                  ? "--trace-json trace.json"
                  : "--trace-chrome trace.chrome.json";
          if (value == null) {
            value = next(args, ++i, name, "a file name, e.g. " + example);
          }
          if (value.isBlank()) {
            throw new UsageException(name + " needs a file name, e.g. " + example);
          }
          if (name.equals("--trace-json")) {
            traceJson = Path.of(value);
          } else {
            traceChrome = Path.of(value);
          }
          break;
        case "--tool-latency-ms":
          if (value == null) {
            value = next(args, ++i, name, "a number of milliseconds, e.g. --tool-latency-ms 400");
          }
          latency = latency(value);
          break;
        default:
          throw new UsageException("unknown option '" + arg + "'");
      }
    }
    String question = String.join(" ", words).strip();
    if (!words.isEmpty() && question.isEmpty()) {
      throw new UsageException(
          "the question is empty; give a question in quotes, or none for the demo question");
    }
    return new CliOptions(
        question.isEmpty() ? DemoQuestions.SEED : question,
        offline,
        react,
        traceJson,
        traceChrome,
        latency,
        plain,
        help,
        approve);
  }

  private static boolean flag(String name, String value) {
    if (value != null) {
      throw new UsageException(name + " takes no value, got '" + value + "'");
    }
    return true;
  }

  private static String next(String[] args, int index, String name, String what) {
    if (index >= args.length || (args[index].startsWith("--") && args[index].length() > 2)) {
      throw new UsageException(name + " needs " + what);
    }
    return args[index];
  }

  private static long latency(String value) {
    long latency;
    try {
      latency = Long.parseLong(value.strip());
    } catch (NumberFormatException e) {
      latency = -1;
    }
    if (latency < 0 || latency > MAX_TOOL_LATENCY_MS) {
      throw new UsageException(
          "--tool-latency-ms must be a whole number of milliseconds from 0 to "
              + MAX_TOOL_LATENCY_MS
              + ", got '"
              + value
              + "'");
    }
    return latency;
  }
}
