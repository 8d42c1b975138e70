package dev.llmcompiler.benchmarks;

import dev.llmcompiler.runtime.LlmCompiler;
import dev.llmcompiler.runtime.RunResult;
import dev.llmcompiler.runtime.TaskStatus;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * Framework time per task: plans of N no-op tasks (wide: all independent; deep: one chain) fed by
 * an {@link InMemoryLlm}, so the run's wall time is all framework (parse, dispatch, reference
 * resolution, tool invocation plumbing, trace, joiner prompt). A careful harness rather than JMH:
 * warm-up runs until the JIT settles (no compilation during the last {@value #SETTLED_RUNS} runs,
 * within a budget of runs), then timed runs, median and min-max reported.
 */
final class OverheadBenchmark {
  /**
   * One size and shape.
   *
   * @param shape "wide" or "deep"
   * @param tasks N
   * @param runs timed runs
   * @param perTaskMicros median and range of wall time / N over the timed runs, microseconds
   * @param complete whether every timed run finished with every task ok
   */
  record Result(
      String shape, int tasks, int warmUps, int runs, Stats perTaskMicros, boolean complete) {}

  /** Warm-up ends after this many runs in a row during which the JIT compiled nothing. */
  static final int SETTLED_RUNS = 3;

  private static final CompilationMXBean JIT = ManagementFactory.getCompilationMXBean();

  private OverheadBenchmark() {}

  /** Runs only this part, e.g. under a profiler: {@code [task budget] [sizes...]}. */
  public static void main(String[] args) {
    long budget = args.length > 0 ? Long.parseLong(args[0]) : 100_000;
    List<Integer> sizes = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      sizes.add(Integer.parseInt(args[i]));
    }
    run(sizes.isEmpty() ? List.of(10, 100, 1000, 10000) : sizes, budget, System.out::println);
  }

  static List<Result> run(
      List<Integer> sizes, long taskBudget, java.util.function.Consumer<String> log) {
    List<Result> results = new ArrayList<>();
    NoopTools tools = new NoopTools(0, Runnable::run);
    for (String shape : List.of("wide", "deep")) {
      for (int n : sizes) {
        List<String> plan =
            shape.equals("wide") ? InMemoryLlm.wide(n, "noop") : InMemoryLlm.deep(n, "noop");
        try (LlmCompiler compiler =
            LlmCompiler.builder()
                .llm(new InMemoryLlm(plan))
                .tools(NoopToolsTools.of(tools))
                .maxTasksPerPlan(n + 1)
                .build()) {
          // Four times the timed runs' tasks (a fresh JVM needs about 20 runs of a 10,000-task
          // chain before its times settle), then more until the JIT has compiled nothing for a
          // few runs, within a cap.
          int minWarmUps = (int) Math.max(3, Math.min(500, 4 * taskBudget / n));
          int maxWarmUps = (int) Math.max(minWarmUps, Math.min(2000, 10 * taskBudget / n));
          int timed = (int) Math.max(20, Math.min(200, taskBudget / n));
          boolean complete = true;
          int warmUps = 0;
          int quiet = 0;
          while (warmUps < maxWarmUps && (warmUps < minWarmUps || quiet < SETTLED_RUNS)) {
            long compiledBefore = compilationMillis();
            complete &= check(compiler.run("overhead"), n);
            warmUps++;
            quiet = compilationMillis() == compiledBefore ? quiet + 1 : 0;
          }
          List<Double> perTask = new ArrayList<>();
          for (int i = 0; i < timed; i++) {
            long start = System.nanoTime();
            RunResult result = compiler.run("overhead");
            perTask.add((System.nanoTime() - start) / 1e3 / n);
            complete &= check(result, n);
          }
          Result r = new Result(shape, n, warmUps, timed, Stats.of(perTask), complete);
          log.accept(
              String.format(
                  "overhead %s N=%d: %.2f us/task (min %.2f, max %.2f) over %d runs after %d"
                      + " warm-up runs%s",
                  shape,
                  n,
                  r.perTaskMicros().median(),
                  r.perTaskMicros().min(),
                  r.perTaskMicros().max(),
                  timed,
                  warmUps,
                  complete ? "" : " INCOMPLETE"));
          results.add(r);
        }
      }
    }
    return results;
  }

  /** The JIT's total compilation time so far, or 0 where the JVM does not report it. */
  private static long compilationMillis() {
    return JIT != null && JIT.isCompilationTimeMonitoringSupported()
        ? JIT.getTotalCompilationTime()
        : 0;
  }

  private static boolean check(RunResult result, int n) {
    return result.answer().equals(InMemoryLlm.ANSWER)
        && result.trace().tasks().size() == n
        && result.trace().tasks().stream().allMatch(t -> t.status() == TaskStatus.OK);
  }
}
