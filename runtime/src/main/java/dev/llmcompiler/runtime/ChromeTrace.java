package dev.llmcompiler.runtime;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmcompiler.runtime.internal.Json;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Writes a {@link RunTrace} in the Trace Event Format that Perfetto and {@code chrome://tracing}
 * open: one complete event ({@code "ph":"X"}) per model call and per task, on named rows ("threads"
 * of one process), so that a run reads like a profile.
 *
 * <p>Rows from top to bottom: the run with its rounds nested inside, then the model calls, then the
 * tasks. Tasks that ran at the same time go to different rows: each task takes the first row whose
 * last event ended before the task started (first fit by start time, which uses as few rows as the
 * most tasks that share a millisecond). Two events whose times share even one millisecond are never
 * on one row, so tasks that really overlapped are apart although the trace counts whole
 * milliseconds, and no event overlaps or appears nested in another on its row. Times are the
 * trace's milliseconds written as microseconds.
 */
final class ChromeTrace {
  private static final int PID = 1;
  private static final int RUN_ROW = 1;
  private static final int FIRST_LLM_ROW = 2;

  /** Leaves room for many model-call rows before the task rows; row ids only need to differ. */
  private static final int FIRST_TASK_ROW = 100;

  private ChromeTrace() {}

  static String write(RunTrace trace) {
    ObjectNode root = Json.object();
    ArrayNode events = root.putArray("traceEvents");
    metadata(events, "process_name", 0)
        .put("name", "LLMCompiler run: " + shorten(trace.question(), 80));
    row(events, RUN_ROW, "run");
    runEvents(events, trace);

    List<Timed<LlmCallTrace>> calls = new ArrayList<>();
    List<Timed<TaskTrace>> tasks = new ArrayList<>();
    for (int r = 0; r < trace.rounds().size(); r++) {
      RoundTrace round = trace.rounds().get(r);
      for (LlmCallTrace call : round.llmCalls()) {
        calls.add(new Timed<>(r + 1, call, call.startMs(), call.endMs()));
      }
      for (TaskTrace task : round.tasks()) {
        tasks.add(new Timed<>(r + 1, task, task.startMs(), task.endMs()));
      }
    }
    int[] callRows = assignRows(calls);
    int llmRows = rowCount(callRows);
    for (int i = 0; i < llmRows; i++) {
      row(events, FIRST_LLM_ROW + i, llmRows == 1 ? "LLM calls" : "LLM calls " + (i + 1));
    }
    for (int i = 0; i < calls.size(); i++) {
      Timed<LlmCallTrace> call = calls.get(i);
      ObjectNode event =
          complete(
              events,
              call.value().purpose() + " (round " + call.round() + ")",
              "llm",
              FIRST_LLM_ROW + callRows[i],
              call.startMs(),
              call.endMs());
      event
          .withObjectProperty("args")
          .put("round", call.round())
          .put("purpose", call.value().purpose());
    }
    int[] taskRows = assignRows(tasks);
    int taskRowCount = rowCount(taskRows);
    for (int i = 0; i < taskRowCount; i++) {
      row(events, FIRST_TASK_ROW + i, taskRowCount == 1 ? "tasks" : "tasks " + (i + 1));
    }
    for (int i = 0; i < tasks.size(); i++) {
      Timed<TaskTrace> timed = tasks.get(i);
      TaskTrace task = timed.value();
      ObjectNode event =
          complete(
              events,
              task.id() + ". " + task.tool(),
              "task",
              FIRST_TASK_ROW + taskRows[i],
              task.startMs(),
              task.endMs());
      ObjectNode args = event.withObjectProperty("args");
      args.put("round", timed.round()).put("status", task.status().json());
      args.set("args", task.args());
      ArrayNode dependsOn = args.putArray("dependsOn");
      task.dependsOn().forEach(dependsOn::add);
      task.result().ifPresent(result -> args.set("result", result));
      task.error().ifPresent(error -> args.put("error", error));
    }
    root.put("displayTimeUnit", "ms");
    return Json.write(root, false);
  }

  /** The whole run, and each round inside it from its first call or task to its last. */
  private static void runEvents(ArrayNode events, RunTrace trace) {
    ObjectNode run = complete(events, "run", "run", RUN_ROW, 0, trace.wallMs());
    run.withObjectProperty("args")
        .put("question", trace.question())
        .put("outcome", trace.outcome().name())
        .put("llmCalls", trace.llmCalls())
        .put("promptTokens", trace.promptTokens())
        .put("completionTokens", trace.completionTokens());
    long previousEnd = 0;
    for (int r = 0; r < trace.rounds().size(); r++) {
      RoundTrace round = trace.rounds().get(r);
      long start = Long.MAX_VALUE;
      long end = Long.MIN_VALUE;
      for (LlmCallTrace call : round.llmCalls()) {
        start = Math.min(start, call.startMs());
        end = Math.max(end, call.endMs());
      }
      for (TaskTrace task : round.tasks()) {
        start = Math.min(start, task.startMs());
        end = Math.max(end, task.endMs());
      }
      if (start == Long.MAX_VALUE) {
        continue;
      }
      // Kept inside the run and after the round before, so the nesting on the run's row stays
      // exact.
      start = Math.max(start, previousEnd);
      end = Math.min(Math.max(end, start), trace.wallMs());
      if (end < start) {
        continue;
      }
      ObjectNode slice =
          complete(
              events,
              "round " + (r + 1) + " (" + round.decision().json() + ")",
              "round",
              RUN_ROW,
              start,
              end);
      slice
          .withObjectProperty("args")
          .put("round", r + 1)
          .put("decision", round.decision().json())
          .put("tasks", round.tasks().size());
      previousEnd = end;
    }
  }

  /** Something with a time span and the round it belongs to. */
  private record Timed<T>(int round, T value, long startMs, long endMs) {
    long end() {
      return Math.max(startMs, endMs);
    }
  }

  /**
   * The row (counting from 0) of each item: first fit in order of start time, as the class comment
   * describes.
   */
  private static <T> int[] assignRows(List<Timed<T>> items) {
    Integer[] order = new Integer[items.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(
        order,
        Comparator.<Integer>comparingLong(i -> items.get(i).startMs())
            .thenComparingLong(i -> items.get(i).end()));
    int[] rows = new int[items.size()];
    List<Long> rowEnd = new ArrayList<>(); // per row: the end of its last item
    for (int index : order) {
      Timed<T> item = items.get(index);
      int row = 0;
      while (row < rowEnd.size() && rowEnd.get(row) >= item.startMs()) {
        row++;
      }
      if (row == rowEnd.size()) {
        rowEnd.add(item.end());
      } else {
        rowEnd.set(row, item.end());
      }
      rows[index] = row;
    }
    return rows;
  }

  private static int rowCount(int[] rows) {
    int count = 0;
    for (int row : rows) {
      count = Math.max(count, row + 1);
    }
    return count;
  }

  private static ObjectNode complete(
      ArrayNode events, String name, String category, int row, long startMs, long endMs) {
    ObjectNode event = events.addObject();
    event.put("name", name);
    event.put("cat", category);
    event.put("ph", "X");
    event.put("ts", startMs * 1000);
    event.put("dur", Math.max(0, endMs - startMs) * 1000);
    event.put("pid", PID);
    event.put("tid", row);
    event.putObject("args");
    return event;
  }

  /** Names row {@code tid} and keeps the rows in the order of their ids. */
  private static void row(ArrayNode events, int tid, String name) {
    metadata(events, "thread_name", tid).put("name", name);
    metadata(events, "thread_sort_index", tid).put("sort_index", tid);
  }

  /** Adds a metadata event and returns its arguments. */
  private static ObjectNode metadata(ArrayNode events, String kind, int tid) {
    ObjectNode event = events.addObject();
    event.put("name", kind);
    event.put("ph", "M");
    event.put("pid", PID);
    event.put("tid", tid);
    return event.putObject("args");
  }

  private static String shorten(String text, int max) {
    String flat = text.strip().replaceAll("\\s+", " ");
    return flat.length() > max ? flat.substring(0, max - 3) + "..." : flat;
  }
}
