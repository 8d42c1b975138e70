package dev.llmcompiler.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmcompiler.runtime.internal.Json;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Runs tool invocations: on the user's {@link ExecutorService} or the default {@link ToolThreads},
 * with a timeout per call from one shared scheduler, an optional per-tool concurrency limit, and
 * stopping on demand. One instance serves every run of an {@link LlmCompiler}.
 *
 * <p>A call's timeout counts from the moment its tool starts running on a thread: time spent
 * waiting for a concurrency permit or a thread counts only against the run's deadline, and a call
 * stopped before it started says so instead of blaming the tool.
 */
final class ToolExecutor implements AutoCloseable {
  private final ToolThreads threads;
  private final ScheduledExecutorService scheduler;
  private final Duration defaultTimeout;
  private final Map<String, Duration> timeouts;
  private final Map<String, ConcurrencyLimit> limits;

  ToolExecutor(
      ExecutorService userExecutor,
      Duration defaultTimeout,
      Map<String, Duration> timeouts,
      Map<String, Integer> concurrency) {
    this(
        userExecutor == null ? ToolThreads.defaults() : ToolThreads.of(userExecutor),
        defaultTimeout,
        timeouts,
        concurrency);
  }

  ToolExecutor(
      ToolThreads threads,
      Duration defaultTimeout,
      Map<String, Duration> timeouts,
      Map<String, Integer> concurrency) {
    this.threads = threads;
    this.scheduler = newScheduler();
    this.defaultTimeout = defaultTimeout;
    this.timeouts = Map.copyOf(timeouts);
    Map<String, ConcurrencyLimit> byTool = new java.util.HashMap<>();
    concurrency.forEach((tool, max) -> byTool.put(tool, new ConcurrencyLimit(max)));
    this.limits = Map.copyOf(byTool);
  }

  static boolean virtualThreadsAvailable() {
    return ToolThreads.virtualThreadsAvailable();
  }

  private static ScheduledExecutorService newScheduler() {
    ScheduledThreadPoolExecutor timer =
        new ScheduledThreadPoolExecutor(1, daemonThreads("llmcompiler-timer-"));
    timer.setRemoveOnCancelPolicy(true);
    // The timer thread goes away when no timeout is pending, so an unclosed compiler leaves nothing
    // behind.
    timer.setKeepAliveTime(5, TimeUnit.SECONDS);
    timer.allowCoreThreadTimeOut(true);
    return timer;
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  /**
   * Runs {@code task} on the tool executor and returns its future, which interrupts it when
   * cancelled: how an approval that may block waits without holding an engine thread.
   *
   * @throws RejectedExecutionException if the executor was shut down
   */
  Future<?> submit(Runnable task) {
    FutureTask<Void> future = new FutureTask<>(task, null);
    threads.execute(future);
    return future;
  }

  ScheduledExecutorService scheduler() {
    return scheduler;
  }

  /** Runs {@code task} on a tool thread: how a run's listener events leave the engine's threads. */
  void execute(Runnable task) {
    threads.execute(task);
  }

  Duration timeoutFor(String tool) {
    return timeouts.getOrDefault(tool, defaultTimeout);
  }

  /**
   * Starts a call: at once, or when the tool's concurrency limit lets it. {@code onStart} runs on
   * the tool's thread just before the tool runs, and only if it runs. The call's {@link
   * ToolCall#result()} completes with the tool's JSON result, or exceptionally with what the tool
   * threw, a {@link ToolTimeoutException}, or the reason given to {@link ToolCall#stop}.
   */
  ToolCall start(ToolBinding tool, ObjectNode arguments, Runnable onStart) {
    return start(tool, arguments, onStart, null);
  }

  /**
   * {@link #start(ToolBinding, ObjectNode, Runnable)}, observed: {@code observe} is called on the
   * tool's thread just before the tool runs, the observation's scope is current while its method
   * runs, and the observation is ended exactly once, however the call ends.
   *
   * @param observe makes the call's observation, or {@code null} for an unobserved call
   */
  ToolCall start(
      ToolBinding tool,
      ObjectNode arguments,
      Runnable onStart,
      Supplier<RunObserver.ToolCall> observe) {
    ConcurrencyLimit limit = limits.get(tool.name());
    ToolCall call = new ToolCall(tool, arguments, onStart, observe, limit, threads);
    if (limit == null) {
      launch(call, null);
    } else {
      limit.submit(() -> launch(call, limit));
    }
    return call;
  }

  private void launch(ToolCall call, ConcurrencyLimit limit) {
    if (call.ended.get() || call.dropped()) {
      // Stopped while it waited for a permit: hand the permit on.
      if (limit != null) {
        limit.release();
      }
      return;
    }
    if (limit != null) {
      call.result.whenComplete((value, error) -> limit.release());
    }
    call.launchedNanos = System.nanoTime();
    try {
      threads.run(() -> invoke(call));
    } catch (RejectedExecutionException e) {
      call.fail(
          new IllegalStateException(
              "the executor rejected the call (was the LlmCompiler or its ExecutorService shut down?)",
              e));
    }
  }

  /**
   * Runs the call's tool on this thread, unless it already ran elsewhere or was stopped before it
   * started.
   */
  private void invoke(ToolCall call) {
    if (!call.claim()) {
      return;
    }
    try {
      if (call.ended.get()) {
        // Stopped between the claim and here: the tool must not run at all.
        return;
      }
      call.onStart.run();
      Duration timeout = timeoutFor(call.tool.name());
      ScheduledFuture<?> timer;
      try {
        timer =
            scheduler.schedule(
                () -> call.stop(new ToolTimeoutException(call.tool.name(), timeout)),
                timeout.toNanos(),
                TimeUnit.NANOSECONDS);
      } catch (RejectedExecutionException e) {
        call.fail(
            new IllegalStateException("the LlmCompiler was closed before the tool could start", e));
        return;
      }
      call.result.whenComplete((value, error) -> timer.cancel(false));
      runTool(call);
    } finally {
      call.left();
    }
  }

  private static void runTool(ToolCall call) {
    CompletionStage<JsonNode> stage;
    RunObserver.Scope scope = call.observe();
    try {
      stage = call.tool.set().invoke(call.tool.name(), call.arguments);
    } catch (Throwable e) {
      scope.close();
      call.fail(e);
      if (e instanceof VirtualMachineError) {
        throw (VirtualMachineError) e;
      }
      return;
    }
    // Closed before the end is observed, so a synchronous tool ends the same way an asynchronous
    // one does.
    scope.close();
    if (stage == null) {
      call.fail(new IllegalStateException("the tool set returned no result stage (null)"));
      return;
    }
    call.asyncStage = stage;
    // An asynchronous tool completes later on its own threads; this thread is free at once.
    stage.whenComplete(
        (value, error) -> {
          if (error != null) {
            call.fail(unwrap(error));
          } else {
            call.complete(value == null ? Json.NODES.nullNode() : value);
          }
        });
    if (call.ended.get() && stage instanceof Future<?> future) {
      future.cancel(true);
    }
  }

  static Throwable unwrap(Throwable error) {
    Throwable current = error;
    while ((current instanceof CompletionException || current instanceof ExecutionException)
        && current.getCause() != null) {
      current = current.getCause();
    }
    return current;
  }

  /** Shuts down what this executor owns: the scheduler always, the tool threads if it made them. */
  @Override
  public void close() {
    scheduler.shutdownNow();
    threads.close();
  }

  /** One invocation of a tool. */
  static final class ToolCall {
    /** Marks an observation slot whose call has ended. */
    private static final RunObserver.ToolCall ENDED = new RunObserver.ToolCall() {};

    // Where the call is; guarded by the call's monitor.
    private static final int WAITING = 0;
    private static final int RUNNING = 1;
    private static final int RETURNED = 2;
    private static final int DROPPED = 3;

    private final ToolBinding tool;
    private final ObjectNode arguments;
    private final Runnable onStart;
    private final Supplier<RunObserver.ToolCall> observe;
    private final ConcurrencyLimit limit;
    private final ToolThreads threads;

    /**
     * The call's observation once it started; {@link #ENDED} once it was ended (or will never
     * start).
     */
    private final AtomicReference<RunObserver.ToolCall> observation = new AtomicReference<>();

    private final CompletableFuture<JsonNode> result = new CompletableFuture<>();
    private volatile CompletionStage<JsonNode> asyncStage;
    private final java.util.concurrent.atomic.AtomicBoolean ended =
        new java.util.concurrent.atomic.AtomicBoolean();
    private volatile long endNanos;
    private final long createdNanos = System.nanoTime();

    /**
     * When the call was handed to the executor (after any permit); 0 while it waits for a permit.
     */
    private volatile long launchedNanos;

    private int phase = WAITING;

    /** The thread running the tool, while {@link #phase} is {@link #RUNNING}. */
    private Thread thread;

    /**
     * Set when this call interrupted its own thread, so the interrupt is cleared when the tool
     * returns.
     */
    private boolean interrupted;

    /**
     * What frees the cost of a thread held by a stopped tool, once it returns; null if none is
     * held.
     */
    private Runnable heldRelease;

    private ToolCall(
        ToolBinding tool,
        ObjectNode arguments,
        Runnable onStart,
        Supplier<RunObserver.ToolCall> observe,
        ConcurrencyLimit limit,
        ToolThreads threads) {
      this.tool = tool;
      this.arguments = arguments;
      this.onStart = onStart;
      this.observe = observe;
      this.limit = limit;
      this.threads = threads;
    }

    /** Takes the call for the current thread; false if another thread has it or it was dropped. */
    private synchronized boolean claim() {
      if (phase != WAITING) {
        return false;
      }
      phase = RUNNING;
      thread = Thread.currentThread();
      return true;
    }

    /**
     * The tool's method returned on this thread (the call may still await an asynchronous result).
     */
    private void left() {
      Runnable release;
      boolean clear;
      synchronized (this) {
        phase = RETURNED;
        thread = null;
        release = heldRelease;
        heldRelease = null;
        clear = interrupted;
      }
      if (clear) {
        // Our own interrupt must not reach whatever this thread runs next.
        Thread.interrupted();
      }
      if (release != null) {
        release.run();
      }
    }

    /**
     * Makes sure a call that has not started never will; true if it had not started. The task
     * fetching unit drops every call of a stopped round before it stops any, so that a permit freed
     * by one cannot start another on the way.
     */
    synchronized boolean drop() {
      if (phase == WAITING) {
        phase = DROPPED;
      }
      return phase == DROPPED;
    }

    private synchronized boolean dropped() {
      return phase == DROPPED;
    }

    /**
     * Whether the tool's method was entered, so that it may have taken effect even if the call then
     * timed out or was stopped. Settled for good once the call has ended.
     */
    synchronized boolean mayHaveRun() {
      return phase == RUNNING || phase == RETURNED;
    }

    /**
     * Why a call that {@linkplain #drop was dropped} never ran, for the task's error: what it
     * waited for, and for how long. It was not a timeout of the tool.
     */
    String notStartedNote() {
      long launched = launchedNanos;
      long now = System.nanoTime();
      if (launched == 0) {
        return "; the call never started: it waited "
            + millis(now - createdNanos)
            + " for a toolConcurrency(\""
            + tool.name()
            + "\", "
            + limit.max
            + ") permit";
      }
      return "; the call never started: it waited "
          + millis(now - launched)
          + " for a thread of the tool executor";
    }

    private static String millis(long nanos) {
      return nanos / 1_000_000 + " ms";
    }

    /**
     * Starts the call's observation on the tool's thread and makes it current; the returned scope
     * undoes that. If the call ended meanwhile, the observation is ended at once.
     */
    private RunObserver.Scope observe() {
      RunObserver.ToolCall observed = observe == null ? null : observe.get();
      if (observed == null) {
        return RunObserver.Scope.NOOP;
      }
      if (!observation.compareAndSet(null, observed)) {
        observed.ended(
            null, new CancellationException("the call was ended before its tool started"));
        return RunObserver.Scope.NOOP;
      }
      return observed.makeCurrent();
    }

    /** Ends the observation, if the call has one: exactly once, whoever gets here first. */
    private void observeEnd(JsonNode value, Throwable error) {
      RunObserver.ToolCall observed = observation.getAndSet(ENDED);
      if (observed != null && observed != ENDED) {
        observed.ended(value, error);
      }
    }

    CompletableFuture<JsonNode> result() {
      return result;
    }

    /** When the call ended, by {@link System#nanoTime()}: taken before anyone hears of the end. */
    long endNanos() {
      return endNanos;
    }

    private boolean complete(JsonNode value) {
      if (!ended.compareAndSet(false, true)) {
        return false;
      }
      endNanos = System.nanoTime();
      observeEnd(value, null);
      return result.complete(value);
    }

    private boolean fail(Throwable error) {
      if (!ended.compareAndSet(false, true)) {
        return false;
      }
      endNanos = System.nanoTime();
      observeEnd(null, error);
      return result.completeExceptionally(error);
    }

    /**
     * Ends the call with {@code reason} unless it already ended: a call that has not started never
     * will; a running tool's thread is interrupted and an asynchronous tool's stage cancelled
     * first, so that whoever hears of the end finds them stopped. If the tool's thread stays in the
     * tool, later calls do not pay for it (see {@link ToolThreads#held}).
     */
    void stop(Throwable reason) {
      if (!ended.compareAndSet(false, true)) {
        return;
      }
      endNanos = System.nanoTime();
      Thread running;
      synchronized (this) {
        if (phase == WAITING) {
          phase = DROPPED;
        }
        running = phase == RUNNING ? thread : null;
        if (running != null) {
          // Under the monitor: the thread cannot have left the tool and moved on to other work.
          running.interrupt();
          interrupted = true;
        }
      }
      if (running != null) {
        Runnable release = threads.held(running);
        boolean returned;
        synchronized (this) {
          returned = phase != RUNNING;
          if (!returned) {
            heldRelease = release;
          }
        }
        if (returned) {
          release.run();
        }
      }
      if (asyncStage instanceof Future<?> future) {
        future.cancel(true);
      }
      observeEnd(null, reason);
      result.completeExceptionally(reason);
    }
  }

  /**
   * A tool ran longer than its timeout; a {@link java.util.concurrent.TimeoutException}, so
   * observers can tell.
   */
  static final class ToolTimeoutException extends java.util.concurrent.TimeoutException {
    private static final long serialVersionUID = 1L;

    private final String tool;
    private final String timeout;

    ToolTimeoutException(String tool, Duration timeout) {
      super(
          "Tool '"
              + tool
              + "' timed out after "
              + describe(timeout)
              + "; it was interrupted. Try a smaller request, or raise toolTimeout(\""
              + tool
              + "\", ...).");
      this.tool = tool;
      this.timeout = describe(timeout);
    }

    /**
     * The message for a tool that changes data: whether it did is unknown, so it must not simply be
     * repeated.
     */
    String outcomeUnknown() {
      return "Tool '"
          + tool
          + "' timed out after "
          + timeout
          + " and was interrupted; "
          + OUTCOME_UNKNOWN
          + ". If it needs longer, raise toolTimeout(\""
          + tool
          + "\", ...).";
    }
  }

  /** What the model is told of a data-changing call that was cut off after it started. */
  static final String OUTCOME_UNKNOWN =
      "outcome unknown: it may have taken effect; do not repeat it blindly";

  /** The run stopped the call: it was cancelled or passed its deadline. */
  static final class RunStoppedException extends CancellationException {
    private static final long serialVersionUID = 1L;

    RunStoppedException(String message) {
      super(message);
    }
  }

  static String describe(Duration duration) {
    long millis = duration.toMillis();
    return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
  }

  /**
   * At most {@code max} calls of one tool at a time; further calls wait in a queue (never rejected)
   * and a finishing call hands its permit to the next, so no thread blocks waiting.
   */
  static final class ConcurrencyLimit {
    final int max;
    private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
    private int inFlight;

    ConcurrencyLimit(int max) {
      this.max = max;
    }

    void submit(Runnable launch) {
      synchronized (this) {
        if (inFlight >= max) {
          waiting.add(launch);
          return;
        }
        inFlight++;
      }
      launch.run();
    }

    void release() {
      Runnable next;
      synchronized (this) {
        next = waiting.poll();
        if (next == null) {
          inFlight--;
        }
      }
      if (next != null) {
        next.run();
      }
    }
  }
}
