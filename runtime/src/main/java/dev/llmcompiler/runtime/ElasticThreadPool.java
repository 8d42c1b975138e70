package dev.llmcompiler.runtime;

import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Platform threads that grow when tasks wait because the threads block. Up to {@code baseThreads}
 * threads start as tasks come and take turns from one queue, which is cheap for short tasks: a
 * thread that finishes one goes straight on to the next. While tasks wait, a watch looks every
 * {@link #CHECK_MILLIS} ms; if more are waiting than the threads started in that time (they block,
 * as tools waiting on the network do), it starts a thread for each task the threads would not get
 * to, up to {@code maxThreads}. Idle threads end after {@link #KEEP_ALIVE_SECONDS}, so a quiet pool
 * holds none.
 *
 * <p>The bound keeps a burst from exhausting the OS's threads. A thread {@linkplain #held held} by
 * a stopped call that ignores its interrupt does not count against it, so such tools cannot take
 * the pool away from later calls, however many there are. If the OS refuses a new thread, tasks
 * wait for running ones.
 */
final class ElasticThreadPool extends ThreadPoolExecutor {
  /** How long an idle thread waits for work before it ends. */
  static final long KEEP_ALIVE_SECONDS = 30;

  /** How often the watch looks at waiting tasks, while there are any. */
  static final long CHECK_MILLIS = 10;

  private final int baseThreads;
  private final int maxThreads;
  private final ScheduledThreadPoolExecutor watch;
  private final LongAdder started = new LongAdder();
  private final AtomicBoolean watching = new AtomicBoolean();
  private final Object sizeLock = new Object();
  private int held;

  /** Tasks started when the watch began or last looked. */
  private volatile long startedAtLastCheck;

  /** A thread of an elastic pool, so that a call can tell which pool its thread belongs to. */
  static final class Worker extends Thread {
    private final ElasticThreadPool pool;

    private Worker(ElasticThreadPool pool, Runnable task, String name) {
      super(task, name);
      this.pool = pool;
      setDaemon(true);
    }

    ElasticThreadPool pool() {
      return pool;
    }
  }

  ElasticThreadPool(int baseThreads, int maxThreads, String threadPrefix) {
    this(baseThreads, maxThreads, threadPrefix, new Workers(threadPrefix));
  }

  private ElasticThreadPool(int baseThreads, int maxThreads, String threadPrefix, Workers workers) {
    super(
        baseThreads,
        maxThreads,
        KEEP_ALIVE_SECONDS,
        TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(),
        workers);
    allowCoreThreadTimeOut(true);
    this.baseThreads = baseThreads;
    this.maxThreads = maxThreads;
    this.watch =
        new ScheduledThreadPoolExecutor(
            1,
            runnable -> {
              Thread thread = new Thread(runnable, threadPrefix + "watch");
              thread.setDaemon(true);
              return thread;
            });
    // The watch's thread goes away when nothing waits.
    watch.setKeepAliveTime(5, TimeUnit.SECONDS);
    watch.allowCoreThreadTimeOut(true);
    // No thread exists before the constructor returns, so every worker knows its pool.
    workers.pool = this;
  }

  /**
   * Runs {@code task} on an idle thread, a new one while there are fewer than the pool's current
   * size, or the next free one. If the OS refuses a new thread, the task waits for a running one.
   */
  @Override
  public void execute(Runnable task) {
    try {
      super.execute(task);
    } catch (OutOfMemoryError noNewThread) {
      if (getPoolSize() == 0 || isShutdown()) {
        throw noNewThread;
      }
      getQueue().offer(task);
    }
    if (!getQueue().isEmpty()) {
      watch();
    }
  }

  @Override
  protected void beforeExecute(Thread thread, Runnable task) {
    started.increment();
  }

  /** The bound on busy threads, not counting held ones. */
  int maxThreads() {
    return maxThreads;
  }

  /**
   * Counts one of this pool's threads as held ({@code +1}) by a stopped call that has not returned,
   * or released again ({@code -1}): the bound rises by the held threads, and a waiting task gets a
   * thread in place of the held one at once.
   */
  void held(int delta) {
    synchronized (sizeLock) {
      held += delta;
      int bound = maxThreads + held;
      if (bound < getCorePoolSize()) {
        setCorePoolSize(bound);
      }
      setMaximumPoolSize(bound);
    }
    if (delta > 0 && !getQueue().isEmpty()) {
      grow((long) Math.max(getPoolSize(), getCorePoolSize()) + 1);
    }
  }

  /** Starts watching the waiting tasks, unless the watch already does. */
  private void watch() {
    if (watching.compareAndSet(false, true)) {
      startedAtLastCheck = started.sum();
      scheduleCheck();
    }
  }

  private void scheduleCheck() {
    try {
      watch.schedule(this::check, CHECK_MILLIS, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException shutDown) {
      watching.set(false);
    }
  }

  /**
   * On the watch's thread: grows the pool if more tasks wait than the threads started since the
   * last look.
   */
  private void check() {
    long startedNow = started.sum();
    long served = startedNow - startedAtLastCheck;
    startedAtLastCheck = startedNow;
    int waiting = getQueue().size();
    if (waiting == 0 || isShutdown()) {
      synchronized (sizeLock) {
        if (getCorePoolSize() > baseThreads) {
          // Back to the base: threads beyond it end once idle for the keep-alive time.
          setCorePoolSize(Math.min(baseThreads, getMaximumPoolSize()));
        }
      }
      watching.set(false);
      // A task that came between the look and the reset must not wait unwatched.
      if (!getQueue().isEmpty() && !isShutdown()) {
        watch();
      }
      return;
    }
    if (waiting > served) {
      // A thread for every task that runs or waits; threads still starting count as started.
      grow(getActiveCount() + (long) waiting);
    }
    scheduleCheck();
  }

  /**
   * Grows the pool to {@code threads} threads (within the bound), starting them for waiting tasks.
   */
  private void grow(long threads) {
    synchronized (sizeLock) {
      int target = (int) Math.min(getMaximumPoolSize(), threads);
      if (target > getCorePoolSize()) {
        try {
          // Raising the core size starts threads for the waiting tasks at once.
          setCorePoolSize(target);
        } catch (OutOfMemoryError noNewThread) {
          // The OS refused a thread: the tasks wait for running ones.
        }
      }
    }
  }

  @Override
  public void shutdown() {
    watch.shutdownNow();
    super.shutdown();
  }

  @Override
  public List<Runnable> shutdownNow() {
    watch.shutdownNow();
    return super.shutdownNow();
  }

  /** Makes daemon {@link Worker}s named after the pool. */
  private static final class Workers implements ThreadFactory {
    private final String prefix;
    private final AtomicInteger count = new AtomicInteger();
    private volatile ElasticThreadPool pool;

    Workers(String prefix) {
      this.prefix = prefix;
    }

    @Override
    public Thread newThread(Runnable task) {
      return new Worker(pool, task, prefix + count.incrementAndGet());
    }
  }
}
