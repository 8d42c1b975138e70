package dev.llmcompiler.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmcompiler.runtime.LlmCompiler;
import dev.llmcompiler.runtime.LlmCompilerException;
import dev.llmcompiler.runtime.RunOutcome;
import dev.llmcompiler.runtime.RunResult;
import dev.llmcompiler.runtime.TaskStatus;
import dev.llmcompiler.runtime.TaskTrace;
import dev.llmcompiler.runtime.llm.LlmClient;
import dev.llmcompiler.runtime.llm.LlmRequest;
import dev.llmcompiler.runtime.llm.LlmResponse;
import dev.llmcompiler.runtime.llm.LlmStreamListener;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Many runs at once on one compiler, on each JDK: an in-memory LLM that streams its plan lines and
 * answers the joiner on timers (no thread held while "thinking"), and tools that block their thread
 * for a fixed pause, like calls through a blocking HTTP client. Each run's added latency is its
 * wall time minus its critical-path floor, which the fixed timings give exactly.
 *
 * <p>Each JDK's batch runs in a fresh child JVM of that JDK with the same classpath and default
 * settings, so thread and memory figures hold only the batch. The tool timeout is a few times the
 * tool's pause: a call that waited its turn for a thread and then ran normally must not time out.
 */
final class ConcurrencyBenchmark {
  static final long FIRST_LINE_MS = 200;
  static final long LINE_GAP_MS = 20;
  static final long TOOL_MS = 300;
  static final long JOINER_MS = 200;
  static final Duration TOOL_TIMEOUT = Duration.ofSeconds(1);
  static final List<String> PLAN =
      List.of(
          "1. block(\"a\")\n",
          "2. block(\"b\")\n",
          "3. block(\"c\")\n",
          "4. block(\"${1} ${2} ${3}\")\n",
          "5. join()");

  /**
   * Where the other JDK is looked for when none is given: a JDK 25 from JDK 17, and the other way
   * round.
   */
  static final Path JDK_25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");

  static final Path JDK_17 = Path.of("/usr/lib/jvm/java-17-openjdk-amd64");

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long CHILD_TIMEOUT_SECONDS = 600;

  /**
   * The outcome of one JDK's batch.
   *
   * @param jdk the child JVM's {@code java.runtime.version}
   * @param jdkFeature its feature release, e.g. 17
   * @param executor what the compiler's default executor was on that JDK
   * @param runs runs started
   * @param completed runs that finished with the answer and every task ok
   * @param floorMs the floor of one run
   * @param wallMs the whole batch, first start to last end
   * @param addedP50Ms median added latency (wall - floor) of the completed runs
   * @param addedP99Ms 99th percentile added latency
   * @param addedMaxMs worst added latency
   * @param peakThreads the JVM's peak live platform threads during the batch (virtual threads not
   *     counted)
   * @param peakHeapMb the sum of heap pools' peak usage during the batch (an upper bound)
   * @param peakRssMb the process's peak resident memory during the batch (Linux), NaN where unknown
   * @param firstFailure what went wrong in the first run that did not complete, or empty
   */
  record Result(
      String jdk,
      int jdkFeature,
      String executor,
      int runs,
      int completed,
      double floorMs,
      double wallMs,
      double addedP50Ms,
      double addedP99Ms,
      double addedMaxMs,
      int peakThreads,
      double peakHeapMb,
      double peakRssMb,
      String firstFailure) {}

  private ConcurrencyBenchmark() {}

  /**
   * Runs only this part: {@code [runs...]} in this JVM, e.g. {@code 100 2000} to see how added
   * latency grows; or, as a child process, {@code child RUNS}, which prints {@code RESULT {json}}.
   */
  public static void main(String[] args) throws Exception {
    if (args.length == 2 && args[0].equals("child")) {
      System.out.println("RESULT " + JSON.writeValueAsString(run(Integer.parseInt(args[1]))));
    } else {
      for (String runs : args.length == 0 ? new String[] {"2000"} : args) {
        System.out.println(run(Integer.parseInt(runs)));
      }
    }
    System.exit(0);
  }

  /**
   * This JVM's JDK, then the other one ({@code other}, or {@link #JDK_25} / {@link #JDK_17} if
   * null).
   */
  static List<Path> jdks(Path other) {
    Path current = Path.of(System.getProperty("java.home"));
    Path second = other != null ? other : Runtime.version().feature() >= 21 ? JDK_17 : JDK_25;
    List<Path> jdks = new ArrayList<>(List.of(current));
    if (!second.toAbsolutePath().normalize().equals(current.toAbsolutePath().normalize())) {
      jdks.add(second);
    }
    return jdks;
  }

  /**
   * Runs {@code runs} runs at once in a child JVM of each JDK that exists; logs the ones that do
   * not.
   */
  static List<Result> runOnEach(List<Path> javaHomes, int runs, Consumer<String> log)
      throws Exception {
    List<Result> results = new ArrayList<>();
    for (Path home : javaHomes) {
      Path java = home.resolve("bin").resolve("java");
      if (!Files.isExecutable(java)) {
        log.accept("concurrency: no JDK at " + home + " (" + java + " is not there); skipped");
        continue;
      }
      log.accept(
          "concurrency: " + runs + " runs at once, blocking tools, in a child JVM of " + home);
      Result r = runInChild(java, runs);
      log.accept(
          String.format(
              Locale.ROOT,
              "concurrency: JDK %s (%s): %d/%d complete, added p50 %.1f ms, p99 %.1f ms,"
                  + " peak threads %d, peak heap %.0f MB, peak RSS %.0f MB%s",
              r.jdk(),
              r.executor(),
              r.completed(),
              r.runs(),
              r.addedP50Ms(),
              r.addedP99Ms(),
              r.peakThreads(),
              r.peakHeapMb(),
              r.peakRssMb(),
              r.firstFailure().isEmpty() ? "" : "; first failure: " + r.firstFailure()));
      results.add(r);
    }
    return results;
  }

  private static Result runInChild(Path java, int runs) throws Exception {
    Path output = Files.createTempFile("llmcompiler-concurrency", ".txt");
    try {
      Process process =
          new ProcessBuilder(
                  java.toString(),
                  "-cp",
                  System.getProperty("java.class.path"),
                  ConcurrencyBenchmark.class.getName(),
                  "child",
                  Integer.toString(runs))
              .redirectErrorStream(true)
              .redirectOutput(output.toFile())
              .start();
      if (!process.waitFor(CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(
            "The concurrency batch on "
                + java
                + " did not finish within "
                + CHILD_TIMEOUT_SECONDS
                + " s; its output:\n"
                + Files.readString(output));
      }
      String text = Files.readString(output);
      String line =
          text.lines()
              .filter(l -> l.startsWith("RESULT "))
              .findFirst()
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          "The concurrency batch on "
                              + java
                              + " exited with "
                              + process.exitValue()
                              + " and no RESULT line; its output:\n"
                              + text));
      return JSON.readValue(line.substring("RESULT ".length()), Result.class);
    } finally {
      Files.deleteIfExists(output);
    }
  }

  static double floorMs() {
    List<CriticalPath.Task> tasks = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      tasks.add(
          new CriticalPath.Task(i, FIRST_LINE_MS + (i - 1) * LINE_GAP_MS, TOOL_MS, List.of()));
    }
    tasks.add(new CriticalPath.Task(4, FIRST_LINE_MS + 3 * LINE_GAP_MS, TOOL_MS, List.of(1, 2, 3)));
    double planMs = FIRST_LINE_MS + 4 * LINE_GAP_MS;
    return CriticalPath.bound(List.of(new CriticalPath.Round(planMs, tasks, JOINER_MS)));
  }

  /** One run's end: its wall time if it completed, else NaN and what went wrong. */
  private record Outcome(double wallMs, String failure) {}

  /** Runs {@code runs} runs at once in this JVM, after a warm-up batch. */
  static Result run(int runs) throws Exception {
    ScheduledExecutorService timers =
        Executors.newScheduledThreadPool(
            2,
            r -> {
              Thread thread = new Thread(r, "concurrency-timer");
              thread.setDaemon(true);
              return thread;
            });
    try (LlmCompiler compiler =
        LlmCompiler.builder()
            .llm(new TimedLlm(timers))
            .tools(NoopToolsTools.of(new NoopTools(TOOL_MS, timers)))
            .toolTimeout(TOOL_TIMEOUT)
            .build()) {
      // A warm-up batch of the same size, so class loading, the JIT and the pool's first threads
      // are
      // not charged to the measured runs.
      List<CompletableFuture<Outcome>> warmUp = new ArrayList<>();
      for (int i = 0; i < runs; i++) {
        warmUp.add(start(compiler, "warm-up " + i));
      }
      CompletableFuture.allOf(warmUp.toArray(new CompletableFuture<?>[0]))
          .get(300, TimeUnit.SECONDS);
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
      resetPeakRss();
      long batchStart = System.nanoTime();
      List<CompletableFuture<Outcome>> outcomes = new ArrayList<>(runs);
      for (int i = 0; i < runs; i++) {
        outcomes.add(start(compiler, "run " + i));
      }
      CompletableFuture.allOf(outcomes.toArray(new CompletableFuture<?>[0]))
          .get(300, TimeUnit.SECONDS);
      double batchMs = (System.nanoTime() - batchStart) / 1e6;
      int peakThreads = threads.getPeakThreadCount();
      long peakHeap = heap.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
      double peakRssMb = peakRssMb();
      double floor = floorMs();
      List<Double> added = new ArrayList<>();
      String firstFailure = "";
      for (CompletableFuture<Outcome> future : outcomes) {
        Outcome outcome = future.get();
        if (Double.isNaN(outcome.wallMs())) {
          firstFailure = firstFailure.isEmpty() ? outcome.failure() : firstFailure;
        } else {
          added.add(outcome.wallMs() - floor);
        }
      }
      double[] sorted = Stats.sorted(added);
      return new Result(
          System.getProperty("java.runtime.version"),
          Runtime.version().feature(),
          Runtime.version().feature() >= 21 ? "virtual threads" : "platform threads, elastic pool",
          runs,
          added.size(),
          floor,
          batchMs,
          Stats.percentile(sorted, 50),
          Stats.percentile(sorted, 99),
          sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1],
          peakThreads,
          peakHeap / (1024.0 * 1024.0),
          peakRssMb,
          firstFailure);
    } finally {
      timers.shutdownNow();
    }
  }

  private static CompletableFuture<Outcome> start(LlmCompiler compiler, String question) {
    long start = System.nanoTime();
    return compiler
        .runAsync(question)
        .handle(
            (result, error) -> {
              if (error != null) {
                Throwable cause =
                    error instanceof java.util.concurrent.CompletionException
                            && error.getCause() != null
                        ? error.getCause()
                        : error;
                String failure = cause.toString();
                if (cause instanceof LlmCompilerException e && e.partialResult().isPresent()) {
                  failure += " " + problems(e.partialResult().get());
                }
                return new Outcome(Double.NaN, failure);
              }
              String problems = problems(result);
              return problems.isEmpty()
                  ? new Outcome((System.nanoTime() - start) / 1e6, "")
                  : new Outcome(Double.NaN, problems);
            });
  }

  /** Why a run does not count as complete, or empty if it does. */
  private static String problems(RunResult result) {
    List<String> problems = new ArrayList<>();
    if (result.outcome() != RunOutcome.FINISHED) {
      problems.add("outcome " + result.outcome());
    }
    if (!result.answer().equals(InMemoryLlm.ANSWER)) {
      problems.add("answer '" + result.answer() + "'");
    }
    if (result.trace().tasks().size() != 4) {
      problems.add(result.trace().tasks().size() + " tasks");
    }
    for (TaskTrace task : result.trace().tasks()) {
      if (task.status() != TaskStatus.OK) {
        problems.add("task " + task.id() + ": " + task.error().orElse(task.status().toString()));
      }
    }
    return String.join("; ", problems);
  }

  /** Resets the process's peak resident memory (Linux 4.0+), so that the warm-up is not counted. */
  private static void resetPeakRss() {
    try {
      Files.writeString(Path.of("/proc/self/clear_refs"), "5");
    } catch (IOException | RuntimeException e) {
      // Not Linux, or not allowed: the peak then covers the whole process.
    }
  }

  /** VmHWM from /proc/self/status, MB; NaN where there is none. */
  private static double peakRssMb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
        }
      }
    } catch (IOException | RuntimeException e) {
      // Not Linux.
    }
    return Double.NaN;
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
        timers.schedule(
            () -> response.complete(LlmResponse.builder().text(reply).finishReason("stop").build()),
            JOINER_MS,
            TimeUnit.MILLISECONDS);
      }
      return response;
    }

    /** One line, then the next is scheduled from here, so deltas never overlap. */
    private void deliver(
        int line, LlmStreamListener listener, CompletableFuture<LlmResponse> response) {
      if (response.isDone()) {
        return;
      }
      listener.onText(PLAN.get(line));
      if (line + 1 < PLAN.size()) {
        timers.schedule(
            () -> deliver(line + 1, listener, response), LINE_GAP_MS, TimeUnit.MILLISECONDS);
      } else {
        response.complete(
            LlmResponse.builder().text(String.join("", PLAN)).finishReason("stop").build());
      }
    }
  }
}
