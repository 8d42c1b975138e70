package dev.llmcompiler.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The CLI in process, for what needs no model; the jar itself is tested end to end in {@code
 * SamplesJarIT}.
 */
class MainTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(Map<String, String> env, String... args) {
    return Main.run(
        args,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8),
        env,
        false,
        StandardCharsets.UTF_8);
  }

  @Test
  void badArgumentsExitWithTwoAndOneLineOnStderr() {
    assertThat(run(Map.of(), "--tool-latency-ms", "fast")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .isEqualTo(
            "llmcompiler-samples: --tool-latency-ms must be a whole"
                + " number of milliseconds from 0 to 60000, got 'fast' (run with --help for usage)"
                + System.lineSeparator());
    assertThat(out.size()).isZero();
  }

  @Test
  void helpDocumentsOptionsEnvironmentQuestionsAndExamples() {
    assertThat(run(Map.of(), "--help")).isZero();
    String help = out.toString(StandardCharsets.UTF_8);
    assertThat(help)
        .contains(
            "--offline",
            "--react",
            "--trace-json FILE",
            "--trace-chrome FILE",
            "--tool-latency-ms N",
            "--plain",
            "--help",
            "OPENAI_API_KEY",
            "OPENAI_BASE_URL",
            "OPENAI_MODEL",
            "http://localhost:11434/v1",
            "Examples:",
            "Exit codes");
    DemoQuestions.ALL.forEach(q -> assertThat(help).contains(q.question()));
  }

  @Test
  void approveAsksAtTheConsoleBeforeThePaymentAndNoPaysNothing() {
    java.io.InputStream stdin = System.in;
    System.setIn(new java.io.ByteArrayInputStream("n\n".getBytes(StandardCharsets.UTF_8)));
    try {
      assertThat(run(Map.of(), "--offline", "--approve", DemoQuestions.PAYMENT)).isZero();
    } finally {
      System.setIn(stdin);
    }
    String text = out.toString(StandardCharsets.UTF_8);
    assertThat(text)
        .contains(
            "Allow pay(amount={\"amount\":230.0,\"currency\":\"EUR\"}, payee=\"Hotel du Louvre\")"
                + " (mutating, task 2)? [y/N] ",
            "Answer: Nothing was paid: task 2 failed: denied by the approver: declined at"
                + " the console.");
  }

  @Test
  void offlineUnknownQuestionListsTheKnownOnesAndHowToUseARealModel() {
    assertThat(run(Map.of(), "What is the capital of Peru?")).isEqualTo(1);
    String text = out.toString(StandardCharsets.UTF_8);
    assertThat(text)
        .contains("only these questions", DemoQuestions.SEED, "OPENAI_API_KEY", "OPENAI_BASE_URL");
  }

  @Test
  void offlineIsForcedEvenWithEnvironmentVariables() {
    assertThat(run(Map.of("OPENAI_API_KEY", "sk-test"), "--offline", "Where is Atlantis?"))
        .isEqualTo(1);
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("offline demo model is a replay");
  }
}
