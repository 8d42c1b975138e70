package dev.llmcompiler.runtime;

import dev.llmcompiler.runtime.internal.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
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
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Runs tool invocations: on the user's {@link ExecutorService} or a default one, with a timeout per
 * call from one shared scheduler, an optional per-tool concurrency limit, and stopping on demand.
 * One instance serves every run of an {@link LlmCompiler}.
 */
final class ToolExecutor implements AutoCloseable {
  /** Threads of the fallback pool used on JDKs without virtual threads; tools are mostly I/O-bound. */
  static final int FALLBACK_POOL_SIZE = 64;

  /** {@code Executors.newVirtualThreadPerTaskExecutor}, looked up once; {@code null} before JDK 21. */
  private static final MethodHandle NEW_VIRTUAL_THREAD_EXECUTOR = findVirtualThreadExecutor();

  private final ExecutorService executor;
  private final boolean ownsExecutor;
  private final ScheduledExecutorService scheduler;
  private final Duration defaultTimeout;
  private final Map<String, Duration> timeouts;
  private final Map<String, ConcurrencyLimit> limits;

  ToolExecutor(ExecutorService userExecutor, Duration defaultTimeout, Map<String, Duration> timeouts,
      Map<String, Integer> concurrency) {
    this.ownsExecutor = userExecutor == null;
    this.executor = userExecutor == null ? defaultExecutor() : userExecutor;
    this.scheduler = newScheduler();
    this.defaultTimeout = defaultTimeout;
    this.timeouts = Map.copyOf(timeouts);
    Map<String, ConcurrencyLimit> byTool = new java.util.HashMap<>();
    concurrency.forEach((tool, max) -> byTool.put(tool, new ConcurrencyLimit(max)));
    this.limits = Map.copyOf(byTool);
  }

  private static MethodHandle findVirtualThreadExecutor() {
    try {
      return MethodHandles.publicLookup().findStatic(java.util.concurrent.Executors.class,
          "newVirtualThreadPerTaskExecutor", MethodType.methodType(ExecutorService.class));
    } catch (NoSuchMethodException | IllegalAccessException e) {
      return null;
    }
  }

  /** Virtual threads where the JDK has them, else a pool of {@value #FALLBACK_POOL_SIZE} daemon threads. */
  static ExecutorService defaultExecutor() {
    if (NEW_VIRTUAL_THREAD_EXECUTOR != null) {
      try {
        return (ExecutorService) NEW_VIRTUAL_THREAD_EXECUTOR.invokeExact();
      } catch (Throwable e) {
        // A JDK where the method exists but refuses (e.g. preview off on 19/20) gets the pool.
      }
    }
    ThreadPoolExecutor pool = new ThreadPoolExecutor(FALLBACK_POOL_SIZE, FALLBACK_POOL_SIZE, 30,
        TimeUnit.SECONDS, new LinkedBlockingQueue<>(), daemonThreads("llmcompiler-tool-"));
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  static boolean virtualThreadsAvailable() {
    return NEW_VIRTUAL_THREAD_EXECUTOR != null;
  }

  private static ScheduledExecutorService newScheduler() {
    ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, daemonThreads("llmcompiler-timer-"));
    timer.setRemoveOnCancelPolicy(true);
    // The timer thread goes away when no timeout is pending, so an unclosed compiler leaves nothing behind.
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

  ScheduledExecutorService scheduler() {
    return scheduler;
  }

  /** Runs {@code task} on the tool executor: how a run's listener events leave the engine's threads. */
  void execute(Runnable task) {
    executor.execute(task);
  }

  /**
   * Runs {@code task} on the tool executor and returns its future, which interrupts it when cancelled:
   * how an approval that may block waits without holding an engine thread.
   *
   * @throws RejectedExecutionException if the executor was shut down
   */
  Future<?> submit(Runnable task) {
    return executor.submit(task);
  }

  Duration timeoutFor(String tool) {
    return timeouts.getOrDefault(tool, defaultTimeout);
  }

  /**
   * Starts a call: at once, or when the tool's concurrency limit lets it. {@code onStart} runs when
   * the tool actually starts. The call's {@link ToolCall#result()} completes with the tool's JSON
   * result, or exceptionally with what the tool threw, a {@link ToolTimeoutException}, or the reason
   * given to {@link ToolCall#stop}.
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
  ToolCall start(ToolBinding tool, ObjectNode arguments, Runnable onStart, Supplier<RunObserver.ToolCall> observe) {
    ToolCall call = new ToolCall(tool, arguments, onStart, observe);
    ConcurrencyLimit limit = limits.get(tool.name());
    if (limit == null) {
      launch(call, null);
    } else {
      limit.submit(() -> launch(call, limit));
    }
    return call;
  }

  private void launch(ToolCall call, ConcurrencyLimit limit) {
    if (call.ended.get() || call.abandoned) {
      // Stopped while it waited for a permit: hand the permit on.
      if (limit != null) {
        limit.release();
      }
      return;
    }
    if (limit != null) {
      call.result.whenComplete((value, error) -> limit.release());
    }
    call.onStart.run();
    Duration timeout = timeoutFor(call.tool.name());
    try {
      ScheduledFuture<?> timer = scheduler.schedule(
          () -> call.stop(new ToolTimeoutException(call.tool.name(), timeout)), timeout.toNanos(), TimeUnit.NANOSECONDS);
      call.result.whenComplete((value, error) -> timer.cancel(false));
      Future<?> running = executor.submit(() -> invoke(call));
      call.running = running;
      // stop() sets ended before it reads running; this reads ended after writing running, so
      // one of the two always sees the other and the thread is interrupted either way.
      if (call.ended.get()) {
        running.cancel(true);
      }
    } catch (RejectedExecutionException e) {
      call.fail(new IllegalStateException(
          "the executor rejected the call (was the LlmCompiler or its ExecutorService shut down?)", e));
    }
  }

  private static void invoke(ToolCall call) {
    // Entering the tool is claimed against stop(), so that exactly one of the two knows whether it ran.
    if (call.ended.get() || !call.state.compareAndSet(NOT_ENTERED, ENTERED)) {
      return;
    }
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
    // Closed before the end is observed, so a synchronous tool ends the same way an asynchronous one does.
    scope.close();
    if (stage == null) {
      call.fail(new IllegalStateException("the tool set returned no result stage (null)"));
      return;
    }
    call.asyncStage = stage;
    // An asynchronous tool completes later on its own threads; this thread is free at once.
    stage.whenComplete((value, error) -> {
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

  /** Shuts down what this executor owns: the scheduler always, the tool executor if it made it. */
  @Override
  public void close() {
    scheduler.shutdownNow();
    if (ownsExecutor) {
      executor.shutdownNow();
    }
  }

  private static final int NOT_ENTERED = 0;
  private static final int ENTERED = 1;
  private static final int PREVENTED = 2;

  /** One invocation of a tool. */
  static final class ToolCall {
    /** Marks an observation slot whose call has ended. */
    private static final RunObserver.ToolCall ENDED = new RunObserver.ToolCall() {};

    private final ToolBinding tool;
    private final ObjectNode arguments;
    private final Runnable onStart;
    private final Supplier<RunObserver.ToolCall> observe;
    /** The call's observation once it started; {@link #ENDED} once it was ended (or will never start). */
    private final AtomicReference<RunObserver.ToolCall> observation = new AtomicReference<>();
    private final CompletableFuture<JsonNode> result = new CompletableFuture<>();
    private volatile Future<?> running;
    private volatile CompletionStage<JsonNode> asyncStage;
    private final java.util.concurrent.atomic.AtomicBoolean ended = new java.util.concurrent.atomic.AtomicBoolean();
    /** Whether the tool was entered: {@link #NOT_ENTERED}, then {@link #ENTERED} or {@link #PREVENTED}, once. */
    private final AtomicInteger state = new AtomicInteger(NOT_ENTERED);
    private volatile long endNanos;
    private volatile boolean abandoned;

    private ToolCall(ToolBinding tool, ObjectNode arguments, Runnable onStart, Supplier<RunObserver.ToolCall> observe) {
      this.tool = tool;
      this.arguments = arguments;
      this.onStart = onStart;
      this.observe = observe;
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
        observed.ended(null, new CancellationException("the call was ended before its tool started"));
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
     * Makes sure the tool is never entered if it was not yet: returns {@code true} if it never was and
     * now never will be, {@code false} if it was (and may have done what it does).
     */
    boolean preventStart() {
      return state.compareAndSet(NOT_ENTERED, PREVENTED) || state.get() == PREVENTED;
    }

    /**
     * Whether the tool's method was entered, so that it may have taken effect even if the call then
     * timed out or was stopped. Settled for good once the call has ended.
     */
    boolean mayHaveRun() {
      return state.get() == ENTERED;
    }

    /**
     * Marks a call that may still wait for a permit as not to be started, so that stopping the calls
     * ahead of it in the queue cannot start it on the way.
     */
    void abandon() {
      abandoned = true;
    }

    /**
     * Ends the call with {@code reason} unless it already ended: interrupts the tool's thread and
     * cancels an asynchronous tool's stage first, so that whoever hears of the end finds them stopped.
     */
    void stop(Throwable reason) {
      if (!ended.compareAndSet(false, true)) {
        return;
      }
      endNanos = System.nanoTime();
      preventStart();
      Future<?> thread = running;
      if (thread != null) {
        thread.cancel(true);
      }
      if (asyncStage instanceof Future<?> future) {
        future.cancel(true);
      }
      observeEnd(null, reason);
      result.completeExceptionally(reason);
    }
  }

  /** A tool ran longer than its timeout; a {@link java.util.concurrent.TimeoutException}, so observers can tell. */
  static final class ToolTimeoutException extends java.util.concurrent.TimeoutException {
    private static final long serialVersionUID = 1L;

    private final String tool;
    private final String timeout;

    ToolTimeoutException(String tool, Duration timeout) {
      super("Tool '" + tool + "' timed out after " + describe(timeout)
          + "; it was interrupted. Try a smaller request, or raise toolTimeout(\"" + tool + "\", ...).");
      this.tool = tool;
      this.timeout = describe(timeout);
    }

    /** The message for a tool that changes data: whether it did is unknown, so it must not simply be repeated. */
    String outcomeUnknown() {
      return "Tool '" + tool + "' timed out after " + timeout + " and was interrupted; " + OUTCOME_UNKNOWN
          + ". If it needs longer, raise toolTimeout(\"" + tool + "\", ...).";
    }
  }

  /** What the model is told of a data-changing call that was cut off after it started. */
  static final String OUTCOME_UNKNOWN = "outcome unknown: it may have taken effect; do not repeat it blindly";

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
    private final int max;
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
