package dev.llmcompiler.runtime;

import static dev.llmcompiler.runtime.ScriptedLlm.reply;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmcompiler.runtime.internal.Json;
import dev.llmcompiler.runtime.internal.plan.PlanSchema;
import dev.llmcompiler.runtime.llm.LlmRequest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Plans as models write them, end to end: repaired text lines with their notes in the trace and the
 * listener events, the strict switch, and JSON plans streamed into the same task fetching.
 */
class PlanFormatsTest {
  private static final String FINISH = "Thought: done\nAction: Finish(%s)";

  private final List<LlmCompiler> compilers = new ArrayList<>();

  @AfterEach
  void close() {
    compilers.forEach(LlmCompiler::close);
  }

  private static TestTools tools() {
    return new TestTools()
        .tool(
            "search",
            args -> Json.NODES.textNode("about " + args.get("query").asText()),
            "query",
            "string")
        .tool("echo", args -> args.get("value"), "value", "any");
  }

  private LlmCompiler compiler(ScriptedLlm llm, UnaryOperator<LlmCompiler.Builder> configure) {
    return compiler(llm, tools(), configure);
  }

  private LlmCompiler compiler(
      ScriptedLlm llm, TestTools tools, UnaryOperator<LlmCompiler.Builder> configure) {
    LlmCompiler compiler = configure.apply(LlmCompiler.builder().llm(llm).tools(tools)).build();
    compilers.add(compiler);
    return compiler;
  }

  /** Records the events of tasks, in order, from the listener's thread. */
  private static final class Events implements RunListener {
    final List<TaskEvent> parsed = Collections.synchronizedList(new ArrayList<>());
    final List<TaskEvent> dispatched = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void onTaskParsed(TaskEvent task) {
      parsed.add(task);
    }

    @Override
    public void onTaskDispatched(TaskEvent task) {
      dispatched.add(task);
    }
  }

  @Test
  void repairedLinesRunAndTheTraceAndEventsSayWhatWasRepaired() throws Exception {
    ScriptedLlm llm =
        new ScriptedLlm(
            reply(
                    "1. search(Rosetta)\n2. echo(\"$1\"\n3. search(\"Alexandria\")\n4. join()<END_OF_PLAN>")
                .chunks(3),
            reply(String.format(FINISH, "ok")));
    Events events = new Events();
    RunResult result = compiler(llm, b -> b.listener(events)).run("Where is Rosetta?");

    List<TaskTrace> tasks = result.trace().tasks();
    assertThat(tasks).extracting(TaskTrace::status).containsOnly(TaskStatus.OK);
    assertThat(tasks.get(0).args().get("query").asText()).isEqualTo("Rosetta");
    assertThat(tasks.get(0).repairs())
        .containsExactly("read unquoted text as the string \"Rosetta\"");
    assertThat(tasks.get(1).result().orElseThrow().asText()).isEqualTo("about Rosetta");
    assertThat(tasks.get(1).repairs())
        .containsExactly("added the missing ')' at the end of the line");
    assertThat(tasks.get(2).repairs()).isEmpty();

    JsonNode json = Json.MAPPER.readTree(result.trace().toJson()).get("rounds").get(0).get("tasks");
    assertThat(json.get(0).get("repairs")).hasSize(1);
    assertThat(json.get(0).get("repairs").get(0).asText())
        .isEqualTo("read unquoted text as the string \"Rosetta\"");
    assertThat(json.get(2).has("repairs")).as("no repairs, no field").isFalse();
    assertThat(RunTrace.fromJson(result.trace().toJson()).tasks().get(1).repairs())
        .containsExactly("added the missing ')' at the end of the line");

    assertThat(events.parsed)
        .extracting(TaskEvent::repairs)
        .containsExactly(
            List.of("read unquoted text as the string \"Rosetta\""),
            List.of("added the missing ')' at the end of the line"),
            List.of());
    assertThat(events.dispatched.get(0).repairs())
        .containsExactly("read unquoted text as the string \"Rosetta\"");
  }

  @Test
  void withRepairsOffTheSameLinesFailWithThePlanLanguagesMessages() {
    ScriptedLlm llm =
        new ScriptedLlm(
            reply("1. search(Rosetta)\n2. echo(\"$1\"\n3. join()<END_OF_PLAN>"),
            reply(String.format(FINISH, "no")));
    RunResult result = compiler(llm, b -> b.planRepairs(false)).run("Where is Rosetta?");
    List<TaskTrace> tasks = result.trace().tasks();
    assertThat(tasks)
        .extracting(TaskTrace::status)
        .containsExactly(TaskStatus.ERROR, TaskStatus.ERROR);
    assertThat(tasks.get(0).error().orElseThrow()).contains("unquoted text 'Rosetta' at column 11");
    assertThat(tasks.get(1).error().orElseThrow())
        .contains("the call to echo opened at column 8 is not closed");
    assertThat(tasks).allSatisfy(task -> assertThat(task.repairs()).isEmpty());
  }

  @Test
  void aJsonPlanAsksWithTheSchemaAndDispatchesEachTaskWhileTheRestStreams() throws Exception {
    String plan =
        "{\"tasks\": [{\"id\": 1, \"tool\": \"search\", \"args\": {\"query\": \"Rosetta\"}},\n"
            + " {\"id\": 2, \"tool\": \"echo\", \"args\": {\"value\": \"$1\"}},\n"
            + " {\"id\": 3, \"tool\": \"join\", \"args\": {}}]}";
    CountDownLatch searchRan = new CountDownLatch(1);
    TestTools tools =
        new TestTools()
            .tool(
                "search",
                args -> {
                  searchRan.countDown();
                  return Json.NODES.textNode("about " + args.get("query").asText());
                },
                "query",
                "string")
            .tool("echo", args -> args.get("value"), "value", "any");
    // The stream stops before task 2's object until task 1's tool has run: it must run while the
    // plan streams (else the gate times out and the run below sees task 1 end after the plan).
    ScriptedLlm.Script script = reply(plan).chunks(5).pauseBefore("{\"id\": 2", searchRan);
    ScriptedLlm llm = new ScriptedLlm(script, reply(String.format(FINISH, "about Rosetta")));
    RunResult result =
        compiler(llm, tools, b -> b.planFormat(PlanFormat.JSON)).run("Where is Rosetta?");

    assertThat(script.gateOpenedInTime)
        .as("task 1 ran before the rest of the plan was sent")
        .isTrue();
    assertThat(result.trace().tasks().get(0).startMs())
        .isLessThanOrEqualTo(result.trace().rounds().get(0).planMs());
    assertThat(result.answer()).isEqualTo("about Rosetta");
    assertThat(result.trace().tasks())
        .extracting(TaskTrace::status)
        .containsExactly(TaskStatus.OK, TaskStatus.OK);
    assertThat(result.trace().tasks().get(1).args().get("value").asText())
        .isEqualTo("about Rosetta");
    assertThat(result.trace().tasks().get(0).line())
        .isEqualTo("{\"id\": 1, \"tool\": \"search\", \"args\": {\"query\": \"Rosetta\"}}");

    LlmRequest planner = llm.requests.get(0);
    assertThat(planner.stop()).isEmpty();
    LlmRequest.ResponseSchema schema = planner.responseSchema().orElseThrow();
    assertThat(schema.name()).isEqualTo("plan");
    assertThat(schema.schema()).isEqualTo(PlanSchema.of(tools().tools()));
    assertThat(planner.system()).contains("{\"tasks\": [...]}").doesNotContain("<END_OF_PLAN>");
    assertThat(llm.requests.get(1).responseSchema()).as("the joiner answers in text").isEmpty();
  }

  @Test
  void aMalformedJsonPlanRunsWhatCameBeforeAndTheJoinerHearsWhy() {
    ScriptedLlm llm =
        new ScriptedLlm(
            reply(
                "{\"tasks\": [{\"id\": 1, \"tool\": \"search\", \"args\": {\"query\": \"Rosetta\"}}, {\"id\": 2 \"tool\"}]}"),
            reply("Thought: need more\nAction: Replan(the plan broke)"),
            reply(
                "{\"tasks\": [{\"id\": 2, \"tool\": \"echo\", \"args\": {\"value\": \"$1\"}}, {\"id\": 3, \"tool\": \"join\","
                    + " \"args\": {}}]}"),
            reply(String.format(FINISH, "about Rosetta")));
    RunResult result = compiler(llm, b -> b.planFormat(PlanFormat.JSON)).run("Where is Rosetta?");

    RoundTrace first = result.trace().rounds().get(0);
    assertThat(first.tasks()).extracting(TaskTrace::status).containsExactly(TaskStatus.OK);
    assertThat(first.planError().orElseThrow())
        .startsWith("the JSON plan is malformed at line 1, column 80: Unexpected character");
    assertThat(llm.requests.get(1).lastUserMessage().orElseThrow().content())
        .contains("the JSON plan is malformed at line 1, column 80");
    assertThat(llm.requests.get(2).lastUserMessage().orElseThrow().content())
        .contains("the JSON plan is malformed")
        .contains("Number its tasks from 2 on");
    assertThat(result.trace().rounds().get(1).tasks().get(0).args().get("value").asText())
        .isEqualTo("about Rosetta");
    assertThat(result.answer()).isEqualTo("about Rosetta");
  }

  @Test
  void jsonModeShowsTheToolSetsExamplesAsJsonAndRefusesOnesItCannotRead() {
    TestTools tools = tools();
    LlmCompiler compiler =
        LlmCompiler.builder()
            .llm(new ScriptedLlm())
            .tools(tools)
            .planFormat(PlanFormat.JSON)
            .plannerExample(
                "Question: Where is Rosetta?\nThought: look it up\n1. search(\"Rosetta\")\n2. echo($1)\n"
                    + "3. join()\n<END_OF_PLAN>")
            .build();
    compilers.add(compiler);
    assertThat(compiler.plannerSystemPrompt())
        .contains(
            "Question: Where is Rosetta?\n{\"tasks\":[{\"id\":1,\"tool\":"
                + "\"search\",\"args\":{\"query\":\"Rosetta\"}},{\"id\":2,\"tool\":\"echo\",\"args\":{\"value\":\"$1\"}},"
                + "{\"id\":3,\"tool\":\"join\",\"args\":{}}]}\n")
        .doesNotContain("look it up");
    assertThatThrownBy(
            () ->
                LlmCompiler.builder()
                    .llm(new ScriptedLlm())
                    .tools(tools())
                    .planFormat(PlanFormat.JSON)
                    .plannerExample("Question: q\n1. serch(\"x\")\n2. join()")
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(
            "planner example 1 is not: task 1 (`1. serch(\"x\")`): unknown tool 'serch'");
  }

  @Test
  void theJsonPromptAndSchemaAreByteIdenticalForTheSameTools() {
    LlmCompiler a = compiler(new ScriptedLlm(), b -> b.planFormat(PlanFormat.JSON));
    LlmCompiler b = compiler(new ScriptedLlm(), x -> x.planFormat(PlanFormat.JSON));
    assertThat(a.plannerSystemPrompt()).isEqualTo(b.plannerSystemPrompt());
    assertThat(a.plannerSystemPrompt())
        .isNotEqualTo(compiler(new ScriptedLlm(), x -> x).plannerSystemPrompt());
    assertThat(PlanSchema.of(tools().tools()).toString())
        .isEqualTo(PlanSchema.of(tools().tools()).toString());
  }
}
