package dev.llmcompiler.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmcompiler.openai.OpenAiLlm;
import dev.llmcompiler.runtime.llm.LlmClient;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The {@code LlmClient} bean: an {@code OpenAiLlm} from properties, falling back to {@code
 * OPENAI_*}.
 */
class OpenAiLlmAutoConfigurationTest {
  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(OpenAiLlmAutoConfiguration.class));

  @Test
  void propertiesConfigureTheClient() {
    runner
        .withPropertyValues(
            "llmcompiler.openai.base-url=http://localhost:11434/v1/",
            "llmcompiler.openai.model=qwen2.5:7b-instruct",
            "llmcompiler.openai.temperature=0.2",
            "llmcompiler.openai.max-retries=0",
            "llmcompiler.openai.idle-timeout=5m")
        .run(
            context -> {
              assertThat(context).hasSingleBean(LlmClient.class);
              OpenAiLlm llm = context.getBean(OpenAiLlm.class);
              assertThat(llm.baseUrl()).isEqualTo("http://localhost:11434/v1");
              assertThat(llm.model()).isEqualTo("qwen2.5:7b-instruct");
            });
  }

  @Test
  void eachPropertyFallsBackToItsOpenAiVariable() {
    runner
        .withPropertyValues(
            "OPENAI_BASE_URL=http://localhost:8000/v1",
            "OPENAI_MODEL=from-env",
            "OPENAI_API_KEY=sk-env")
        .run(
            context -> {
              OpenAiLlm llm = context.getBean(OpenAiLlm.class);
              assertThat(llm.baseUrl()).isEqualTo("http://localhost:8000/v1");
              assertThat(llm.model()).isEqualTo("from-env");
            });
    runner
        .withPropertyValues(
            "OPENAI_BASE_URL=http://localhost:8000/v1",
            "OPENAI_MODEL=from-env",
            "llmcompiler.openai.model=from-properties")
        .run(
            context ->
                assertThat(context.getBean(OpenAiLlm.class).model()).isEqualTo("from-properties"));
    runner
        .withPropertyValues("OPENAI_API_KEY=sk-env")
        .run(
            context -> {
              assertThat(context.getBean(OpenAiLlm.class).baseUrl())
                  .isEqualTo(OpenAiLlm.DEFAULT_BASE_URL);
              assertThat(context.getBean(OpenAiLlm.class).model())
                  .isEqualTo(OpenAiLlm.DEFAULT_MODEL);
            });
  }

  @Test
  void withoutABaseUrlOrAKeyStartupFailsNamingThePropertiesToSet() {
    runner.run(
        context -> {
          assertThat(context).hasFailed();
          assertThat(context.getStartupFailure())
              .rootCause()
              .hasMessageContaining("llmcompiler.openai.api-key (or OPENAI_API_KEY)")
              .hasMessageContaining("llmcompiler.openai.base-url (or OPENAI_BASE_URL)");
        });
  }

  @Test
  void anInvalidValueFailsStartupNamingTheProperties() {
    runner
        .withPropertyValues("llmcompiler.openai.base-url=localhost:11434")
        .run(
            context -> {
              assertThat(context).hasFailed();
              assertThat(context.getStartupFailure())
                  .hasStackTraceContaining(
                      "Invalid llmcompiler.openai.* configuration: baseUrl must be an http(s) URL")
                  .hasStackTraceContaining("'localhost:11434'");
            });
  }

  @Test
  void anApplicationsOwnLlmClientReplacesIt() {
    LlmClient mine =
        (request, listener) -> {
          throw new UnsupportedOperationException();
        };
    runner
        .withBean(LlmClient.class, () -> mine)
        .run(
            context -> {
              assertThat(context).doesNotHaveBean(OpenAiLlm.class);
              assertThat(context.getBean(LlmClient.class)).isSameAs(mine);
            });
  }

  @Test
  void theClientIsWarmedUpInTheBackgroundUnlessTurnedOff() {
    runner
        .withPropertyValues("llmcompiler.openai.base-url=http://127.0.0.1:9/v1")
        .run(
            context -> {
              BackgroundWarmUp<?> warmUp = context.getBean(BackgroundWarmUp.class);
              assertThat(warmUp.isRunning()).isTrue();
              warmUp.done().get(10, TimeUnit.SECONDS);
            });
    runner
        .withPropertyValues(
            "llmcompiler.openai.base-url=http://127.0.0.1:9/v1", "llmcompiler.openai.warm-up=false")
        .run(context -> assertThat(context).doesNotHaveBean(BackgroundWarmUp.class));
  }
}
