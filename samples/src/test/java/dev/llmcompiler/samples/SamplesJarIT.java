package dev.llmcompiler.samples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runnable jar, end to end, offline: no network, no key. */
class SamplesJarIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final String SEED_ANSWER =
      "Answer: Microsoft's market cap (3,300 billion USD) would need to increase by"
          + " more than 100 billion USD, about 3.03%, to exceed Apple's (3,400 billion USD).";

  @TempDir Path dir;

  @Test
  void offlineWithoutArgumentsAnswersTheSeedQuestionWithATimeline() throws Exception {
    Path trace = dir.resolve("trace.json");
    Path chrome = dir.resolve("chrome/run.json");
    JarRunner.Result run =
        JarRunner.run(
            Map.of(),
            TIMEOUT,
            "--trace-json",
            trace.toString(),
            "--trace-chrome",
            chrome.toString());
    assertThat(run.exitCode()).as(run.stderr()).isZero();
    String out = run.stdout();
    assertThat(out).contains("Question: " + DemoQuestions.SEED, "OFFLINE REPLAY", SEED_ANSWER);
    // The plain progress view (stdout is not a terminal): tasks planned, running and done.
    assertThat(out)
        .containsPattern("\\] planned  1\\. search\\(query=\"Microsoft market cap\"\\)")
        .containsPattern("\\] running  2\\. search")
        .containsPattern("\\] done     4\\. math");
    // The timeline: one row per LLM call and task on one axis, then the totals.
    assertThat(out).contains("Timeline: 0 to ");
    assertThat(out)
        .containsPattern("(?m)^  planner +\\|.*\\| +\\d+- *\\d+ ms$")
        .containsPattern("(?m)^  1 search +\\|.*\\| +\\d+- *\\d+ ms$")
        .containsPattern("(?m)^  2 search +\\|.*\\| +\\d+- *\\d+ ms$")
        .containsPattern("(?m)^  4 math +\\|.*\\| +\\d+- *\\d+ ms$")
        .containsPattern("(?m)^  joiner +\\|.*\\| +\\d+- *\\d+ ms$");
    assertThat(out)
        .containsPattern(
            "Wall time \\d+ ms \\| LLM calls 2 \\(\\d+ ms\\) \\| tokens \\d+ .*\\| tasks 4")
        .containsPattern(
            "One step after another, the same calls and tasks would take \\d+ ms: [\\d.]+x the wall time");
    JsonNode json = new ObjectMapper().readTree(Files.readString(trace));
    assertThat(json.path("answer").asText()).isEqualTo(SEED_ANSWER.substring("Answer: ".length()));
    assertThat(json.path("rounds").get(0).path("tasks")).hasSize(4);

    // The same run for Perfetto: the planner and joiner on the model-call row, the four tasks on
    // task rows.
    assertThat(out).contains("Chrome trace written to " + chrome);
    JsonNode events = new ObjectMapper().readTree(Files.readString(chrome)).path("traceEvents");
    Map<Integer, String> rows = new HashMap<>();
    List<String> calls = new ArrayList<>();
    List<String> tasks = new ArrayList<>();
    for (JsonNode event : events) {
      if (event.path("ph").asText().equals("M")
          && event.path("name").asText().equals("thread_name")) {
        rows.put(event.path("tid").asInt(), event.path("args").path("name").asText());
      }
    }
    for (JsonNode event : events) {
      if (event.path("ph").asText().equals("X")) {
        String row = rows.get(event.path("tid").asInt());
        if (event.path("cat").asText().equals("llm")) {
          assertThat(row).startsWith("LLM calls");
          calls.add(event.path("name").asText());
        } else if (event.path("cat").asText().equals("task")) {
          assertThat(row).startsWith("tasks");
          tasks.add(event.path("name").asText());
        }
      }
    }
    assertThat(calls).containsExactly("planner (round 1)", "joiner (round 1)");
    assertThat(tasks).containsExactlyInAnyOrder("1. search", "2. search", "3. math", "4. math");
  }

  @Test
  void badArgumentsExitWithTwoAndAOneLineError() throws Exception {
    JarRunner.Result run = JarRunner.run(Map.of(), TIMEOUT, "--tool-latency-ms", "soon");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.stderr().strip())
        .startsWith("llmcompiler-samples: --tool-latency-ms must be a whole number")
        .doesNotContain("\n");
    assertThat(run.stdout()).isEmpty();

    JarRunner.Result unknown = JarRunner.run(Map.of(), TIMEOUT, "--turbo");
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.stderr().strip())
        .isEqualTo("llmcompiler-samples: unknown option '--turbo' (run with --help for usage)");
  }

  @Test
  void reactBaselineRunsOfflineOneToolCallPerTurn() throws Exception {
    JarRunner.Result run =
        JarRunner.run(
            Map.of(),
            TIMEOUT,
            "--react",
            "--tool-latency-ms",
            "100",
            "Which magazine was started first, Arthur's Magazine or First for Women?");
    assertThat(run.exitCode()).as(run.stderr()).isZero();
    assertThat(run.stdout())
        .contains(
            "ReAct baseline",
            "Answer: Arthur's Magazine was started first: in 1844, 145 years before First for Women (1989).");
    assertThat(run.stdout())
        .containsPattern("LLM calls 3 ")
        .containsPattern("(?m)^  react +\\|")
        .containsPattern("(?m)^  2 search +\\|");
  }
}
