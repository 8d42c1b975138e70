package dev.llmcompiler.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmcompiler.runtime.llm.LlmMessage;
import dev.llmcompiler.runtime.llm.LlmRequest;
import dev.llmcompiler.testkit.ScriptedOpenAiServer;
import dev.llmcompiler.testkit.ScriptedResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class OpenAiLlmConfigurationTest {
  private static final LlmRequest REQUEST =
      LlmRequest.builder().addMessage(LlmMessage.user("q")).build();

  private static Map<String, String> env(String... keysAndValues) {
    Map<String, String> env = new HashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      env.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return env;
  }

  @Test
  void aKeyAloneTargetsOpenAiWithTheDefaultModel() {
    try (OpenAiLlm llm = OpenAiLlm.fromEnv(env("OPENAI_API_KEY", "sk-test"))) {
      assertThat(llm.baseUrl()).isEqualTo("https://api.openai.com/v1");
      assertThat(llm.model()).isEqualTo(OpenAiLlm.DEFAULT_MODEL);
      assertThat(llm.toString()).doesNotContain("sk-test");
    }
  }

  @Test
  void allThreeVariablesAreUsedOnTheWire() throws Exception {
    try (ScriptedOpenAiServer server = ScriptedOpenAiServer.start();
        OpenAiLlm llm =
            OpenAiLlm.fromEnv(
                env(
                    "OPENAI_API_KEY", "sk-local",
                    "OPENAI_BASE_URL", server.baseUrl() + "/",
                    "OPENAI_MODEL", "qwen2.5:7b"))) {
      server.enqueue(ScriptedResponse.stream("hi"));

      llm.chat(REQUEST, delta -> {}).get(60, TimeUnit.SECONDS);

      assertThat(llm.baseUrl()).isEqualTo(server.baseUrl());
      assertThat(server.request(0).model()).isEqualTo("qwen2.5:7b");
      assertThat(server.request(0).header("Authorization")).hasValue("Bearer sk-local");
    }
  }

  @Test
  void aBaseUrlWithoutAKeySendsAPlaceholderKey() throws Exception {
    try (ScriptedOpenAiServer server = ScriptedOpenAiServer.start();
        OpenAiLlm llm = OpenAiLlm.fromEnv(env("OPENAI_BASE_URL", server.baseUrl()))) {
      server.enqueue(ScriptedResponse.stream("hi"));

      llm.chat(REQUEST, delta -> {}).get(60, TimeUnit.SECONDS);

      assertThat(server.request(0).header("Authorization"))
          .hasValue("Bearer " + OpenAiLlm.PLACEHOLDER_API_KEY);
      assertThat(server.request(0).model()).isEqualTo(OpenAiLlm.DEFAULT_MODEL);
    }
  }

  @Test
  void neitherKeyNorBaseUrlSaysWhatToSet() {
    assertThatThrownBy(() -> OpenAiLlm.fromEnv(env("OPENAI_MODEL", "gpt-4o")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("OPENAI_API_KEY")
        .hasMessageContaining("OPENAI_BASE_URL")
        .hasMessageContaining("http://localhost:11434/v1");
  }

  @Test
  void blankVariablesCountAsUnset() {
    assertThatThrownBy(() -> OpenAiLlm.fromEnv(env("OPENAI_API_KEY", "  ", "OPENAI_BASE_URL", "")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("OPENAI_API_KEY");
  }

  @Test
  void anInvalidBaseUrlNamesTheVariable() {
    assertThatThrownBy(() -> OpenAiLlm.fromEnv(env("OPENAI_BASE_URL", "localhost:11434/v1")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("OPENAI_BASE_URL")
        .hasMessageContaining("localhost:11434/v1");
  }

  @Test
  void theBuilderNeedsAKeyForOpenAiItself() {
    assertThatThrownBy(() -> OpenAiLlm.builder().model("gpt-4o").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("apiKey")
        .hasMessageContaining("OPENAI_API_KEY");
  }

  @Test
  void builderFromEnvCanBeRefinedInCode() {
    try (OpenAiLlm llm =
        OpenAiLlm.builder()
            .fromEnv(env("OPENAI_API_KEY", "sk-test", "OPENAI_MODEL", "gpt-4o"))
            .model("gpt-4.1-mini")
            .build()) {
      assertThat(llm.model()).isEqualTo("gpt-4.1-mini");
    }
  }

  @Test
  void theBuilderRejectsNonsense() {
    OpenAiLlm.Builder builder = OpenAiLlm.builder();
    assertThatThrownBy(() -> builder.maxRetries(-1)).hasMessageContaining("maxRetries");
    assertThatThrownBy(() -> builder.idleTimeout(Duration.ZERO))
        .hasMessageContaining("idleTimeout");
    assertThatThrownBy(() -> builder.connectTimeout(Duration.ofSeconds(-1)))
        .hasMessageContaining("connectTimeout");
    assertThatThrownBy(() -> builder.defaultTemperature(3))
        .hasMessageContaining("defaultTemperature");
    assertThatThrownBy(() -> builder.model(" ")).hasMessageContaining("model");
    assertThatThrownBy(() -> builder.apiKey("")).hasMessageContaining("apiKey");
    assertThatThrownBy(() -> builder.baseUrl("ftp://host/v1")).hasMessageContaining("http(s)");
  }
}
