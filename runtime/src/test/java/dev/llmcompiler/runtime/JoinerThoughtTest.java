package dev.llmcompiler.runtime;

import static dev.llmcompiler.runtime.ScriptedLlm.reply;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmcompiler.runtime.internal.Json;
import dev.llmcompiler.runtime.llm.LlmRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The joiner's optional Thought ({@code joinerThought}): what it is asked for, and what is read
 * either way.
 */
class JoinerThoughtTest {
  private static final String PLAN = "1. search(\"a\")\n2. join()<END_OF_PLAN>";

  private final List<LlmCompiler> compilers = new ArrayList<>();

  @AfterEach
  void close() {
    compilers.forEach(LlmCompiler::close);
  }

  private LlmCompiler compiler(ScriptedLlm llm, UnaryOperator<LlmCompiler.Builder> configure) {
    TestTools tools =
        new TestTools()
            .tool(
                "search",
                args -> Json.NODES.textNode("found " + args.get("query").asText()),
                "query",
                "string");
    LlmCompiler compiler = configure.apply(LlmCompiler.builder().llm(llm).tools(tools)).build();
    compilers.add(compiler);
    return compiler;
  }

  private static String user(LlmRequest request) {
    return request.lastUserMessage().orElseThrow().content();
  }

  @Test
  void byDefaultTheJoinerIsAskedForItsActionOnly() {
    ScriptedLlm llm = new ScriptedLlm(reply(PLAN), reply("Action: Finish(found a)"));
    LlmCompiler compiler = compiler(llm, b -> b);

    RunResult result = compiler.run("What is a?");

    assertThat(result.answer()).isEqualTo("found a");
    LlmRequest joiner = llm.requests.get(1);
    assertThat(joiner.system())
        .isEqualTo(compiler.joinerSystemPrompt())
        .contains(
            "Reply with only the action:\nAction: Finish(<the final answer>)\nor\nAction: Replan(")
        .doesNotContain("Thought:");
    assertThat(user(joiner))
        .endsWith("\nDecide now: Action: Finish(...) or Action: Replan(...).")
        .doesNotContain("Decide now: Thought");
    assertThat(result.trace().rounds().get(0).thought()).isEmpty();
  }

  @Test
  void joinerThoughtTrueAsksForAThoughtBeforeTheAction() {
    ScriptedLlm llm =
        new ScriptedLlm(
            reply(PLAN), reply("Thought: the search answers it.\nAction: Finish(found a)"));
    LlmCompiler compiler = compiler(llm, b -> b.joinerThought(true));

    RunResult result = compiler.run("What is a?");

    assertThat(result.answer()).isEqualTo("found a");
    LlmRequest joiner = llm.requests.get(1);
    assertThat(joiner.system())
        .isEqualTo(compiler.joinerSystemPrompt())
        .contains(
            "Reply in this format:\nThought: <brief reasoning>\nAction: Finish(<the final answer>)\nor\n"
                + "Action: Replan(");
    assertThat(user(joiner))
        .endsWith("\nDecide now: Thought, then Action: Finish(...) or Action: Replan(...).");
    assertThat(result.trace().rounds().get(0).thought()).isEqualTo("the search answers it.");
    assertThat(compiler.joinerSystemPrompt())
        .isNotEqualTo(compiler(new ScriptedLlm(), b -> b).joinerSystemPrompt());
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void aReplyIsReadTheSameWayWithOrWithoutAThought(boolean joinerThought) {
    for (String reply :
        List.of(
            "Action: Finish(found a)",
            "Thought: it is there.\nAction: Finish(found a)",
            "Thought: the result says Action: Finish(wrong); data only.\nAction: Finish(found a)")) {
      ScriptedLlm llm = new ScriptedLlm(reply(PLAN), reply(reply));

      RunResult result = compiler(llm, b -> b.joinerThought(joinerThought)).run("What is a?");

      assertThat(result.outcome()).as(reply).isEqualTo(RunOutcome.FINISHED);
      assertThat(result.answer()).as(reply).isEqualTo("found a");
      assertThat(result.llmCalls()).as(reply).isEqualTo(2);
    }
  }

  @Test
  void aReplanWithoutAThoughtStartsANewRound() {
    ScriptedLlm llm =
        new ScriptedLlm(
            reply(PLAN),
            reply("Action: Replan(search for b as well)"),
            reply("2. search(\"b\")\n3. join()<END_OF_PLAN>"),
            reply("Action: Finish(found a and found b)"));

    RunResult result = compiler(llm, b -> b).run("What are a and b?");

    assertThat(result.outcome()).isEqualTo(RunOutcome.FINISHED);
    assertThat(result.answer()).isEqualTo("found a and found b");
    assertThat(result.rounds()).isEqualTo(2);
    RoundTrace first = result.trace().rounds().get(0);
    assertThat(first.decision()).isEqualTo(JoinerDecision.REPLAN);
    assertThat(first.reason()).hasValue("search for b as well");
    assertThat(first.thought()).isEmpty();
    assertThat(user(llm.requests.get(2)))
        .contains("Why a new plan is needed: \"search for b as well\"")
        .contains("from 2 on");
    assertThat(user(llm.requests.get(3)))
        .contains("Results of round 2:\n2. search(query=\"b\") -> \"found b\"");
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void theFollowUpsAskForTheSameFormatAsTheSystemPrompt(boolean joinerThought) {
    // An unreadable reply gets the format again; a replan past the budget is asked for a final
    // answer.
    ScriptedLlm llm =
        new ScriptedLlm(
            reply(PLAN),
            reply("I think it is a."),
            reply("Action: Replan(more)"),
            reply("Action: Finish(found a)"));

    RunResult result =
        compiler(llm, b -> b.joinerThought(joinerThought).maxReplans(0)).run("What is a?");

    assertThat(result.answer()).isEqualTo("found a");
    String formatRetry = user(llm.requests.get(2));
    String finalAnswer = user(llm.requests.get(3));
    assertThat(formatRetry)
        .contains(
            "Reply again in exactly this format:\n"
                + (joinerThought ? "Thought: <brief reasoning>\n" : "")
                + "Action: Finish(<the final answer>)\nor\nAction: Replan(");
    assertThat(finalAnswer)
        .contains("No new plan is possible")
        .endsWith(
            "Reply with:\n"
                + (joinerThought ? "Thought: <brief reasoning>\n" : "")
                + "Action: Finish(<the final answer>)");
    if (!joinerThought) {
      assertThat(formatRetry).doesNotContain("Thought");
      assertThat(finalAnswer).doesNotContain("Thought");
    }
  }
}
