package dev.llmcompiler.samples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmcompiler.openai.OpenAiLlm;
import dev.llmcompiler.runtime.LlmCompiler;
import dev.llmcompiler.runtime.RunResult;
import dev.llmcompiler.testkit.ScriptedOpenAiServer;
import dev.llmcompiler.testkit.ScriptedResponse;
import org.junit.jupiter.api.Test;

class TravelToolsTest {

  @Test
  void comparesTwoCitiesWithTwoForecasts() {
    try (ScriptedOpenAiServer server = ScriptedOpenAiServer.start();
        OpenAiLlm llm = OpenAiLlm.builder().baseUrl(server.baseUrl()).build();
        LlmCompiler compiler =
            LlmCompiler.builder()
                .llm(llm)
                .tools(
                    TravelServiceTools.of(
                        new TravelService(city -> new Forecast(city, city.length() * 4, "sunny"))))
                .build()) {
      // The planner's reply, streamed as a model would, then the joiner's.
      server.enqueue(
          ScriptedResponse.stream(
              "1. forecast(\"Paris\")\n", "2. forecast(\"Rome\")\n", "3. join()<END_OF_PLAN>"),
          ScriptedResponse.stream("Action: Finish(Paris is warmer.)"));

      RunResult result = compiler.run("Is it warmer in Paris or in Rome?");

      assertThat(result.answer()).isEqualTo("Paris is warmer.");
      assertThat(result.trace().rounds().get(0).tasks())
          .extracting(task -> task.result().orElseThrow().get("highCelsius").asInt())
          .containsExactly(20, 16);
      assertThat(server.request(0).lastUserMessage()).contains("Is it warmer in Paris or in Rome?");
    }
  }
}
