package dev.llmcompiler.runtime;

import static dev.llmcompiler.runtime.ScriptedLlm.reply;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.llmcompiler.runtime.internal.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReActAgentTest {
  private static TestTools tools() {
    return new TestTools()
        .tool(
            "search",
            args -> Json.NODES.textNode("result for " + args.get("query").asText()),
            "query",
            "string")
        .tool(
            "add",
            args -> Json.NODES.numberNode(args.get("a").asInt() + args.get("b").asInt()),
            "a",
            "integer",
            "b",
            "integer");
  }

  @Test
  void oneToolCallPerTurnUntilFinish() throws InterruptedException {
    TestTools tools = tools();
    ScriptedLlm llm =
        new ScriptedLlm(
            reply("Thought: I need the sum.\nAction: add(a=2, b=3)\nObservation: 5 (made up)"),
            reply(
                "Thought: And a search.\nAction: search(\"capital of France\")\nThought: then I will finish"),
            reply("Thought: Done.\nAction: Finish[5, and (per search) Paris]"));
    RunResult result;
    try (ReActAgent agent = ReActAgent.builder().llm(llm).tools(tools).build()) {
      result = agent.run("Sum and capital?");
    }

    assertThat(result.outcome()).isEqualTo(RunOutcome.FINISHED);
    assertThat(result.answer()).isEqualTo("5, and (per search) Paris");
    assertThat(result.llmCalls()).isEqualTo(3);
    List<TaskTrace> steps = result.trace().tasks();
    assertThat(steps).extracting(TaskTrace::tool).containsExactly("add", "search");
    assertThat(steps.get(0).args().get("a").asInt()).isEqualTo(2);
    assertThat(steps.get(0).result().orElseThrow().asInt()).isEqualTo(5);
    assertThat(steps.get(0).thought()).isEqualTo("I need the sum.");
    assertThat(steps.get(1).startMs()).isGreaterThanOrEqualTo(steps.get(0).endMs());
    // The model's own "Observation:" is cut by the stop sequence; the real one follows.
    assertThat(llm.requests.get(1).messages().get(1).content()).doesNotContain("made up");
    assertThat(llm.requests.get(1).lastUserMessage().orElseThrow().content())
        .isEqualTo("Observation: 5");
    assertThat(llm.requests.get(2).lastUserMessage().orElseThrow().content())
        .isEqualTo("Observation: \"result for capital of France\"");
    assertThat(llm.requests.get(0).system())
        .isEqualTo(llm.requests.get(2).system())
        .contains("add(a: integer, b: integer)");
    Threads.assertEnded(llm.threads);
  }

  @Test
  void badActionsBecomeObservationsAndMaxStepsForcesAnAnswer() {
    ScriptedLlm llm =
        new ScriptedLlm(
            reply("Thought: hmm\nAction: nosuch(1)"),
            reply("I will just think."),
            reply("Thought: I give up.\nAction: Finish(unknown)"));
    RunResult result;
    try (ReActAgent agent = ReActAgent.builder().llm(llm).tools(tools()).maxSteps(2).build()) {
      result = agent.run("q");
    }
    assertThat(result.outcome()).isEqualTo(RunOutcome.STEPS_EXHAUSTED);
    assertThat(result.answer()).isEqualTo("unknown");
    List<TaskTrace> steps = result.trace().tasks();
    assertThat(steps)
        .extracting(TaskTrace::status)
        .containsExactly(TaskStatus.ERROR, TaskStatus.ERROR);
    assertThat(steps.get(0).error().orElseThrow()).contains("nosuch");
    assertThat(steps.get(1).error().orElseThrow()).contains("no Action");
    assertThat(llm.requests.get(2).lastUserMessage().orElseThrow().content())
        .contains("used all 2 tool calls");
  }

  @Test
  void anLlmFailureThrowsWithThePartialTrace() {
    ScriptedLlm llm = new ScriptedLlm(reply("Thought: x\nAction: add(1, 2)"));
    LlmCompilerException error;
    try (ReActAgent agent = ReActAgent.builder().llm(llm).tools(tools()).build()) {
      error = catchThrowableOfType(LlmCompilerException.class, () -> agent.run("q"));
    }
    assertThat(error.outcome()).hasValue(RunOutcome.LLM_FAILED);
    assertThat(error.partialResult().orElseThrow().trace().tasks()).hasSize(1);
  }

  @Test
  void theBuilderChecksItsSettingsAsTheCompilersDoes() {
    ScriptedLlm llm = new ScriptedLlm();
    assertThatThrownBy(() -> ReActAgent.builder().tools(tools()).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("`llm` is required but was not set: call .llm(yourLlmClient).");
    assertThatThrownBy(() -> ReActAgent.builder().llm(llm).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("`tools` is required");
    assertThatThrownBy(() -> ReActAgent.builder().llm(llm).tools(tools(), tools()).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Two tools are named 'search'");
    assertThatThrownBy(() -> ReActAgent.builder().toolTimeout(java.time.Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("toolTimeout must be positive, got PT0S");
    assertThatThrownBy(() -> ReActAgent.builder().maxObservationChars(99))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxObservationChars must be at least 100, got 99");
    assertThatThrownBy(() -> ReActAgent.builder().maxSteps(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxSteps must be at least 1, got 0");
  }
}
