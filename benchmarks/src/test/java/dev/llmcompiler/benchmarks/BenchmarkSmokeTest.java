package dev.llmcompiler.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark end to end in its smoke size: every system, every workload, every part of the
 * report.
 */
class BenchmarkSmokeTest {

  @Test
  void smokeRunProducesASaneReport(@TempDir Path out) throws Exception {
    BenchmarkMain.Options options =
        BenchmarkMain.Options.parse(new String[] {"--smoke", "--out", out.toString()});
    Path md = BenchmarkMain.run(options, "--smoke");

    JsonNode report = new ObjectMapper().readTree(Files.readString(out.resolve("report.json")));
    // Nothing lost: every run of every system answered correctly with every task run once.
    assertThat(report.path("runs").asInt()).isEqualTo(4 * SideBySide.SYSTEMS.size());
    assertThat(report.path("correctRuns").asInt()).isEqualTo(report.path("runs").asInt());
    assertThat(report.path("unmatchedRequests").asInt()).isZero();
    for (JsonNode m : report.path("measurements")) {
      if (m.path("system").asText().startsWith("LLMCompiler")) {
        assertThat(m.path("floorMs").asDouble())
            .as("floor of %s", m)
            .isPositive()
            .isLessThanOrEqualTo(m.path("wallMs").asDouble());
      }
    }
    // Ratios computed for every workload and baseline.
    for (JsonNode w : report.path("workloads")) {
      for (JsonNode ratio : w.path("speedupOfStreamingLlmCompiler")) {
        assertThat(ratio.path("median").asDouble())
            .as("speedup in %s", w.path("name"))
            .isPositive();
      }
    }
    JsonNode slower = report.path("sensitivitySlowerModel");
    assertThat(slower.path("measurements")).hasSize(2 * Report.SENSITIVITY_SYSTEMS.size());
    slower
        .path("measurements")
        .forEach(m -> assertThat(m.path("correct").asBoolean()).as("%s", m).isTrue());
    assertThat(slower.path("Movie").path("speedupOverReAct").asDouble()).isPositive();
    // Direct answers: ParallelQA's plan answers in its join, so the run makes one model call and
    // none for the joiner; with directAnswers(false) the joiner answers in a second call.
    JsonNode direct = report.path("directAnswers");
    assertThat(direct.path("measurements")).hasSize(Report.DIRECT_ANSWER_SYSTEMS.size());
    direct
        .path("measurements")
        .forEach(m -> assertThat(m.path("correct").asBoolean()).as("%s", m).isTrue());
    JsonNode parallelQa = direct.path("ParallelQA");
    assertThat(parallelQa.path(SideBySide.STREAMING).path("llmCalls").path("median").asInt())
        .isEqualTo(1);
    assertThat(parallelQa.path(SideBySide.JOINER_ALWAYS).path("llmCalls").path("median").asInt())
        .isEqualTo(2);
    assertThat(Files.readString(md)).contains("### Direct answers");
    assertThat(report.path("plannerPromptTokens").asInt()).isBetween(200, 5000);
    assertThat(report.path("jsonPlannerPromptTokens").asInt()).isBetween(200, 5000);
    assertThat(report.path("planSchemaTokens").asInt()).isPositive();
    // JSON mode beside text mode, in time and tokens, on every workload.
    for (JsonNode w : report.path("workloads")) {
      JsonNode json = w.path("systems").path(SideBySide.JSON);
      assertThat(json.path("correctRuns").asInt())
          .as("JSON plan runs of %s", w.path("name"))
          .isPositive();
      assertThat(json.path("completionTokens").path("median").asDouble())
          .as("a JSON plan of %s takes more output tokens than the text plan", w.path("name"))
          .isGreaterThan(
              w.path("systems")
                  .path(SideBySide.STREAMING)
                  .path("completionTokens")
                  .path("median")
                  .asDouble());
    }
    assertThat(report.path("overhead")).hasSize(6);
    report.path("overhead").forEach(o -> assertThat(o.path("complete").asBoolean()).isTrue());
    // Blocking tools, in a child JVM of this JDK and of the other one where it is installed:
    // nothing lost.
    JsonNode concurrency = report.path("concurrency");
    boolean otherJdk =
        ConcurrencyBenchmark.jdks(null).stream()
            .allMatch(home -> Files.isExecutable(home.resolve("bin").resolve("java")));
    assertThat(concurrency).hasSize(otherJdk ? 2 : 1);
    for (JsonNode batch : concurrency) {
      assertThat(batch.path("completed").asInt())
          .as("%s", batch)
          .isEqualTo(batch.path("runs").asInt());
      assertThat(batch.path("peakThreads").asInt()).as("%s", batch).isPositive();
    }
    // Every system has a time to its first answer token, within its run.
    for (JsonNode m : report.path("measurements")) {
      assertThat(m.path("firstAnswerMs").asDouble())
          .as("%s", m)
          .isPositive()
          .isLessThanOrEqualTo(m.path("wallMs").asDouble());
      assertThat(m.path("cachedPromptTokens").asLong())
          .as("%s", m)
          .isBetween(0L, m.path("promptTokens").asLong());
    }
    assertThat(report.path("targets").size()).isGreaterThan(8);
    // The first call in fresh JVMs: one probe per mode, every figure a real duration, and the
    // simulated
    // LLM saw exactly the probes' own calls (first, warm, second client's), so the warm-ups sent
    // nothing.
    JsonNode firstCall = report.path("firstCall");
    assertThat(firstCall.path("probes")).hasSize(2 * FirstCallBenchmark.SMOKE_REPEATS);
    assertThat(firstCall.path("serverRequests").asInt())
        .isEqualTo(firstCall.path("expectedServerRequests").asInt())
        .isEqualTo(
            2 * FirstCallBenchmark.SMOKE_REPEATS * (2 + firstCall.path("warmCallsPerJvm").asInt()));
    for (JsonNode probe : firstCall.path("probes")) {
      assertThat(probe.path("buildMs").asDouble()).as("%s", probe).isPositive();
      assertThat(probe.path("firstCallMs").asDouble()).as("%s", probe).isPositive();
      assertThat(probe.path("warmCallMs").asDouble()).as("%s", probe).isPositive();
      assertThat(probe.path("newClientFirstCallMs").asDouble()).as("%s", probe).isPositive();
      assertThat(probe.path("firstCallClasses").asLong()).as("%s", probe).isNotNegative();
      boolean warmed = probe.path("mode").asText().equals(FirstCallBenchmark.WARMED);
      assertThat(probe.has("warmUpMs")).as("%s", probe).isEqualTo(warmed);
      if (warmed) {
        assertThat(probe.path("warmUpMs").asDouble()).as("%s", probe).isPositive();
      }
    }
    assertThat(
            firstCall.path("modes").path(FirstCallBenchmark.COLD).path("addedMs").path("n").asInt())
        .isEqualTo(FirstCallBenchmark.SMOKE_REPEATS);

    String text = Files.readString(md);
    assertThat(text)
        .contains(
            "SMOKE RUN",
            "## Targets",
            "## 2. The floor",
            "## 4. Cost",
            "## 5. The first call in a fresh JVM",
            "## 6. Plan formats: text and JSON",
            report.path("machine").path("jdk").asText());
    assertThat(Files.readString(out.resolve("chart.svg"))).startsWith("<svg").contains("Movie");
  }
}
