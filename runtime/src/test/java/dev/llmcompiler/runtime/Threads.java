package dev.llmcompiler.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Checks that threads a test's run created have ended, with a bounded wait. */
final class Threads {
  private Threads() {}

  /**
   * Call after closing the compiler: pool threads end with their pool, virtual threads with their
   * task.
   */
  static void assertEnded(Collection<Thread> threads) throws InterruptedException {
    List<Thread> copy;
    synchronized (threads) {
      copy = new ArrayList<>(threads);
    }
    long deadline = System.nanoTime() + 5_000_000_000L;
    for (Thread thread : copy) {
      long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
      thread.join(left);
      assertThat(thread.isAlive()).as("thread %s still alive", thread).isFalse();
    }
  }

  /** No platform thread of the runtime's own pools is alive (after the compiler was closed). */
  static void assertNoRuntimeThreads() throws InterruptedException {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (true) {
      List<String> alive = new ArrayList<>();
      for (Thread thread : Thread.getAllStackTraces().keySet()) {
        if (thread.isAlive() && thread.getName().startsWith("llmcompiler-")) {
          alive.add(thread.getName());
        }
      }
      if (alive.isEmpty()) {
        return;
      }
      if (System.nanoTime() > deadline) {
        assertThat(alive).as("runtime threads alive after close").isEmpty();
      }
      Thread.sleep(20);
    }
  }
}
