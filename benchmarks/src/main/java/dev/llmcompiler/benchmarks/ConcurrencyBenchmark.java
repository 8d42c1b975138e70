package dev.llmcompiler.benchmarks;

import dev.llmcompiler.runtime.LlmCompiler;
import dev.llmcompiler.runtime.RunOutcome;
import dev.llmcompiler.runtime.RunResult;
import dev.llmcompiler.runtime.TaskStatus;
import dev.llmcompiler.runtime.llm.LlmClient;
import dev.llmcompiler.runtime.llm.LlmRequest;
import dev.llmcompiler.runtime.llm.LlmResponse;
import dev.llmcompiler.runtime.llm.LlmStreamListener;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Many runs at once on one compiler: an in-memory LLM that streams its plan lines and answers the
 * joiner on timers (no thread held while "thinking"), and tools that wait without a thread, so the
 * only contended resource is the framework. Each run's added latency is its wall time minus its
 * critical-path floor, which the fixed timings give exactly.
 */
final class ConcurrencyBenchmark {
  static final long FIRST_LINE_MS = 200;
  static final long LINE_GAP_MS = 20;
  static final long TOOL_MS = 300;
  static final long JOINER_MS = 200;
  static final List<String> PLAN = List.of("1. pause(\"a\")\n", "2. pause(\"b\")\n", "3. pause(\"c\")\n",
      "4. pause(\"${1} ${2} ${3}\")\n", "5. join()");

  /**
   * The outcome.
   *
   * @param runs runs started
   * @param completed runs that finished with the answer and every task ok
   * @param floorMs the floor of one run
   * @param wallMs the whole batch, first start to last end
   * @param addedP50Ms median added latency (wall - floor)
   * @param addedP99Ms 99th percentile added latency
   * @param addedMaxMs worst added latency
   * @param peakThreads the JVM's peak live threads during the batch
   * @param peakHeapMb the sum of heap pools' peak usage during the batch (an upper bound)
   */
  record Result(int runs, int completed, double floorMs, double wallMs, double addedP50Ms, double addedP99Ms,
      double addedMaxMs, int peakThreads, double peakHeapMb) {}

  private ConcurrencyBenchmark() {}

  /** Runs only this part: {@code [runs...]}, e.g. {@code 100 1000} to see how added latency grows. */
  public static void main(String[] args) throws Exception {
    for (String runs : args.length == 0 ? new String[] {"1000"} : args) {
      System.out.println(run(Integer.parseInt(runs)));
    }
  }

  static double floorMs() {
    List<CriticalPath.Task> tasks = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      tasks.add(new CriticalPath.Task(i, FIRST_LINE_MS + (i - 1) * LINE_GAP_MS, TOOL_MS, List.of()));
    }
    tasks.add(new CriticalPath.Task(4, FIRST_LINE_MS + 3 * LINE_GAP_MS, TOOL_MS, List.of(1, 2, 3)));
    double planMs = FIRST_LINE_MS + 4 * LINE_GAP_MS;
    return CriticalPath.bound(List.of(new CriticalPath.Round(planMs, tasks, JOINER_MS)));
  }

  static Result run(int runs) throws Exception {
    ScheduledExecutorService timers = Executors.newScheduledThreadPool(2, r -> {
      Thread thread = new Thread(r, "concurrency-timer");
      thread.setDaemon(true);
      return thread;
    });
    try (LlmCompiler compiler = LlmCompiler.builder().llm(new TimedLlm(timers))
        .tools(NoopToolsTools.of(new NoopTools(TOOL_MS, timers))).build()) {
      // A warm-up batch, so class loading and the JIT are not charged to the measured runs.
      List<CompletableFuture<RunResult>> warmUp = new ArrayList<>();
      for (int i = 0; i < Math.min(runs, 200); i++) {
        warmUp.add(compiler.runAsync("warm-up " + i));
      }
      CompletableFuture.allOf(warmUp.toArray(new CompletableFuture<?>[0])).get(120, TimeUnit.SECONDS);
      System.gc();
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      threads.resetPeakThreadCount();
      List<MemoryPoolMXBean> heap = new ArrayList<>();
      for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
        if (pool.getType() == MemoryType.HEAP) {
          pool.resetPeakUsage();
          heap.add(pool);
        }
      }
      long batchStart = System.nanoTime();
      List<CompletableFuture<Double>> walls = new ArrayList<>(runs);
      for (int i = 0; i < runs; i++) {
        long start = System.nanoTime();
        walls.add(compiler.runAsync("run " + i).thenApply(result ->
            complete(result) ? (System.nanoTime() - start) / 1e6 : Double.NaN));
      }
      CompletableFuture.allOf(walls.toArray(new CompletableFuture<?>[0])).get(120, TimeUnit.SECONDS);
      double batchMs = (System.nanoTime() - batchStart) / 1e6;
      int peakThreads = threads.getPeakThreadCount();
      long peakHeap = heap.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
      double floor = floorMs();
      List<Double> added = new ArrayList<>();
      for (CompletableFuture<Double> wall : walls) {
        double ms = wall.get();
        if (!Double.isNaN(ms)) {
          added.add(ms - floor);
        }
      }
      double[] sorted = Stats.sorted(added);
      return new Result(runs, added.size(), floor, batchMs, Stats.percentile(sorted, 50),
          Stats.percentile(sorted, 99), sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1],
          peakThreads, peakHeap / (1024.0 * 1024.0));
    } finally {
      timers.shutdownNow();
    }
  }

  private static boolean complete(RunResult result) {
    return result.outcome() == RunOutcome.FINISHED && result.answer().equals(InMemoryLlm.ANSWER)
        && result.trace().tasks().size() == 4
        && result.trace().tasks().stream().allMatch(t -> t.status() == TaskStatus.OK);
  }

  /** Streams {@link #PLAN} on timers and answers the joiner after {@link #JOINER_MS}. */
  private static final class TimedLlm implements LlmClient {
    private final ScheduledExecutorService timers;

    TimedLlm(ScheduledExecutorService timers) {
      this.timers = timers;
    }

    @Override
    public CompletableFuture<LlmResponse> chat(LlmRequest request, LlmStreamListener listener) {
      CompletableFuture<LlmResponse> response = new CompletableFuture<>();
      if (request.purpose().equals("planner")) {
        timers.schedule(() -> deliver(0, listener, response), FIRST_LINE_MS, TimeUnit.MILLISECONDS);
      } else {
        String reply = "Thought: all tasks ran.\nAction: Finish(" + InMemoryLlm.ANSWER + ")";
        timers.schedule(() -> response.complete(LlmResponse.builder().text(reply).finishReason("stop").build()),
            JOINER_MS, TimeUnit.MILLISECONDS);
      }
      return response;
    }

    /** One line, then the next is scheduled from here, so deltas never overlap. */
    private void deliver(int line, LlmStreamListener listener, CompletableFuture<LlmResponse> response) {
      if (response.isDone()) {
        return;
      }
      listener.onText(PLAN.get(line));
      if (line + 1 < PLAN.size()) {
        timers.schedule(() -> deliver(line + 1, listener, response), LINE_GAP_MS, TimeUnit.MILLISECONDS);
      } else {
        response.complete(LlmResponse.builder().text(String.join("", PLAN)).finishReason("stop").build());
      }
    }
  }
}
