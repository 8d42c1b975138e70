package dev.llmcompiler.samples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmcompiler.testkit.ScriptedOpenAiServer;
import dev.llmcompiler.testkit.ScriptedResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

@SpringBootTest
class TravelAgentTest {
  static final ScriptedOpenAiServer SERVER = ScriptedOpenAiServer.start();

  @DynamicPropertySource
  static void modelServer(DynamicPropertyRegistry registry) {
    registry.add("llmcompiler.openai.base-url", SERVER::baseUrl);
  }

  @AfterAll
  static void stopServer() {
    SERVER.close();
  }

  @Autowired TravelAgent agent;

  @Test
  void answersWithTheServicesTools() {
    SERVER.enqueue(
        ScriptedResponse.stream("1. forecast(\"Oslo\")\n2. join()<END_OF_PLAN>"),
        ScriptedResponse.stream("Action: Finish(Rain in Oslo tomorrow.)"));

    assertThat(agent.ask("Will it rain in Oslo tomorrow?")).isEqualTo("Rain in Oslo tomorrow.");
    assertThat(SERVER.request(0).messages().get(0).content()).contains("forecast(city: string)");
  }
}
