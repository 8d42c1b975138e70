package dev.llmcompiler.samples;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmcompiler.runtime.JoinerDecision;
import dev.llmcompiler.runtime.RoundTrace;
import dev.llmcompiler.runtime.RunListener;
import dev.llmcompiler.runtime.TaskEvent;
import dev.llmcompiler.runtime.TaskStatus;
import dev.llmcompiler.runtime.TaskTrace;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Shows a run while it happens: tasks as they are planned, started and finished. On a terminal it
 * redraws one block of lines in place; otherwise (a pipe, a file, a CI log) it prints one line per
 * event, which reads well in logs and tests.
 */
final class ProgressView implements RunListener {
  private static final int MAX_LINE = 100;

  private final PrintStream out;
  private final boolean live;
  private final RunClock clock;
  private final Map<Integer, Row> rows = new LinkedHashMap<>();
  private String stage = "planning";
  private int drawnLines;

  /** One task's line. */
  private static final class Row {
    final String call;
    String state = "planned";
    String detail = "";

    Row(String call) {
      this.call = call;
    }
  }

  ProgressView(PrintStream out, boolean live, RunClock clock) {
    this.out = out;
    this.live = live;
    this.clock = clock;
  }

  @Override
  public synchronized void onRunStarted(String question, long startNanos) {
    // The live times, the timed model's and the trace's then share one axis.
    clock.startAt(startNanos);
  }

  @Override
  public synchronized void onRoundStarted(int round) {
    stage = round == 1 ? "planning" : "planning round " + round;
    event("round " + round + ": planning");
  }

  @Override
  public synchronized void onTaskParsed(TaskEvent task) {
    // A rejected line may not even name a tool: show it as the planner wrote it.
    String call = task.error().isPresent() ? task.line().strip() : call(task);
    rows.put(task.id(), new Row(call));
    event(
        task.atMs(),
        "planned  "
            + (task.error().isPresent()
                ? call + "  (cannot run: " + task.error().get() + ")"
                : task.id() + ". " + call));
  }

  @Override
  public synchronized void onTaskDispatched(TaskEvent task) {
    Row row = rows.computeIfAbsent(task.id(), id -> new Row(call(task)));
    row.state = "running";
    stage = "running tools";
    event(task.atMs(), "running  " + task.id() + ". " + task.tool() + " " + task.arguments());
  }

  /** A task as a call, e.g. {@code math(expression="${2.value} - ${1.value}")}. */
  private static String call(TaskEvent task) {
    StringJoiner call = new StringJoiner(", ", task.tool() + "(", ")");
    task.arguments()
        .fields()
        .forEachRemaining(argument -> call.add(argument.getKey() + "=" + argument.getValue()));
    return call.toString();
  }

  @Override
  public synchronized void onTaskFinished(int round, TaskTrace task) {
    Row row = rows.computeIfAbsent(task.id(), id -> new Row(task.tool()));
    long ms = task.endMs() - task.startMs();
    if (task.status() == TaskStatus.OK) {
      row.state = "done";
      row.detail = ms + " ms -> " + task.result().map(JsonNode::toString).orElse("null");
    } else {
      row.state = task.status() == TaskStatus.ERROR ? "failed" : "skipped";
      row.detail = task.error().orElse("");
    }
    event(
        task.endMs(),
        String.format(
            Locale.ROOT, "%-8s %d. %s (%s)", row.state, task.id(), task.tool(), row.detail));
  }

  @Override
  public synchronized void onJoinerDecision(int round, JoinerDecision decision, String text) {
    stage = decision == JoinerDecision.FINISH ? "answered" : "replanning: " + text;
    event("joiner   " + decision.json());
  }

  @Override
  public synchronized void onRoundEnded(int round, RoundTrace trace) {
    if (!trace.tasks().isEmpty()
        && trace.tasks().stream().allMatch(t -> rows.containsKey(t.id()))
        && stage.equals("running tools")) {
      stage = "joining";
    }
    redraw();
  }

  /** Clears the live block, so what follows starts on a clean line. */
  synchronized void finish() {
    if (live) {
      redraw();
      drawnLines = 0;
    }
  }

  /**
   * An event that happened now, as far as this view can tell (events without a time of their own).
   */
  private void event(String line) {
    event(clock.elapsedMs(), line);
  }

  /** An event that happened {@code atMs} after the run started. */
  private void event(long atMs, String line) {
    if (live) {
      if (stage.equals("running tools")
          && rows.values().stream()
              .noneMatch(r -> r.state.equals("running") || r.state.equals("planned"))) {
        stage = "joining";
      }
      redraw();
    } else {
      out.printf(Locale.ROOT, "[%6d ms] %s%n", atMs, clip(line));
      out.flush();
    }
  }

  private void redraw() {
    if (!live) {
      return;
    }
    List<String> lines = new ArrayList<>();
    lines.add(String.format(Locale.ROOT, "%5.1f s  %s", clock.elapsedSeconds(), stage));
    rows.forEach(
        (id, row) ->
            lines.add(
                String.format(
                    Locale.ROOT, "  %-8s %d. %s  %s", row.state, id, row.call, row.detail)));
    StringBuilder frame = new StringBuilder();
    if (drawnLines > 0) {
      // Back to the first line of the previous frame, and clear everything below.
      frame.append("\033[").append(drawnLines).append('F').append("\033[J");
    }
    for (String line : lines) {
      frame.append(clip(line)).append('\n');
    }
    out.print(frame);
    out.flush();
    drawnLines = lines.size();
  }

  /** Keeps a line within one terminal row, so redrawing never miscounts wrapped lines. */
  private static String clip(String line) {
    String single = line.replace('\n', ' ');
    return single.length() <= MAX_LINE ? single : single.substring(0, MAX_LINE - 3) + "...";
  }
}
