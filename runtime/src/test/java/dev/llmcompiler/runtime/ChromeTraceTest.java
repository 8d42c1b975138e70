package dev.llmcompiler.runtime;

import static dev.llmcompiler.runtime.ScriptedLlm.reply;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmcompiler.runtime.internal.Json;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link RunTrace#toChromeTrace()}: the Trace Event Format that Perfetto and chrome://tracing open.
 */
class ChromeTraceTest {
  private static final String FINISH = "Thought: The results answer it.\nAction: Finish(%s)";

  @Test
  void aRunBecomesWellFormedEventsWithModelCallsAndParallelTasksOnTheirOwnRows() throws Exception {
    // The three searches must all be in their bodies at once to pass the barrier: they overlapped.
    CyclicBarrier together = new CyclicBarrier(3);
    TestTools tools =
        new TestTools()
            .tool(
                "search",
                args -> {
                  together.await(10, TimeUnit.SECONDS);
                  return Json.NODES.textNode("found " + args.get("query").asText());
                },
                "query",
                "string")
            .tool("echo", args -> args.get("value"), "value", "any");
    ScriptedLlm llm =
        new ScriptedLlm(
            reply(
                "1. search(\"a\")\n2. search(\"b\")\n3. search(\"c\")\n4. echo($1)\njoin()<END_OF_PLAN>"),
            reply("Thought: again\nAction: Replan(once more)"),
            reply("5. echo($2)\njoin()<END_OF_PLAN>"),
            reply(String.format(FINISH, "done")));
    RunTrace trace;
    try (LlmCompiler compiler = LlmCompiler.builder().llm(llm).tools(tools).build()) {
      trace = compiler.run("Search three things").trace();
    }

    JsonNode chrome = Json.MAPPER.readTree(trace.toChromeTrace());
    assertThat(chrome.isObject()).isTrue();
    JsonNode events = chrome.get("traceEvents");
    assertThat(events.isArray()).isTrue();
    Map<Integer, String> rowNames = new HashMap<>();
    List<JsonNode> complete = new ArrayList<>();
    for (JsonNode event : events) {
      assertThat(event.get("name").isTextual()).as("%s", event).isTrue();
      assertThat(event.get("pid").isInt()).as("%s", event).isTrue();
      assertThat(event.get("tid").isInt()).as("%s", event).isTrue();
      assertThat(event.get("args").isObject()).as("%s", event).isTrue();
      String phase = event.get("ph").asText();
      assertThat(phase).isIn("X", "M");
      if (phase.equals("M")) {
        if (event.get("name").asText().equals("thread_name")) {
          rowNames.put(event.get("tid").asInt(), event.get("args").get("name").asText());
        }
        continue;
      }
      assertThat(event.get("ts").isIntegralNumber()).as("%s", event).isTrue();
      assertThat(event.get("dur").isIntegralNumber()).as("%s", event).isTrue();
      assertThat(event.get("ts").asLong()).isNotNegative();
      assertThat(event.get("dur").asLong()).isNotNegative();
      assertThat(event.get("ts").asLong() + event.get("dur").asLong())
          .isLessThanOrEqualTo(trace.wallMs() * 1000);
      assertThat(rowNames)
          .as("every row is named before its events: %s", event)
          .containsKey(event.get("tid").asInt());
      complete.add(event);
    }

    List<JsonNode> calls = ofCategory(complete, "llm");
    List<JsonNode> tasks = ofCategory(complete, "task");
    assertThat(calls)
        .extracting(call -> call.get("name").asText())
        .containsExactly(
            "planner (round 1)", "joiner (round 1)", "planner (round 2)", "joiner (round 2)");
    assertThat(calls)
        .as("model calls in microseconds, as the trace has them in milliseconds")
        .extracting(call -> call.get("ts").asLong())
        .containsExactlyElementsOf(
            trace.rounds().stream()
                .flatMap(round -> round.llmCalls().stream())
                .map(call -> call.startMs() * 1000)
                .toList());
    assertThat(tasks)
        .extracting(task -> task.get("name").asText())
        .containsExactlyInAnyOrder("1. search", "2. search", "3. search", "4. echo", "5. echo");
    Set<Integer> callRows = rows(calls);
    Set<Integer> taskRows = rows(tasks);
    assertThat(callRows).allSatisfy(row -> assertThat(rowNames.get(row)).startsWith("LLM calls"));
    assertThat(taskRows).allSatisfy(row -> assertThat(rowNames.get(row)).startsWith("tasks"));
    assertThat(callRows).doesNotContainAnyElementsOf(taskRows);
    assertThat(rows(ofCategory(complete, "run")))
        .doesNotContainAnyElementsOf(callRows)
        .doesNotContainAnyElementsOf(taskRows);
    assertThat(
            rows(
                tasks.stream()
                    .filter(task -> task.get("name").asText().endsWith("search"))
                    .toList()))
        .as("the three searches ran at once, so each has a row of its own")
        .hasSize(3);
    assertNoOverlapOnAnyRow(calls);
    assertNoOverlapOnAnyRow(tasks);

    JsonNode echo =
        tasks.stream()
            .filter(task -> task.get("name").asText().equals("4. echo"))
            .findFirst()
            .orElseThrow();
    assertThat(echo.get("args").get("status").asText()).isEqualTo("ok");
    assertThat(echo.get("args").get("dependsOn").get(0).asInt()).isEqualTo(1);
    assertThat(echo.get("args").get("args").get("value").asText()).isEqualTo("found a");
  }

  @Test
  void rowsAreAssignedFirstFitAndNothingSharingAMillisecondSharesARow() throws Exception {
    // Hand-made times: 1 and 2 overlap; 3 starts the millisecond 1 ends; 4 starts after 1 ended;
    // 5 takes no time, inside 2; 6 and 7 take no time at the same instant.
    RunTrace trace =
        RunTrace.fromJson(
            """
        {"question":"q","answer":"a","wallMs":100,"llmCalls":0,"promptTokens":0,"completionTokens":0,
         "rounds":[{"decision":"finish","tasks":[
           %s,%s,%s,%s,%s,%s,%s]}]}
        """
                .formatted(
                    task(1, 0, 10),
                    task(2, 5, 30),
                    task(3, 10, 12),
                    task(4, 11, 20),
                    task(5, 20, 20),
                    task(6, 40, 40),
                    task(7, 40, 40)));

    JsonNode events = Json.MAPPER.readTree(trace.toChromeTrace()).get("traceEvents");
    Map<String, Integer> rowOf = new HashMap<>();
    List<JsonNode> tasks = new ArrayList<>();
    for (JsonNode event : events) {
      if (event.get("ph").asText().equals("X") && event.get("cat").asText().equals("task")) {
        rowOf.put(event.get("name").asText().split("\\.")[0], event.get("tid").asInt());
        tasks.add(event);
      }
    }
    assertNoOverlapOnAnyRow(tasks);
    assertThat(rowOf.get("2")).isNotEqualTo(rowOf.get("1"));
    assertThat(rowOf.get("3"))
        .as("3 starts in the millisecond 1 ends")
        .isNotEqualTo(rowOf.get("1"))
        .isNotEqualTo(rowOf.get("2"));
    assertThat(rowOf.get("4")).as("first fit: 1's row is free again").isEqualTo(rowOf.get("1"));
    assertThat(rowOf.get("5")).isNotEqualTo(rowOf.get("2")).isNotEqualTo(rowOf.get("4"));
    assertThat(rowOf.get("7")).isNotEqualTo(rowOf.get("6"));
    assertThat(rowOf.get("6"))
        .as("first fit: the first row is free at 40")
        .isEqualTo(rowOf.get("1"));
    // Without model call times (a trace written before they were recorded) there is no model row.
    assertThat(events).noneMatch(event -> event.path("cat").asText().equals("llm"));
  }

  @Test
  void theTraceJsonKeepsEachModelCallsTimesAndReadsTracesWithoutThem() {
    TestTools tools = new TestTools().tool("echo", args -> args.get("value"), "value", "any");
    ScriptedLlm llm =
        new ScriptedLlm(
            reply("1. echo(1)\njoin()<END_OF_PLAN>"),
            reply("no action here"),
            reply(String.format(FINISH, "1")));
    RunTrace trace;
    try (LlmCompiler compiler = LlmCompiler.builder().llm(llm).tools(tools).build()) {
      trace = compiler.run("Echo").trace();
    }

    List<LlmCallTrace> calls = trace.rounds().get(0).llmCalls();
    assertThat(calls)
        .extracting(LlmCallTrace::purpose)
        .as("the joiner was asked again for the format")
        .containsExactly("planner", "joiner", "joiner");
    for (int i = 0; i < calls.size(); i++) {
      assertThat(calls.get(i).endMs()).isGreaterThanOrEqualTo(calls.get(i).startMs());
      if (i > 0) {
        assertThat(calls.get(i).startMs()).isGreaterThanOrEqualTo(calls.get(i - 1).endMs());
      }
    }
    // The plan ends while the planner's call streams (at join(), before the call completes), so
    // only the call's start is ordered against it.
    assertThat(calls.get(0).startMs()).isLessThanOrEqualTo(trace.rounds().get(0).planMs());
    assertThat(trace.rounds().get(0).tasks().get(0).startMs())
        .isGreaterThanOrEqualTo(calls.get(0).startMs());
    RunTrace again = RunTrace.fromJson(trace.toJson());
    assertThat(again.toJson()).isEqualTo(trace.toJson());
    assertThat(again.rounds().get(0).llmCalls())
        .extracting(LlmCallTrace::toString)
        .containsExactlyElementsOf(calls.stream().map(LlmCallTrace::toString).toList());

    String withoutCalls = Json.write(removeCalls(trace.toJsonNode()), true);
    assertThat(RunTrace.fromJson(withoutCalls).rounds().get(0).llmCalls()).isEmpty();
  }

  @Test
  void theReActAgentsCallsAreRecordedToo() {
    TestTools tools = new TestTools().tool("echo", args -> args.get("value"), "value", "any");
    ScriptedLlm llm =
        new ScriptedLlm(
            reply("Thought: echo it\nAction: echo(7)"), reply(String.format(FINISH, "7")));
    RunTrace trace;
    try (ReActAgent agent = ReActAgent.builder().llm(llm).tools(tools).build()) {
      trace = agent.run("Echo 7").trace();
    }
    assertThat(trace.rounds().get(0).llmCalls())
        .extracting(LlmCallTrace::purpose)
        .containsExactly("react", "react");
  }

  private static JsonNode removeCalls(com.fasterxml.jackson.databind.node.ObjectNode trace) {
    trace
        .get("rounds")
        .forEach(
            round -> ((com.fasterxml.jackson.databind.node.ObjectNode) round).remove("llmCalls"));
    return trace;
  }

  private static String task(int id, long startMs, long endMs) {
    return """
        {"id":%d,"tool":"t","args":{},"dependsOn":[],"startMs":%d,"endMs":%d,"status":"ok","result":null}"""
        .formatted(id, startMs, endMs);
  }

  private static List<JsonNode> ofCategory(List<JsonNode> events, String category) {
    return events.stream().filter(event -> event.get("cat").asText().equals(category)).toList();
  }

  private static Set<Integer> rows(List<JsonNode> events) {
    Set<Integer> rows = new HashSet<>();
    events.forEach(event -> rows.add(event.get("tid").asInt()));
    return rows;
  }

  /** No two events on one row share an instant: each ends before the next on its row starts. */
  private static void assertNoOverlapOnAnyRow(List<JsonNode> events) {
    for (JsonNode a : events) {
      for (JsonNode b : events) {
        if (a == b || a.get("tid").asInt() != b.get("tid").asInt()) {
          continue;
        }
        long aStart = a.get("ts").asLong();
        long aEnd = aStart + a.get("dur").asLong();
        long bStart = b.get("ts").asLong();
        long bEnd = bStart + b.get("dur").asLong();
        assertThat(aEnd < bStart || bEnd < aStart)
            .as("%s and %s share row %d", a.get("name"), b.get("name"), a.get("tid").asInt())
            .isTrue();
      }
    }
  }
}
