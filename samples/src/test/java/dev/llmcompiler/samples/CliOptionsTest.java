package dev.llmcompiler.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class CliOptionsTest {

  @Test
  void noArgumentsAnswerTheSeedQuestionWithDefaults() {
    CliOptions options = CliOptions.parse();
    assertThat(options.question()).isEqualTo(DemoQuestions.SEED);
    assertThat(options.offline()).isFalse();
    assertThat(options.react()).isFalse();
    assertThat(options.traceJson()).isNull();
    assertThat(options.traceChrome()).isNull();
    assertThat(options.toolLatencyMs()).isEqualTo(400);
    assertThat(options.help()).isFalse();
    assertThat(options.approve()).isFalse();
    assertThat(CliOptions.parse("--approve").approve()).isTrue();
  }

  @Test
  void readsOptionsAnywhereAndJoinsTheQuestionWords() {
    CliOptions options =
        CliOptions.parse(
            "--react",
            "How",
            "deep",
            "--trace-json",
            "out/t.json",
            "is it?",
            "--tool-latency-ms=0",
            "--offline",
            "--plain");
    assertThat(options.question()).isEqualTo("How deep is it?");
    assertThat(options.react()).isTrue();
    assertThat(options.offline()).isTrue();
    assertThat(options.plain()).isTrue();
    assertThat(options.traceJson()).isEqualTo(Path.of("out/t.json"));
    assertThat(options.toolLatencyMs()).isZero();
    assertThat(CliOptions.parse("--trace-json=t.json", "--tool-latency-ms", "1500").toolLatencyMs())
        .isEqualTo(1500);
    CliOptions both = CliOptions.parse("--trace-chrome", "run.chrome.json", "--trace-json=t.json");
    assertThat(both.traceChrome()).isEqualTo(Path.of("run.chrome.json"));
    assertThat(both.traceJson()).isEqualTo(Path.of("t.json"));
    assertThat(CliOptions.parse("--trace-chrome=c.json").traceChrome())
        .isEqualTo(Path.of("c.json"));
    assertThat(CliOptions.parse("-h").help()).isTrue();
    assertThat(CliOptions.parse("--", "--react", "is a question").question())
        .isEqualTo("--react is a question");
  }

  @Test
  void mistakesAreOneLineUsageErrors() {
    assertUsage("unknown option '--fast'", "--fast");
    assertUsage("unknown option '-offline'", "-offline");
    assertUsage("--trace-json needs a file name, e.g. --trace-json trace.json", "--trace-json");
    assertUsage("--trace-json needs a file name", "--trace-json", "--react");
    assertUsage("--trace-json needs a file name", "--trace-json=");
    assertUsage(
        "--trace-chrome needs a file name, e.g. --trace-chrome trace.chrome.json",
        "--trace-chrome");
    assertUsage("--trace-chrome needs a file name", "--trace-chrome=");
    assertUsage("--tool-latency-ms needs a number of milliseconds", "--tool-latency-ms");
    assertUsage(
        "--tool-latency-ms must be a whole number of milliseconds from 0 to 60000, got 'soon'",
        "--tool-latency-ms",
        "soon");
    assertUsage("got '-5'", "--tool-latency-ms", "-5");
    assertUsage("got '60001'", "--tool-latency-ms=60001");
    assertUsage("--react takes no value, got 'yes'", "--react=yes");
    assertUsage("the question is empty", "  ");
  }

  private static void assertUsage(String message, String... args) {
    assertThatThrownBy(() -> CliOptions.parse(args))
        .isInstanceOf(CliOptions.UsageException.class)
        .hasMessageContaining(message)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }
}
