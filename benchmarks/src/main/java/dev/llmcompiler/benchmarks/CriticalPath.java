package dev.llmcompiler.benchmarks;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The physical floor of an LLMCompiler run: the earliest it could end if the framework took no time
 * at all. Per round, the planner starts when the previous round's joiner ended; each task starts at
 * the later of its plan line's arrival (offset from the planner's start, as measured on the wire)
 * and its dependencies' ends, and runs its tool's measured duration; the joiner starts when the
 * plan stream and all tasks have ended, and takes its measured call time.
 */
final class CriticalPath {
  private CriticalPath() {}

  /**
   * A task as the bound sees it.
   *
   * @param id the task id
   * @param lineMs when its line arrived, ms after its planner call started
   * @param durationMs how long its tool ran
   * @param dependsOn ids of the tasks it waited for (this round or earlier ones)
   */
  record Task(int id, double lineMs, double durationMs, List<Integer> dependsOn) {}

  /**
   * A round as the bound sees it.
   *
   * @param planMs the planner call's duration, start to last token
   * @param tasks its tasks
   * @param joinerMs the joiner calls' total duration
   */
  record Round(double planMs, List<Task> tasks, double joinerMs) {}

  /** The lower bound on the run's wall time, ms. */
  static double bound(List<Round> rounds) {
    Map<Integer, Double> finish = new HashMap<>();
    double time = 0;
    for (Round round : rounds) {
      double start = time;
      double done = start + round.planMs();
      for (Task task : round.tasks()) {
        double ready = start + task.lineMs();
        for (int dep : task.dependsOn()) {
          Double end = finish.get(dep);
          if (end == null) {
            throw new IllegalArgumentException(
                "task "
                    + task.id()
                    + " depends on task "
                    + dep
                    + ", which no earlier line defines");
          }
          ready = Math.max(ready, end);
        }
        double end = ready + task.durationMs();
        finish.put(task.id(), end);
        done = Math.max(done, end);
      }
      time = done + round.joinerMs();
    }
    return time;
  }
}
