package dev.llmcompiler.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmcompiler.runtime.llm.LlmRequest;
import dev.llmcompiler.runtime.llm.LlmResponse;

/**
 * Instruments runs from the inside, synchronously, on the threads where things happen: the hook for
 * tracing (one span per run, round, model call and tool call) and for carrying the caller's context
 * (MDC, security, the current trace) to the threads that run the tools.
 *
 * <pre>{@code
 * // Carry a ThreadLocal of the caller to every tool call of the run.
 * RunObserver requestId = question -> {
 *   String id = REQUEST_ID.get(); // on the thread that called run()
 *   return new RunObserver.Run() {
 *     @Override public RunObserver.ToolCall toolCall(TaskEvent task) {
 *       return new RunObserver.ToolCall() {
 *         @Override public RunObserver.Scope makeCurrent() { // on the tool's thread
 *           String before = REQUEST_ID.get();
 *           REQUEST_ID.set(id);
 *           return () -> REQUEST_ID.set(before);
 *         }
 *       };
 *     }
 *   };
 * };
 * LlmCompiler compiler = LlmCompiler.builder().llm(llm).tools(tools).observer(requestId).build();
 * }</pre>
 *
 * <h2>Contract</h2>
 *
 * <ul>
 *   <li>{@link #runStarted} is called on the thread that called {@link LlmCompiler#run} or {@link
 *       LlmCompiler#runAsync}, before anything else of the run, so it can capture that thread's
 *       context. Everything else is called on the run's own threads: {@link Run#toolCall} on the
 *       thread that is about to run the tool, the rest wherever the run is.
 *   <li>Calls are synchronous and never made under the engine's locks; keep them fast, as they are
 *       on the run's path. Unlike a {@link RunListener}, an observer may be called concurrently
 *       (parallel tool calls), so it must be thread-safe.
 *   <li>Whatever an observer throws, {@link Error}s included, is caught and logged once per run; it
 *       never stops or changes the run. An observer cannot change arguments, results or decisions.
 *   <li>Every {@link LlmCall} and {@link ToolCall} returned is {@linkplain LlmCall#ended ended}
 *       exactly once, also when the call fails, times out or the run is stopped; {@link Run#ended}
 *       comes last.
 *   <li>{@link ReActAgent}, the sequential baseline, does not call observers.
 * </ul>
 */
@FunctionalInterface
public interface RunObserver {

  /**
   * A run starts, on the thread that started it.
   *
   * @param question the question asked
   * @return what observes this run, or {@code null} to observe nothing of it
   */
  Run runStarted(String question);

  /** Observes one run. Every method has a no-op default. */
  interface Run {

    /** A round starts: the planner is about to be asked (rounds count from 1). */
    default void roundStarted(int round) {}

    /**
     * A model call starts.
     *
     * @param round the round it belongs to
     * @param purpose whether the planner or the joiner is asked
     * @param request what is sent
     * @return what observes the call until it ends, or {@code null}
     */
    default LlmCall llmCall(int round, LlmCallPurpose purpose, LlmRequest request) {
      return null;
    }

    /**
     * A tool is about to run, on the thread that runs it. The returned call's {@link
     * ToolCall#makeCurrent} scope is open while the tool's method runs on this thread. Not called
     * for a task that shares the outcome of an identical earlier call ({@link
     * TaskTrace#reusedFrom()}) or that the {@link ToolApprover} denied: no tool runs for them.
     *
     * @param task the task, its arguments resolved
     * @return what observes the call until it ends, or {@code null}
     */
    default ToolCall toolCall(TaskEvent task) {
      return null;
    }

    /** A round ended; its trace has every task, including skipped ones that never ran. */
    default void roundEnded(RoundTrace round) {}

    /** The run ended, with its answer or, for a failed run, its partial result. Called last. */
    default void ended(RunResult result) {}
  }

  /** What a model call is for. */
  enum LlmCallPurpose {
    /** The planner writes (or rewrites) the plan. */
    PLANNER,
    /** The joiner decides on the results: finish or replan. */
    JOINER
  }

  /** Observes one model call. */
  @FunctionalInterface
  interface LlmCall {

    /**
     * The call ended.
     *
     * @param response the response, or {@code null} if it failed
     * @param error why it failed (an {@code LlmException}, or a cancellation when the run stopped),
     *     or {@code null}
     */
    void ended(LlmResponse response, Throwable error);
  }

  /** Observes one tool call. */
  interface ToolCall {

    /**
     * Makes this call's context current on the tool's thread while its method runs there: e.g. the
     * caller's MDC, or a span as the parent of spans the tool opens itself. Closed when the method
     * returns (for an asynchronous tool, when it has handed back its future).
     */
    default Scope makeCurrent() {
      return Scope.NOOP;
    }

    /**
     * The call ended.
     *
     * @param result the tool's JSON result, or {@code null} if it failed
     * @param error what the tool threw, or why it was ended: its timeout (a {@link
     *     java.util.concurrent.TimeoutException}), or the run's deadline or cancellation (a {@link
     *     java.util.concurrent.CancellationException} whose message starts with {@code "deadline"}
     *     or {@code "cancelled"}); {@code null} if it succeeded
     */
    default void ended(JsonNode result, Throwable error) {}
  }

  /** A context made current by {@link ToolCall#makeCurrent}, undone by {@link #close}. */
  @FunctionalInterface
  interface Scope extends AutoCloseable {
    /** A scope that does nothing. */
    Scope NOOP = () -> {};

    /** Undoes what {@link ToolCall#makeCurrent} did. */
    @Override
    void close();
  }
}
