package dev.llmcompiler.samples;

import dev.llmcompiler.runtime.RunTrace;
import dev.llmcompiler.runtime.TaskStatus;
import dev.llmcompiler.runtime.TaskTrace;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Draws a run as text: one bar per LLM call and per task on a common time axis, then the totals,
 * including what running the same work one step after another would have cost.
 *
 * <pre>
 * planner    |██████████                              |    0- 1010 ms
 * 1 search   |   ████████████                         |  260-  670 ms
 * </pre>
 */
final class Timeline {
  /** One row of the chart. */
  record Bar(String label, long startMs, long endMs, char fill) {}

  private Timeline() {}

  /** The rows of a run: LLM calls and tasks, in order of start. */
  static List<Bar> bars(RunTrace trace, List<TimedLlm.Call> llmCalls, Glyphs glyphs) {
    List<Bar> bars = new ArrayList<>();
    for (TimedLlm.Call call : llmCalls) {
      bars.add(new Bar(call.purpose(), call.startMs(), call.endMs(), glyphs.llm()));
    }
    for (TaskTrace task : trace.tasks()) {
      char fill =
          task.status() == TaskStatus.OK
              ? glyphs.ok()
              : task.status() == TaskStatus.ERROR ? glyphs.error() : glyphs.skipped();
      bars.add(new Bar(task.id() + " " + task.tool(), task.startMs(), task.endMs(), fill));
    }
    bars.sort(
        (a, b) ->
            a.startMs() != b.startMs()
                ? Long.compare(a.startMs(), b.startMs())
                : a.label().compareTo(b.label()));
    return bars;
  }

  /**
   * The chart: a header with the scale, then one line per bar, {@code width} columns of time each.
   */
  static String render(List<Bar> bars, long totalMs, int width, Glyphs glyphs) {
    long span = Math.max(1, Math.max(totalMs, bars.stream().mapToLong(Bar::endMs).max().orElse(0)));
    double msPerColumn = (double) span / width;
    int labelWidth = Math.max(8, bars.stream().mapToInt(b -> b.label().length()).max().orElse(0));
    labelWidth = Math.min(labelWidth, 24);
    int timeWidth = Long.toString(span).length();
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "Timeline: 0 to %d ms, one column = %s ms%n",
            span,
            Numbers.format(msPerColumn)));
    for (Bar bar : bars) {
      int from = (int) Math.min(width - 1, Math.floor(bar.startMs() / msPerColumn));
      int to = (int) Math.min(width, Math.max(from + 1, Math.ceil(bar.endMs() / msPerColumn)));
      StringBuilder line = new StringBuilder();
      for (int column = 0; column < width; column++) {
        line.append(column >= from && column < to ? bar.fill() : ' ');
      }
      String label =
          bar.label().length() > labelWidth ? bar.label().substring(0, labelWidth) : bar.label();
      out.append(
          String.format(
              Locale.ROOT,
              "  %-" + labelWidth + "s %c%s%c %" + timeWidth + "d-%" + timeWidth + "d ms%n",
              label,
              glyphs.edge(),
              line,
              glyphs.edge(),
              bar.startMs(),
              bar.endMs()));
    }
    return out.toString();
  }

  /** What the run cost, and what the same LLM calls and tasks would cost one after another. */
  record Totals(
      long wallMs,
      int llmCalls,
      long llmMs,
      long promptTokens,
      long completionTokens,
      int tasks,
      long taskMs) {
    static Totals of(RunTrace trace, List<TimedLlm.Call> calls) {
      long llmMs = calls.stream().mapToLong(c -> c.endMs() - c.startMs()).sum();
      long taskMs = trace.tasks().stream().mapToLong(t -> t.endMs() - t.startMs()).sum();
      return new Totals(
          trace.wallMs(),
          trace.llmCalls(),
          llmMs,
          trace.promptTokens(),
          trace.completionTokens(),
          trace.tasks().size(),
          taskMs);
    }

    /** Sum of task durations plus LLM time: the run with nothing overlapping. */
    long sequentialMs() {
      return taskMs + llmMs;
    }

    double speedup() {
      return wallMs == 0 ? 1 : (double) sequentialMs() / wallMs;
    }

    String render() {
      return String.format(
          Locale.ROOT,
          "Wall time %d ms | LLM calls %d (%d ms) | tokens %d (%d prompt + %d completion) | tasks %d (%d ms of tool time)%n"
              + "One step after another, the same calls and tasks would take %d ms: %sx the wall time.%n",
          wallMs,
          llmCalls,
          llmMs,
          promptTokens + completionTokens,
          promptTokens,
          completionTokens,
          tasks,
          taskMs,
          sequentialMs(),
          Numbers.format(speedup()));
    }
  }

  /**
   * The characters to draw with: block characters where the output can show them, ASCII otherwise.
   */
  record Glyphs(char llm, char ok, char error, char skipped, char edge) {
    static final Glyphs UNICODE = new Glyphs('▒', '█', '×', '·', '|');
    static final Glyphs ASCII = new Glyphs('=', '#', 'x', '.', '|');
  }
}
