package dev.llmcompiler.runtime;

import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Platform threads on demand: a task goes to an idle thread if there is one, else to a new thread
 * while fewer than {@code maxThreads} are busy, else to a queue. Idle threads end after {@link
 * #KEEP_ALIVE_SECONDS}, so a quiet pool holds none.
 *
 * <p>Blocking tools are why it grows instead of queueing: a tool that waits on the network holds its
 * thread, and a fixed pool makes the calls of concurrent runs wait for each other. The bound keeps a
 * burst from exhausting the OS's threads. A thread {@linkplain #held held} by a stopped call that
 * ignores its interrupt does not count against the bound, so such tools cannot take the pool away
 * from later calls, however many there are. If the OS refuses a new thread, the task waits for a
 * running one.
 */
final class ElasticThreadPool extends ThreadPoolExecutor {
  /** How long an idle thread waits for work before it ends. */
  static final long KEEP_ALIVE_SECONDS = 30;

  /** Runs nothing: handed to a new thread, which then takes a queued task. */
  private static final Runnable WAKE = () -> {};

  private final int maxThreads;
  private final Object heldLock = new Object();
  private int held;

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

  ElasticThreadPool(int maxThreads, String threadPrefix) {
    this(maxThreads, new Workers(threadPrefix));
  }

  private ElasticThreadPool(int maxThreads, Workers workers) {
    super(0, maxThreads, KEEP_ALIVE_SECONDS, TimeUnit.SECONDS, new HandOffQueue(), workers, ElasticThreadPool::overflow);
    this.maxThreads = maxThreads;
    // No thread exists before the constructor returns, so every worker knows its pool.
    workers.pool = this;
  }

  /**
   * Runs {@code task} on an idle thread, a new one, or the next free one. If the OS refuses a new
   * thread (its limit on threads or memory), the task waits for a running one instead of failing.
   */
  @Override
  public void execute(Runnable task) {
    try {
      super.execute(task);
    } catch (OutOfMemoryError noNewThread) {
      if (getPoolSize() == 0 || isShutdown()) {
        throw noNewThread;
      }
      ((HandOffQueue) getQueue()).enqueue(task);
    }
  }

  /** The bound on busy threads, not counting held ones. */
  int maxThreads() {
    return maxThreads;
  }

  /**
   * Counts one of this pool's threads as held ({@code +1}) by a stopped call that has not returned,
   * or released again ({@code -1}): the bound rises by the held threads, and a queued task gets a
   * thread in place of the held one at once.
   */
  void held(int delta) {
    synchronized (heldLock) {
      held += delta;
      setMaximumPoolSize(maxThreads + held);
    }
    if (delta > 0 && !getQueue().isEmpty()) {
      execute(WAKE);
    }
  }

  /** All {@code maxThreads} threads are busy: the task waits in the queue for the next free one. */
  private static void overflow(Runnable task, ThreadPoolExecutor pool) {
    if (pool.isShutdown()) {
      throw new RejectedExecutionException("The tool thread pool is shut down (was the LlmCompiler closed?).");
    }
    ((HandOffQueue) pool.getQueue()).enqueue(task);
    // Every thread may have timed out between the refusal and the enqueue: then start one for it.
    if (pool.getPoolSize() == 0) {
      pool.execute(WAKE);
    }
  }

  /**
   * A queue that accepts a task only when an idle thread takes it at once, so that the pool starts a
   * new thread instead of queueing; tasks are queued for real only by {@link #overflow}.
   */
  private static final class HandOffQueue extends LinkedTransferQueue<Runnable> {
    private static final long serialVersionUID = 1L;

    @Override
    public boolean offer(Runnable task) {
      return tryTransfer(task);
    }

    void enqueue(Runnable task) {
      put(task);
    }
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
