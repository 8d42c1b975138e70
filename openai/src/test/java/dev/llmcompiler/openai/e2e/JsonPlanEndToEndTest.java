package dev.llmcompiler.openai.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmcompiler.openai.OpenAiLlm;
import dev.llmcompiler.runtime.LlmCompiler;
import dev.llmcompiler.runtime.PlanFormat;
import dev.llmcompiler.runtime.RunResult;
import dev.llmcompiler.runtime.TaskStatus;
import dev.llmcompiler.runtime.TaskTrace;
import dev.llmcompiler.runtime.internal.plan.PlanSchema;
import dev.llmcompiler.testkit.RecordedRequest;
import dev.llmcompiler.testkit.ScriptedOpenAiServer;
import dev.llmcompiler.testkit.ScriptedResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * JSON plan mode over the whole stack: {@link OpenAiLlm} sends the plan's schema as {@code
 * response_format}, the scripted server streams a JSON plan slowly, and each task runs the moment
 * its object has arrived, while the rest of the plan is still on its way.
 */
class JsonPlanEndToEndTest {

  private static List<String> chunksOf(String text, int size) {
    List<String> chunks = new ArrayList<>();
    for (int i = 0; i < text.length(); i += size) {
      chunks.add(text.substring(i, Math.min(text.length(), i + size)));
    }
    return chunks;
  }

  @Test
  void aJsonPlanStreamsIntoParallelTasksAndAnswersAMultiStepQuestion() throws Exception {
    String plan =
        "{\"tasks\": [\n"
            + "  {\"id\": 1, \"tool\": \"population\", \"args\": {\"city\": \"Lyon\"}},\n"
            + "  {\"id\": 2, \"tool\": \"population\", \"args\": {\"city\": \"Nice\"}},\n"
            + "  {\"id\": 3, \"tool\": \"ratio\", \"args\": {\"numerator\": \"$1\", \"denominator\": \"$2\"}},\n"
            + "  {\"id\": 4, \"tool\": \"join\", \"args\": {}}\n"
            + "]}";
    // Small chunks; the ones after task 2's object are held back until both lookups have run.
    int held = plan.indexOf("{\"id\": 3");
    List<String> chunks = chunksOf(plan.substring(0, held), 10);
    int third = chunks.size();
    chunks.addAll(chunksOf(plan.substring(held), 10));
    CountDownLatch looked = new CountDownLatch(2);
    Atlas atlas = new Atlas(looked);
    try (ScriptedOpenAiServer server = ScriptedOpenAiServer.start();
        OpenAiLlm llm = OpenAiLlm.builder().baseUrl(server.baseUrl()).model("scripted").build();
        LlmCompiler compiler =
            LlmCompiler.builder()
                .llm(llm)
                .tools(AtlasTools.of(atlas))
                .planFormat(PlanFormat.JSON)
                .runDeadline(Duration.ofSeconds(60))
                .build()) {
      server.enqueue(
          ScriptedResponse.stream(chunks)
              .chunkDelay(Duration.ofMillis(2))
              .pauseBefore(third, looked)
              .usage(700, 90),
          ScriptedResponse.stream(
                  "Thought: 522000 / 342000.\nAction: Finish(Lyon has about 1.53 times as many",
                  " people as Nice.)")
              .usage(300, 20));

      RunResult result = compiler.run("How many times more people live in Lyon than in Nice?");

      assertThat(result.answer()).isEqualTo("Lyon has about 1.53 times as many people as Nice.");
      List<TaskTrace> tasks = result.trace().tasks();
      assertThat(tasks).extracting(TaskTrace::id).containsExactly(1, 2, 3);
      assertThat(tasks).extracting(TaskTrace::status).containsOnly(TaskStatus.OK);
      long planEnd = result.trace().rounds().get(0).planMs();
      // Both lookups started before the plan had finished streaming: dispatched as their objects
      // closed. (Had they waited for the plan's end, the server would have held task 3 back for
      // its gate's whole limit, and they would have started after the plan ended.)
      assertThat(tasks.get(0).startMs()).isLessThanOrEqualTo(planEnd);
      assertThat(tasks.get(1).startMs()).isLessThanOrEqualTo(planEnd);
      assertThat(planEnd).isLessThan(ScriptedOpenAiServer.GATE_LIMIT.toMillis());
      assertThat(tasks.get(2).dependsOn()).containsExactly(1, 2);
      assertThat(tasks.get(2).args().get("numerator").isNumber())
          .as("a whole reference keeps its type")
          .isTrue();
      assertThat(tasks.get(2).result().orElseThrow().asDouble())
          .isCloseTo(1.526, org.assertj.core.data.Offset.offset(0.001));
      assertThat(tasks.get(0).line())
          .isEqualTo("{\"id\": 1, \"tool\": \"population\", \"args\": {\"city\": \"Lyon\"}}");

      RecordedRequest planner = server.request(0);
      JsonNode format = planner.body().path("response_format");
      assertThat(format.path("type").asText()).isEqualTo("json_schema");
      assertThat(format.at("/json_schema/name").asText()).isEqualTo("plan");
      assertThat(format.at("/json_schema/strict").asBoolean())
          .as("the tools' schemas are strict")
          .isTrue();
      // On the wire byte for byte as built, so a provider's cache of the compiled schema hits.
      assertThat(format.at("/json_schema/schema").toString())
          .isEqualTo(PlanSchema.of(AtlasTools.of(atlas).tools()).toString());
      assertThat(planner.stop()).isEmpty();
      assertThat(planner.messages().get(0).content())
          .contains("population(city: string) -> integer");
      assertThat(server.request(1).body().has("response_format"))
          .as("the joiner answers in text")
          .isFalse();
    }
  }
}
