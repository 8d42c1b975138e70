package dev.llmcompiler.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmcompiler.runtime.llm.LlmRequest;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The {@link RunObserver}s of one run, called safely: what an observer throws is logged (in full
 * once per run, then briefly) and never reaches the engine. Without observers every method returns
 * at once and {@link #active()} tells callers to build nothing for them.
 */
final class RunObservation {
  private static final System.Logger LOG = System.getLogger(RunObserver.class.getName());
  private static final RunObservation NONE = new RunObservation(List.of());

  private final List<RunObserver.Run> runs;
  private volatile boolean reported;

  private RunObservation(List<RunObserver.Run> runs) {
    this.runs = runs;
  }

  /** Starts observing a run on the thread that starts it. */
  static RunObservation start(List<RunObserver> observers, String question) {
    if (observers.isEmpty()) {
      return NONE;
    }
    RunObservation observation = new RunObservation(new ArrayList<>(observers.size()));
    for (RunObserver observer : observers) {
      RunObserver.Run run = observation.call("runStarted", () -> observer.runStarted(question));
      if (run != null) {
        observation.runs.add(run);
      }
    }
    return observation.runs.isEmpty() ? NONE : observation;
  }

  boolean active() {
    return !runs.isEmpty();
  }

  void roundStarted(int round) {
    each("roundStarted", run -> run.roundStarted(round));
  }

  /** The observers of a model call, or {@code null} if none observes it. */
  RunObserver.LlmCall llmCall(int round, RunObserver.LlmCallPurpose purpose, LlmRequest request) {
    List<RunObserver.LlmCall> calls =
        collect("llmCall", run -> run.llmCall(round, purpose, request));
    if (calls.isEmpty()) {
      return null;
    }
    return (response, error) ->
        calls.forEach(
            call ->
                call(
                    "LlmCall.ended",
                    () -> {
                      call.ended(response, error);
                      return null;
                    }));
  }

  /** The observers of a tool call, on the tool's thread, or {@code null} if none observes it. */
  RunObserver.ToolCall toolCall(TaskEvent task) {
    List<RunObserver.ToolCall> calls = collect("toolCall", run -> run.toolCall(task));
    if (calls.isEmpty()) {
      return null;
    }
    return new RunObserver.ToolCall() {
      @Override
      public RunObserver.Scope makeCurrent() {
        List<RunObserver.Scope> scopes = new ArrayList<>(calls.size());
        for (RunObserver.ToolCall call : calls) {
          RunObserver.Scope scope =
              RunObservation.this.call("ToolCall.makeCurrent", call::makeCurrent);
          if (scope != null) {
            scopes.add(scope);
          }
        }
        // Undone in reverse, so nested contexts unwind the way they were entered.
        return () -> {
          for (int i = scopes.size() - 1; i >= 0; i--) {
            RunObserver.Scope scope = scopes.get(i);
            RunObservation.this.call(
                "Scope.close",
                () -> {
                  scope.close();
                  return null;
                });
          }
        };
      }

      @Override
      public void ended(JsonNode result, Throwable error) {
        calls.forEach(
            call ->
                RunObservation.this.call(
                    "ToolCall.ended",
                    () -> {
                      call.ended(result, error);
                      return null;
                    }));
      }
    };
  }

  void roundEnded(RoundTrace round) {
    each("roundEnded", run -> run.roundEnded(round));
  }

  void ended(RunResult result) {
    each("ended", run -> run.ended(result));
  }

  private void each(String method, java.util.function.Consumer<RunObserver.Run> call) {
    for (RunObserver.Run run : runs) {
      call(
          method,
          () -> {
            call.accept(run);
            return null;
          });
    }
  }

  private <T> List<T> collect(String method, Function<RunObserver.Run, T> call) {
    List<T> values = new ArrayList<>(runs.size());
    for (RunObserver.Run run : runs) {
      T value = call(method, () -> call.apply(run));
      if (value != null) {
        values.add(value);
      }
    }
    return values;
  }

  /** Calls an observer; whatever it throws is logged and swallowed, and the result is then null. */
  private <T> T call(String method, java.util.function.Supplier<T> call) {
    try {
      return call.get();
    } catch (Throwable e) {
      if (!reported) {
        reported = true;
        LOG.log(Level.WARNING, "RunObserver " + method + " threw; the run continues.", e);
      } else {
        LOG.log(Level.DEBUG, () -> "RunObserver " + method + " threw again: " + e);
      }
      return null;
    }
  }
}
