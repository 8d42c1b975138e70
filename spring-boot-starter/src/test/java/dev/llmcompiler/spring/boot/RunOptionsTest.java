package dev.llmcompiler.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmcompiler.runtime.LlmCompiler;
import dev.llmcompiler.runtime.RunObserver;
import dev.llmcompiler.runtime.RunResult;
import dev.llmcompiler.spring.boot.fixtures.Blocker;
import dev.llmcompiler.spring.boot.fixtures.WeatherService;
import dev.llmcompiler.testkit.ScriptedOpenAiServer;
import dev.llmcompiler.testkit.ScriptedResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The {@code llmcompiler.*} run options, observers and customizers reach the compiler. */
class RunOptionsTest {
  private ScriptedOpenAiServer server;

  @BeforeEach
  void start() {
    server = ScriptedOpenAiServer.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void theDefaultsAreTheRuntimes() {
    LlmCompilerProperties properties = new LlmCompilerProperties();
    assertThat(properties.getToolTimeout()).isEqualTo(LlmCompiler.DEFAULT_TOOL_TIMEOUT);
    assertThat(properties.getMaxReplans()).isEqualTo(LlmCompiler.DEFAULT_MAX_REPLANS);
    assertThat(properties.getMaxTasksPerPlan()).isEqualTo(LlmCompiler.DEFAULT_MAX_TASKS_PER_PLAN);
    assertThat(properties.getMaxObservationChars())
        .isEqualTo(LlmCompiler.DEFAULT_MAX_OBSERVATION_CHARS);
    assertThat(properties.getRunDeadline()).isNull();
    assertThat(properties.getOpenai().getConnectTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(properties.getOpenai().getIdleTimeout()).isEqualTo(Duration.ofMinutes(2));
    assertThat(properties.getOpenai().getMaxRetries()).isEqualTo(2);
  }

  @Test
  void aToolTimeoutAndThePlanSizeLimitApply() {
    Blocker blocker = new Blocker();
    server.enqueue(
        ScriptedResponse.stream(
            "1. block()\n2. forecast(\"Oslo\")\n3. forecast(\"Bergen\")\n4. join()"
                + "<END_OF_PLAN>"),
        ScriptedResponse.stream("Action: Finish(partly)"));
    Contexts.runner(server.baseUrl())
        .withBean(Blocker.class, () -> blocker)
        .withBean(WeatherService.class)
        .withPropertyValues(
            "llmcompiler.tool-timeouts.block=50ms",
            "llmcompiler.max-tasks-per-plan=2",
            "llmcompiler.max-replans=0",
            "llmcompiler.planner-instructions=Prefer one city.")
        .run(
            context -> {
              try {
                LlmCompiler compiler = context.getBean(LlmCompiler.class);
                assertThat(compiler.plannerSystemPrompt()).contains("Prefer one city.");
                List<String> results = Runs.results(compiler.run("Weather?"));
                // block() never returns unless interrupted: only its timeout ends it.
                assertThat(results.get(0)).startsWith("error:").containsIgnoringCase("timed out");
                assertThat(results.get(1)).isEqualTo("sunny in Oslo");
                assertThat(results.get(2)).startsWith("error:").contains("2");
              } finally {
                blocker.release.countDown();
              }
            });
  }

  @Test
  void observerAndCustomizerBeansApply() {
    List<String> seen = new CopyOnWriteArrayList<>();
    server.enqueue(
        ScriptedResponse.stream("1. forecast(\"Oslo\")\n2. join()<END_OF_PLAN>"),
        ScriptedResponse.stream("Action: Finish(Sunny.)"));
    Contexts.runner(server.baseUrl())
        .withBean(WeatherService.class)
        .withBean(
            "observer",
            RunObserver.class,
            () ->
                question -> {
                  seen.add("observed " + question);
                  return null;
                })
        .withBean(
            LlmCompilerCustomizer.class,
            () ->
                builder ->
                    builder.plannerExample(
                        "Question: Weather in Paris?\n1. forecast(\"Paris\")\n2. join()\n<END_OF_PLAN>"))
        .run(
            context -> {
              LlmCompiler compiler = context.getBean(LlmCompiler.class);
              assertThat(compiler.plannerSystemPrompt()).contains("Weather in Paris?");
              RunResult result = compiler.run("Oslo?");
              assertThat(result.answer()).isEqualTo("Sunny.");
              assertThat(seen).containsExactly("observed Oslo?");
            });
  }
}
