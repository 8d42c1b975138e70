package dev.llmcompiler.runtime;

import static dev.llmcompiler.runtime.ScriptedLlm.reply;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmcompiler.runtime.internal.Json;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** What a {@link RunListener} receives, through the public API. */
class RunListenerTest {
  private static final String FINISH = "Thought: The results answer it.\nAction: Finish(%s)";

  private static TestTools tools() {
    return new TestTools()
        .tool("search", args -> Json.NODES.textNode("result for " + args.get("query").asText()), "query", "string")
        .tool("echo", args -> args.get("value"), "value", "any");
  }

  /** Records the task events by id, and the decisions. */
  private static final class Recorder implements RunListener {
    final Map<Integer, TaskEvent> parsed = Collections.synchronizedMap(new TreeMap<>());
    final Map<Integer, TaskEvent> dispatched = Collections.synchronizedMap(new TreeMap<>());
    final List<String> decisions = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void onTaskParsed(TaskEvent task) {
      parsed.put(task.id(), task);
    }

    @Override
    public void onTaskDispatched(TaskEvent task) {
      dispatched.put(task.id(), task);
    }

    @Override
    public void onJoinerDecision(int round, JoinerDecision decision, String text) {
      decisions.add(round + " " + decision + " " + text);
    }
  }

  @Test
  void taskEventsCarryTheTaskAsWrittenAtParseAndResolvedAtDispatch() {
    Recorder recorder = new Recorder();
    ScriptedLlm llm = new ScriptedLlm(
        reply("Thought: look it up\n1. search(\"a\")\n2. echo($1)\n\n3. echo(\"got ${1}!\")\n4. nosuch(1)\n"
            + "5. echo({\"list\": [$1, 2]})\njoin()<END_OF_PLAN>").chunks(5),
        reply("Thought: no\nAction: Replan(again)"),
        reply("6. echo(${2})\njoin()<END_OF_PLAN>"),
        reply(String.format(FINISH, "A")));
    RunResult result;
    try (LlmCompiler compiler = LlmCompiler.builder().llm(llm).tools(tools()).listener(recorder).build()) {
      result = compiler.run("q");
    }

    TaskEvent first = recorder.parsed.get(1);
    assertThat(first.round()).isEqualTo(1);
    assertThat(first.tool()).isEqualTo("search");
    assertThat(first.thought()).isEqualTo("look it up");
    assertThat(first.line()).isEqualTo("1. search(\"a\")");
    assertThat(first.lineNumber()).isEqualTo(2);
    assertThat(first.error()).isEmpty();
    assertThat(first.arguments()).isEqualTo(Json.parse("{\"query\":\"a\"}", "expected"));

    TaskEvent reference = recorder.parsed.get(2);
    assertThat(reference.arguments()).isEqualTo(Json.parse("{\"value\":\"$1\"}", "expected"));
    assertThat(reference.dependsOn()).containsExactly(1);
    assertThat(reference.lineNumber()).isEqualTo(3);
    assertThat(recorder.dispatched.get(2).arguments()).isEqualTo(Json.parse("{\"value\":\"result for a\"}", "expected"));

    assertThat(recorder.parsed.get(3).arguments()).isEqualTo(Json.parse("{\"value\":\"got ${1}!\"}", "expected"));
    assertThat(recorder.parsed.get(3).lineNumber()).isEqualTo(5);
    assertThat(recorder.dispatched.get(3).arguments())
        .isEqualTo(Json.parse("{\"value\":\"got result for a!\"}", "expected"));

    TaskEvent rejected = recorder.parsed.get(4);
    assertThat(rejected.error()).hasValueSatisfying(error -> assertThat(error).contains("nosuch"));
    assertThat(rejected.arguments()).isEqualTo(Json.object());
    assertThat(recorder.dispatched).doesNotContainKey(4);

    assertThat(recorder.parsed.get(5).arguments()).isEqualTo(Json.parse("{\"value\":{\"list\":[\"$1\",2]}}", "expected"));
    assertThat(recorder.dispatched.get(5).arguments())
        .isEqualTo(Json.parse("{\"value\":{\"list\":[\"result for a\",2]}}", "expected"));

    TaskEvent replanned = recorder.dispatched.get(6);
    assertThat(replanned.round()).isEqualTo(2);
    assertThat(replanned.lineNumber()).isEqualTo(1);
    assertThat(replanned.dependsOn()).containsExactly(2);

    // The event is a copy: changing what it hands out changes nothing.
    ((com.fasterxml.jackson.databind.node.ObjectNode) first.arguments()).put("query", "changed");
    assertThat(first.arguments().get("query").asText()).isEqualTo("a");

    assertThat(recorder.decisions).containsExactly("1 REPLAN again", "2 FINISH A");
    assertThat(result.trace().rounds()).extracting(RoundTrace::decision)
        .containsExactly(JoinerDecision.REPLAN, JoinerDecision.FINISH);
    assertThat(result.trace().tasks()).extracting(TaskTrace::lineNumber).containsExactly(2, 3, 5, 6, 7, 1);
    assertThat(RunTrace.fromJson(result.trace().toJson()).tasks()).extracting(TaskTrace::lineNumber)
        .containsExactly(2, 3, 5, 6, 7, 1);
  }

  @Test
  void reactStepsAreTaskEventsWithTheirTranscriptLine() {
    Recorder recorder = new Recorder();
    ScriptedLlm llm = new ScriptedLlm(
        reply("Thought: I need it.\nAction: search(\"x\")"),
        reply("Thought: Done.\nAction: Finish(it is x)"));
    RunResult result;
    try (ReActAgent agent = ReActAgent.builder().llm(llm).tools(tools()).listener(recorder).build()) {
      result = agent.run("q");
    }
    TaskEvent step = recorder.dispatched.get(1);
    assertThat(step.tool()).isEqualTo("search");
    assertThat(step.line()).isEqualTo("search(\"x\")");
    assertThat(step.lineNumber()).isEqualTo(2);
    assertThat(step.thought()).isEqualTo("I need it.");
    assertThat(step.arguments()).isEqualTo(Json.parse("{\"query\":\"x\"}", "expected"));
    assertThat(recorder.parsed.get(1).arguments()).isEqualTo(step.arguments());
    assertThat(recorder.decisions).containsExactly("1 FINISH it is x");
    assertThat(result.trace().rounds().get(0).plan().lines().skip(step.lineNumber() - 1).findFirst())
        .hasValue("Action: search(\"x\")");
    assertThat(result.trace().tasks().get(0).lineNumber()).isEqualTo(2);
  }
}
