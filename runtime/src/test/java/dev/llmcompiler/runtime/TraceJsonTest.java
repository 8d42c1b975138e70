package dev.llmcompiler.runtime;

import static dev.llmcompiler.runtime.ScriptedLlm.reply;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmcompiler.runtime.internal.Json;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The trace JSON of {@code docs/trace-format.md}: every field present, with the right type. */
class TraceJsonTest {

  @Test
  void theTraceHasEveryContractFieldWithTheRightTypes() throws Exception {
    TestTools tools =
        new TestTools()
            .tool("quote", args -> Json.parse("{\"price\":12.5}", "quote"))
            .tool(
                "bad",
                args -> {
                  throw new IllegalStateException("down");
                })
            .tool("echo", args -> args.get("value"), "value", "any");
    ScriptedLlm llm =
        new ScriptedLlm(
            reply("1. quote()\n2. bad()\n3. echo($2)\njoin()<END_OF_PLAN>").usage(120, 15),
            reply("Thought: 2 failed\nAction: Replan(retry bad)").usage(80, 5),
            reply("4. echo(value=$1.price)\njoin()<END_OF_PLAN>").usage(130, 10),
            reply("Thought: fine\nAction: Finish(12.5)").usage(90, 4));
    RunResult result;
    try (LlmCompiler compiler = LlmCompiler.builder().llm(llm).tools(tools).build()) {
      result = compiler.run("What is the price?");
    }
    JsonNode json = Json.MAPPER.readTree(result.trace().toJson());

    assertThat(json.get("question").isTextual()).isTrue();
    assertThat(json.get("question").asText()).isEqualTo("What is the price?");
    assertThat(json.get("answer").asText()).isEqualTo("12.5");
    assertThat(json.get("wallMs").isIntegralNumber()).isTrue();
    assertThat(json.get("llmCalls").asInt()).isEqualTo(4);
    assertThat(json.get("promptTokens").asLong()).isEqualTo(420);
    assertThat(json.get("completionTokens").asLong()).isEqualTo(34);
    assertThat(json.get("rounds").isArray()).isTrue();
    assertThat(json.get("rounds")).hasSize(2);
    assertThat(json.get("rounds").get(0).get("decision").asText()).isEqualTo("replan");
    assertThat(json.get("rounds").get(1).get("decision").asText()).isEqualTo("finish");

    Set<String> statuses = new java.util.HashSet<>();
    for (JsonNode round : json.get("rounds")) {
      assertThat(round.get("tasks").isArray()).isTrue();
      for (JsonNode task : round.get("tasks")) {
        assertThat(task.get("id").isInt()).isTrue();
        assertThat(task.get("tool").isTextual()).isTrue();
        assertThat(task.get("args").isObject()).isTrue();
        assertThat(task.get("dependsOn").isArray()).isTrue();
        task.get("dependsOn").forEach(dep -> assertThat(dep.isInt()).isTrue());
        assertThat(task.get("startMs").isIntegralNumber()).isTrue();
        assertThat(task.get("endMs").isIntegralNumber()).isTrue();
        assertThat(task.get("endMs").asLong()).isGreaterThanOrEqualTo(task.get("startMs").asLong());
        assertThat(task.get("endMs").asLong()).isLessThanOrEqualTo(json.get("wallMs").asLong());
        String status = task.get("status").asText();
        statuses.add(status);
        assertThat(status).isIn("ok", "error", "skipped");
        if (status.equals("ok")) {
          assertThat(task.has("result")).isTrue();
          assertThat(task.has("error")).isFalse();
        } else {
          assertThat(task.get("error").isTextual()).isTrue();
          assertThat(task.has("result")).isFalse();
        }
      }
    }
    assertThat(statuses).containsExactlyInAnyOrder("ok", "error", "skipped");
    JsonNode resolved = json.get("rounds").get(1).get("tasks").get(0);
    assertThat(resolved.get("args").get("value").isNumber()).isTrue();
    assertThat(resolved.get("dependsOn").get(0).asInt()).isEqualTo(1);
    assertThat(json.get("rounds").get(0).get("tasks").get(0).get("result").get("price").asDouble())
        .isEqualTo(12.5);

    RunTrace again = RunTrace.fromJson(result.trace().toJson());
    assertThat(again.toJson()).isEqualTo(result.trace().toJson());
    assertThat(again.rounds().get(0).reason()).hasValue("retry bad");
    assertThat(again.tasks())
        .extracting(TaskTrace::status)
        .containsExactly(TaskStatus.OK, TaskStatus.ERROR, TaskStatus.SKIPPED, TaskStatus.OK);
    assertThat(again.outcome()).isEqualTo(RunOutcome.FINISHED);
  }

  @Test
  void fromJsonSaysWhatIsMissing() {
    assertThatThrownBy(() -> RunTrace.fromJson("{\"question\":\"q\"}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"rounds\"");
    assertThatThrownBy(() -> RunTrace.fromJson("not json"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not valid JSON");
  }

  @Test
  void hugeResultsAreCutShortForTheJoinerWithANote() {
    TaskTrace big =
        new TaskTrace(
            1,
            "dump",
            Json.object(),
            List.of(),
            0,
            1,
            TaskStatus.OK,
            Json.NODES.textNode("x".repeat(10_000)),
            null,
            "",
            "1. dump()",
            1);
    String out = Observations.entry(big, 500);
    assertThat(out.length()).isLessThan(700);
    assertThat(out).contains("[truncated: 9502 more characters of 10002 not shown]");
  }
}
