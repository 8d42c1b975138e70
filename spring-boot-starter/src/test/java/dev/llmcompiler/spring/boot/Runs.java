package dev.llmcompiler.spring.boot;

import dev.llmcompiler.runtime.RoundTrace;
import dev.llmcompiler.runtime.RunResult;
import dev.llmcompiler.runtime.TaskTrace;
import java.util.ArrayList;
import java.util.List;

/** What a run's tools returned or why they failed, from its trace. */
final class Runs {
  private Runs() {}

  /** Each task's result as text, or {@code error: ...}, in task order. */
  static List<String> results(RunResult result) {
    List<String> results = new ArrayList<>();
    for (RoundTrace round : result.trace().rounds()) {
      for (TaskTrace task : round.tasks()) {
        results.add(
            task.result()
                .map(json -> json.isTextual() ? json.asText() : json.toString())
                .orElseGet(() -> "error: " + task.error().orElse("")));
      }
    }
    return results;
  }
}
