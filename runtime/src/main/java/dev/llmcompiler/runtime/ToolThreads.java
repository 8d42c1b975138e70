package dev.llmcompiler.runtime;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where a compiler's tool calls, and its listeners' event deliveries, run: the user's executor, or
 * the default one, which keeps later calls running when earlier tools ignore their interrupts.
 *
 * <ul>
 *   <li>JDK 21+: a virtual thread per call. A stopped tool that does not return may pin its carrier
 *       thread (a tool spinning on the CPU does), and a few such tools starve every virtual thread.
 *       So while any stopped tool of this compiler is still running on a virtual thread, calls run
 *       on platform threads instead ({@link ElasticThreadPool}, made on first need), and calls that
 *       were waiting for a carrier move there too.
 *   <li>Older JDKs: an {@link ElasticThreadPool} of {@link #BASE_PLATFORM_THREADS} threads that
 *       grows to up to {@link #MAX_PLATFORM_THREADS} busy threads while calls wait (blocking tools
 *       hold their thread while they wait, so a fixed pool would make the calls of concurrent runs
 *       wait for, and time out, each other).
 *   <li>The user's executor: used as it is; nothing else is started behind its back.
 * </ul>
 *
 * <p>Every task given to {@link #run} must do its work at most once however often it is run: a
 * waiting task may be handed to a second executor, and whichever thread gets to it first runs it.
 */
final class ToolThreads implements AutoCloseable {
  /**
   * Threads the default platform pool starts as calls come, before it grows: calls take turns on
   * them, which is cheapest for short tools (the old fixed pool's size).
   */
  static final int BASE_PLATFORM_THREADS = 64;

  /**
   * Busy platform threads the default pool grows to when calls wait because its threads block (not
   * counting threads held by stopped tools that ignore their interrupt). Measured on JDK 17 with
   * the benchmark's 2,000 concurrent runs of blocking tools (up to 6,000 calls wanting a thread at
   * once, 2 cores): a bound of 256 added 7.8 s at the median, 1,024 added 1.6 s, 2,048 0.7 s, and
   * 4,096 about 0.4 s (thread start-up and scheduling; it peaked at 3,300-3,700 threads, as 8,192
   * did), for about 80 KB of resident memory per busy thread. Beyond it calls wait their turn,
   * which costs latency but never a timeout: those count from the tool's start.
   */
  static final int MAX_PLATFORM_THREADS = 4096;

  /**
   * {@code Executors.newVirtualThreadPerTaskExecutor}, looked up once; {@code null} before JDK 21.
   */
  private static final MethodHandle NEW_VIRTUAL_THREAD_EXECUTOR = findVirtualThreadExecutor();

  private static final Runnable NOTHING = () -> {};

  private final ExecutorService executor;
  private final boolean owned;

  /**
   * Set only for the default virtual-thread executor: the tasks handed to it that have not started.
   */
  private final Set<Runnable> waiting;

  private final int platformThreads;

  /**
   * Stopped tools still running on virtual threads; while above zero, calls run on {@link
   * #platform}.
   */
  private final AtomicInteger heldVirtual = new AtomicInteger();

  private final Object platformLock = new Object();
  private volatile ElasticThreadPool platform;
  private volatile boolean closed;

  private ToolThreads(
      ExecutorService executor, boolean owned, boolean virtual, int platformThreads) {
    this.executor = executor;
    this.owned = owned;
    this.waiting = virtual ? ConcurrentHashMap.newKeySet() : null;
    this.platformThreads = platformThreads;
    if (executor instanceof ElasticThreadPool pool) {
      this.platform = pool;
    }
  }

  /** The user's executor, used as it is and never shut down here. */
  static ToolThreads of(ExecutorService userExecutor) {
    return new ToolThreads(userExecutor, false, false, 0);
  }

  /** Virtual threads where the JDK has them, else an elastic pool of platform threads. */
  static ToolThreads defaults() {
    ExecutorService virtual = newVirtualThreadExecutor();
    return virtual != null
        ? new ToolThreads(virtual, true, true, MAX_PLATFORM_THREADS)
        : platform(MAX_PLATFORM_THREADS);
  }

  /**
   * An elastic pool of at most {@code maxThreads} busy platform threads (the default before JDK
   * 21).
   */
  static ToolThreads platform(int maxThreads) {
    return new ToolThreads(newPlatformPool(maxThreads), true, false, maxThreads);
  }

  private static ElasticThreadPool newPlatformPool(int maxThreads) {
    return new ElasticThreadPool(
        Math.min(BASE_PLATFORM_THREADS, maxThreads), maxThreads, "llmcompiler-tool-");
  }

  /**
   * Virtual threads, falling back on at most {@code maxPlatformThreads} platform threads; JDK 21+.
   */
  static ToolThreads virtual(int maxPlatformThreads) {
    ExecutorService virtual = newVirtualThreadExecutor();
    if (virtual == null) {
      throw new UnsupportedOperationException("this JDK has no virtual threads");
    }
    return new ToolThreads(virtual, true, true, maxPlatformThreads);
  }

  static boolean virtualThreadsAvailable() {
    return NEW_VIRTUAL_THREAD_EXECUTOR != null;
  }

  private static MethodHandle findVirtualThreadExecutor() {
    try {
      return MethodHandles.publicLookup()
          .findStatic(
              java.util.concurrent.Executors.class,
              "newVirtualThreadPerTaskExecutor",
              MethodType.methodType(ExecutorService.class));
    } catch (NoSuchMethodException | IllegalAccessException e) {
      return null;
    }
  }

  private static ExecutorService newVirtualThreadExecutor() {
    if (NEW_VIRTUAL_THREAD_EXECUTOR == null) {
      return null;
    }
    try {
      return (ExecutorService) NEW_VIRTUAL_THREAD_EXECUTOR.invokeExact();
    } catch (Throwable e) {
      // A JDK where the method exists but refuses (e.g. preview off on 19/20) gets the platform
      // pool.
      return null;
    }
  }

  /**
   * Runs {@code task} on a tool thread. The task must do its work at most once however often it is
   * run (see the class comment).
   *
   * @throws RejectedExecutionException if the executor refuses (it was shut down)
   */
  void run(Runnable task) {
    if (waiting == null) {
      executor.execute(task);
      return;
    }
    // Registered before the check, and a rescue counts up before it looks at the waiting tasks: so
    // either the rescue sees this task or this sees the rescue.
    waiting.add(task);
    if (heldVirtual.get() > 0) {
      waiting.remove(task);
      platform().execute(task);
      return;
    }
    executor.execute(
        () -> {
          waiting.remove(task);
          task.run();
        });
  }

  /** Runs {@code task} once on a tool thread (for work that is not itself run-at-most-once). */
  void execute(Runnable task) {
    if (waiting == null) {
      executor.execute(task);
      return;
    }
    AtomicBoolean ran = new AtomicBoolean();
    run(
        () -> {
          if (ran.compareAndSet(false, true)) {
            task.run();
          }
        });
  }

  /**
   * A stopped call's {@code thread} is still inside its tool: frees what that costs later calls (a
   * slot of the pool, or the virtual threads' carriers). Returns what to run once the tool returns.
   */
  Runnable held(Thread thread) {
    if (thread instanceof ElasticThreadPool.Worker worker) {
      ElasticThreadPool pool = worker.pool();
      pool.held(1);
      return () -> pool.held(-1);
    }
    if (waiting == null) {
      return NOTHING;
    }
    if (heldVirtual.getAndIncrement() == 0) {
      rescueWaiting();
    }
    return heldVirtual::decrementAndGet;
  }

  /** Hands every task still waiting for a virtual thread to a platform thread as well. */
  private void rescueWaiting() {
    for (Runnable task : waiting) {
      if (waiting.remove(task)) {
        try {
          platform().execute(task);
        } catch (RejectedExecutionException e) {
          // Closed meanwhile: the virtual executor was shut down too and drops its tasks alike.
          return;
        }
      }
    }
  }

  private ElasticThreadPool platform() {
    ElasticThreadPool pool = platform;
    if (pool == null) {
      synchronized (platformLock) {
        pool = platform;
        if (pool == null) {
          if (closed) {
            throw new RejectedExecutionException(
                "The tool threads are shut down (was the LlmCompiler closed?).");
          }
          pool = newPlatformPool(platformThreads);
          platform = pool;
        }
      }
    }
    return pool;
  }

  /**
   * Whether calls run on virtual threads right now (the default on JDK 21+, with no stopped tool
   * held).
   */
  boolean onVirtualThreads() {
    return waiting != null && heldVirtual.get() == 0;
  }

  /**
   * Shuts down what this owns: the default executor and the platform pool; never the user's
   * executor.
   */
  @Override
  public void close() {
    if (!owned) {
      return;
    }
    synchronized (platformLock) {
      closed = true;
    }
    executor.shutdownNow();
    ElasticThreadPool pool = platform;
    if (pool != null) {
      pool.shutdownNow();
    }
  }
}
