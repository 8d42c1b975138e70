package dev.llmcompiler.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmcompiler.runtime.LlmCompiler;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The progress view fed by a real run of the seed question over the offline demo model. */
class ProgressViewTest {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  private void play(ProgressView view) {
    try (ReplayLlm llm = new ReplayLlm(ReplayLlm.Pacing.INSTANT);
        LlmCompiler compiler =
            LlmCompiler.builder()
                .llm(llm)
                .tools(
                    EncyclopediaTools.of(new Encyclopedia(Duration.ZERO)),
                    CalculatorTools.of(new Calculator()))
                .listener(view)
                .build()) {
      // run returns after the listener has received every event of the run.
      compiler.run(DemoQuestions.SEED);
    }
    view.finish();
  }

  @Test
  void plainOutputIsOneLinePerEvent() {
    play(new ProgressView(out, false, new RunClock()));
    assertThat(bytes.toString(StandardCharsets.UTF_8).lines())
        // A round start, then four tasks planned, running and done, then the joiner.
        .hasSize(14)
        .allMatch(line -> line.matches("\\[ *\\d+ ms\\] .*"))
        .anyMatch(line -> line.endsWith("round 1: planning"))
        .anyMatch(line -> line.endsWith("planned  1. search(query=\"Microsoft market cap\")"))
        // Planned as written, run with the references resolved.
        .anyMatch(line -> line.endsWith("planned  3. math(expression=\"${2.value} - ${1.value}\")"))
        .anyMatch(line -> line.endsWith("running  1. search {\"query\":\"Microsoft market cap\"}"))
        .anyMatch(
            line -> line.matches(".*running  3\\. math \\{\"expression\":\"[0-9.]+ - [0-9.]+\"}"))
        .anyMatch(
            line ->
                line.matches(
                    ".*done     1\\. search \\(\\d+ ms -> \\{\"found\":true,\"title\":\"Microsoft\".*"))
        .anyMatch(line -> line.matches(".*done     3\\. math \\(\\d+ ms -> 100\\.0\\)"))
        .anyMatch(line -> line.endsWith("joiner   finish"))
        .noneMatch(line -> line.contains("\033"));
  }

  @Test
  void liveOutputRedrawsOneBlockInPlace() {
    play(new ProgressView(out, true, new RunClock()));
    String text = bytes.toString(StandardCharsets.UTF_8);
    // Each frame moves back over the previous one and clears it.
    assertThat(text).contains("\033[1F\033[J", "\033[2F\033[J");
    String lastFrame = text.substring(text.lastIndexOf("\033[J") + 3);
    assertThat(lastFrame.lines()).hasSize(5);
    assertThat(lastFrame)
        .contains(
            "answered",
            "done     1. search(query=\"Microsoft market cap\")",
            "done     4. math(expression=\"(${2.value} - ${1.value}) / ${1.value} * 100\")");
  }
}
