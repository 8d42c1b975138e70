package dev.llmcompiler.runtime;

import static dev.llmcompiler.runtime.ScriptedLlm.reply;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmcompiler.runtime.internal.Json;
import dev.llmcompiler.runtime.internal.plan.PlannedTask;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A line the parser must number itself never takes an id the planner may still use, over-long lines
 * and thoughts shift no ids, and a replan is never asked for ids it could not write.
 */
class PlanIdsTest {
  private static final String FINISH = "Action: Finish(%s)";

  private static TestTools tools() {
    return new TestTools()
        .tool(
            "search",
            args -> Json.NODES.textNode("found " + args.get("query").asText()),
            "query",
            "string");
  }

  private static RunResult run(ScriptedLlm llm, TestTools tools) {
    try (LlmCompiler compiler = LlmCompiler.builder().llm(llm).tools(tools).build()) {
      return compiler.run("q");
    }
  }

  @Test
  void aCallWithoutAnIdDoesNotTakeTheIdOfTheTaskAfterIt() {
    TestTools tools = tools();
    ScriptedLlm llm =
        new ScriptedLlm(
            reply("Action: search(\"a\")\n1. search(\"a\")\n2. join()<END_OF_PLAN>"),
            reply(String.format(FINISH, "done")));

    RunResult result = run(llm, tools);

    List<TaskTrace> tasks = result.trace().tasks();
    assertThat(tasks).extracting(TaskTrace::id).containsExactly(PlannedTask.UNNUMBERED, 1);
    assertThat(tasks.get(0).status()).isEqualTo(TaskStatus.ERROR);
    assertThat(tasks.get(0).error().orElseThrow()).contains("does not start with a task id");
    assertThat(tasks.get(0).lineNumber()).isEqualTo(1);
    assertThat(tasks.get(1).status()).as("the planner's own task 1 runs").isEqualTo(TaskStatus.OK);
    assertThat(tools.calls("search")).isEqualTo(1);
    // The joiner sees the unnumbered line by where it was, not as a task.
    assertThat(llm.requests.get(1).lastUserMessage().orElseThrow().content()).contains("line 1: ");
  }

  @Test
  void aHugeThoughtBeforeTaskOneIsCutAndTakesNoId() {
    TestTools tools = tools();
    String thought = "Thought: " + "very long reasoning ".repeat(600_000);
    ScriptedLlm llm =
        new ScriptedLlm(
            reply(thought + "\n1. search(\"a\")\n2. join()<END_OF_PLAN>"),
            reply(String.format(FINISH, "done")));

    RunResult result = run(llm, tools);

    assertThat(result.trace().tasks()).extracting(TaskTrace::id).containsExactly(1);
    assertThat(result.trace().tasks().get(0).status()).isEqualTo(TaskStatus.OK);
    assertThat(result.trace().tasks().get(0).thought()).startsWith("very long reasoning");
  }

  @Test
  void anIdFarAheadFailsAndTheReplanNumbersFromTheIdsThePlanTook() {
    TestTools tools = tools();
    ScriptedLlm llm =
        new ScriptedLlm(
            reply("1. search(\"a\")\n999999999. search(\"b\")\njoin()<END_OF_PLAN>"),
            reply("Action: Replan(search b again)"),
            reply("2. search(\"b\")\njoin()<END_OF_PLAN>"),
            reply(String.format(FINISH, "done")));

    RunResult result = run(llm, tools);

    TaskTrace far = result.trace().rounds().get(0).tasks().get(1);
    assertThat(far.status()).isEqualTo(TaskStatus.ERROR);
    assertThat(far.error().orElseThrow())
        .contains("jumps far ahead of task 1")
        .contains("so use 2");
    assertThat(llm.requests.get(2).lastUserMessage().orElseThrow().content())
        .contains("Number its tasks from 2 on");
    assertThat(result.trace().rounds().get(1).tasks())
        .extracting(TaskTrace::id, TaskTrace::status)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(2, TaskStatus.OK));
    assertThat(result.answer()).isEqualTo("done");
  }
}
