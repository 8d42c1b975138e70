package dev.llmcompiler.samples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmcompiler.testkit.ScriptedOpenAiServer;
import dev.llmcompiler.testkit.ScriptedResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.MDC;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The application starts, its runner asks {@link TravelAgent} the command line's question through
 * the loopback OpenAI-compatible server, the two forecasts run in parallel, and the tool threads
 * see the runner's request id in the MDC.
 */
@SpringBootTest(args = {"Is it warmer in Paris or in Rome tomorrow?"})
@ExtendWith(OutputCaptureExtension.class)
class TripAdvisorApplicationTest {
  private static final ScriptedOpenAiServer SERVER = ScriptedOpenAiServer.start();

  /** Only two calls in flight at the same time can pass it: sequential calls would wait forever. */
  private static final CyclicBarrier BOTH_FORECASTS = new CyclicBarrier(2);

  /** What each forecast call saw: the city, the MDC's request id, the thread. */
  private static final List<String> CALLS = new CopyOnWriteArrayList<>();

  @DynamicPropertySource
  static void modelServer(DynamicPropertyRegistry registry) {
    SERVER.enqueue(
        ScriptedResponse.stream(
            "1. forecast(\"Paris\")\n", "2. forecast(\"Rome\")\n", "3. join()<END_OF_PLAN>"),
        ScriptedResponse.stream(
            "Thought: 27 is more than 21.\n",
            "Action: Finish(Rome is warmer tomorrow: 27 degrees against 21 in Paris.)"));
    registry.add("llmcompiler.openai.base-url", SERVER::baseUrl);
  }

  @AfterAll
  static void stopServer() {
    SERVER.close();
  }

  /** The real forecasts, behind a barrier that records who got through. */
  @TestConfiguration
  static class ParallelForecasts {
    @Bean
    @Primary
    ForecastSource barrierForecasts() {
      ForecastSource seasonal = new SeasonalForecasts();
      return city -> {
        try {
          // A guard against hanging if the calls ever ran one after the other; passing needs both.
          BOTH_FORECASTS.await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
          throw new IllegalStateException("the two forecasts did not run at the same time", e);
        }
        CALLS.add(city + " " + MDC.get("requestId") + " " + Thread.currentThread().getName());
        return seasonal.tomorrow(city);
      };
    }
  }

  @Autowired TravelAgent agent;

  @Test
  void theRunnerAnswersWithParallelToolCallsThatSeeItsRequestId(CapturedOutput output) {
    assertThat(output.getOut())
        .containsPattern(
            "\\[([0-9a-f-]{36})] Rome is warmer tomorrow: 27 degrees against 21 in Paris\\.");
    String requestId =
        output.getOut().replaceAll("(?s).*\\[([0-9a-f-]{36})] Rome is warmer.*", "$1");

    assertThat(CALLS).hasSize(2);
    assertThat(CALLS).anySatisfy(call -> assertThat(call).startsWith("Paris " + requestId + " "));
    assertThat(CALLS).anySatisfy(call -> assertThat(call).startsWith("Rome " + requestId + " "));
    assertThat(CALLS).noneSatisfy(call -> assertThat(call).endsWith(" main"));

    // The planner saw the service's tools, described by their Javadoc.
    String plannerPrompt = SERVER.request(0).messages().get(0).content();
    assertThat(plannerPrompt)
        .contains("forecast(city: string)")
        .contains("Tomorrow's weather forecast for a city.");
    assertThat(agent).isNotNull();
  }
}
