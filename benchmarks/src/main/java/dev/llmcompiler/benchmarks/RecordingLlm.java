package dev.llmcompiler.benchmarks;

import dev.llmcompiler.runtime.llm.LlmClient;
import dev.llmcompiler.runtime.llm.LlmRequest;
import dev.llmcompiler.runtime.llm.LlmResponse;
import dev.llmcompiler.runtime.llm.LlmStreamListener;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An {@link LlmClient} wrapper that records, for the floor, when each call started and ended and
 * when each plan line ({@code N. tool(...)}) or, in JSON plan mode, each task object ({@code
 * {"id":N,...}}) arrived on the wire, before anything of the framework sees it; and, for the time
 * to the first answer token, when each piece of text arrived. One run at a time: {@link #reset()}
 * before each.
 */
final class RecordingLlm implements LlmClient {
  private static final Pattern TASK_LINE =
      Pattern.compile("^\\s*(\\d+)\\.\\s*[A-Za-z_]\\w*\\s*\\(");
  private static final Pattern TASK_ID = Pattern.compile("\"id\"\\s*:\\s*(\\d+)");

  /**
   * One call: its purpose, start and end (nanoTime), and the arrival of each task line and text
   * delta.
   */
  static final class Call {
    final String purpose;
    final long startNanos;
    volatile long endNanos;
    final Map<Integer, Long> lineNanos = new LinkedHashMap<>();
    private final StringBuilder pendingLine = new StringBuilder();

    /**
     * A JSON plan: tasks are the objects inside the "tasks" list, at depth 3 of braces and
     * brackets.
     */
    private final boolean json;

    private int depth;
    private boolean inString;
    private boolean escaped;
    private final StringBuilder text = new StringBuilder();

    /** For each delta: the text's length after it, and when it arrived. */
    private final List<long[]> deltas = new ArrayList<>();

    Call(String purpose, long startNanos, boolean json) {
      this.purpose = purpose;
      this.startNanos = startNanos;
      this.json = json;
    }

    synchronized void text(String delta, long now) {
      text.append(delta);
      deltas.add(new long[] {text.length(), now});
      if (json) {
        json(delta, now);
        return;
      }
      for (int i = 0; i < delta.length(); i++) {
        char c = delta.charAt(i);
        if (c == '\n') {
          line(now);
        } else {
          pendingLine.append(c);
        }
      }
    }

    /**
     * Records a task when its object closes: a '}' back to the "tasks" list's depth, outside
     * strings.
     */
    private void json(String delta, long now) {
      for (int i = 0; i < delta.length(); i++) {
        char c = delta.charAt(i);
        if (depth >= 3) {
          pendingLine.append(c);
        }
        if (inString) {
          if (escaped) {
            escaped = false;
          } else if (c == '\\') {
            escaped = true;
          } else if (c == '"') {
            inString = false;
          }
        } else if (c == '"') {
          inString = true;
        } else if (c == '{' || c == '[') {
          if (++depth == 3) {
            pendingLine.setLength(0);
            pendingLine.append(c);
          }
        } else if (c == '}' || c == ']') {
          if (depth-- == 3) {
            Matcher id = TASK_ID.matcher(pendingLine);
            if (id.find()) {
              lineNanos.putIfAbsent(Integer.parseInt(id.group(1)), now);
            }
            pendingLine.setLength(0);
          }
        }
      }
    }

    synchronized void end(long now) {
      if (!json) {
        line(now);
      }
      endNanos = now;
    }

    private void line(long now) {
      Matcher task = TASK_LINE.matcher(pendingLine);
      if (task.find()) {
        lineNanos.putIfAbsent(Integer.parseInt(task.group(1)), now);
      }
      pendingLine.setLength(0);
    }

    double durationMs() {
      return (endNanos - startNanos) / 1e6;
    }

    synchronized Map<Integer, Long> lines() {
      return new LinkedHashMap<>(lineNanos);
    }

    /** Whether the call's text so far contains {@code marker}. */
    synchronized boolean contains(String marker) {
      return text.indexOf(marker) >= 0;
    }

    /**
     * When the first text after the last {@code marker} arrived (nanoTime), e.g. the first token of
     * the answer after {@code Finish(}; -1 if no text followed a marker.
     */
    synchronized long firstTextAfterNanos(String marker) {
      int at = text.lastIndexOf(marker);
      if (at < 0) {
        return -1;
      }
      int answerStart = at + marker.length();
      for (long[] delta : deltas) {
        if (delta[0] > answerStart) {
          return delta[1];
        }
      }
      return -1;
    }
  }

  private final LlmClient delegate;
  private final List<Call> calls = new ArrayList<>();

  RecordingLlm(LlmClient delegate) {
    this.delegate = delegate;
  }

  synchronized void reset() {
    calls.clear();
  }

  synchronized List<Call> calls() {
    return new ArrayList<>(calls);
  }

  /**
   * Ms from {@code startNanos} to the first answer token after {@code marker} in the last call
   * whose text has it, or {@code fallbackMs} if no call streamed one.
   */
  double firstAnswerMs(long startNanos, String marker, double fallbackMs) {
    List<Call> all = calls();
    for (int i = all.size() - 1; i >= 0; i--) {
      if (all.get(i).contains(marker)) {
        long at = all.get(i).firstTextAfterNanos(marker);
        return at < 0 ? fallbackMs : (at - startNanos) / 1e6;
      }
    }
    return fallbackMs;
  }

  @Override
  public CompletableFuture<LlmResponse> chat(LlmRequest request, LlmStreamListener listener) {
    Call call =
        new Call(request.purpose(), System.nanoTime(), request.responseSchema().isPresent());
    synchronized (this) {
      calls.add(call);
    }
    CompletableFuture<LlmResponse> response =
        delegate.chat(
            request,
            delta -> {
              call.text(delta, System.nanoTime());
              listener.onText(delta);
            });
    // The end is stamped before any dependent stage of the caller runs.
    return response.whenComplete((r, e) -> call.end(System.nanoTime()));
  }
}
