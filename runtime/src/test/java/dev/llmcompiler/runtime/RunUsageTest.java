package dev.llmcompiler.runtime;

import static dev.llmcompiler.runtime.ScriptedLlm.reply;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmcompiler.runtime.internal.Json;
import dev.llmcompiler.runtime.llm.TokenUsage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A run's token usage: cached prompt tokens add up per step, and stay out of the trace JSON. */
class RunUsageTest {

  private static TokenUsage usage(long prompt, long completion, long cached) {
    return TokenUsage.builder()
        .promptTokens(prompt)
        .completionTokens(completion)
        .cachedPromptTokens(cached)
        .build();
  }

  @Test
  void cachedPromptTokensAddUpAcrossRoundsAndSteps() throws Exception {
    TestTools tools = new TestTools().tool("echo", args -> args.get("value"), "value", "any");
    ScriptedLlm llm =
        new ScriptedLlm(
            reply("1. echo(1)\njoin()<END_OF_PLAN>").usage(usage(1000, 20, 0)),
            reply("Thought: again\nAction: Replan(once more)").usage(TokenUsage.of(300, 5)),
            reply("2. echo(2)\njoin()<END_OF_PLAN>").usage(usage(1100, 20, 1024)),
            reply("Thought: done\nAction: Finish(2)").usage(usage(400, 4, 256)));
    RunResult result;
    try (LlmCompiler compiler = LlmCompiler.builder().llm(llm).tools(tools).build()) {
      result = compiler.run("Echo twice");
    }

    assertThat(result.answer()).isEqualTo("2");
    assertThat(result.plannerUsage()).isEqualTo(usage(2100, 40, 1024));
    // The first joiner call did not report cached tokens; it counts as none cached.
    assertThat(result.joinerUsage()).isEqualTo(usage(700, 9, 256));
    assertThat(result.usage()).isEqualTo(usage(2800, 49, 1280));

    JsonNode json = Json.MAPPER.readTree(result.trace().toJson());
    assertThat(json.get("promptTokens").asLong()).isEqualTo(2800);
    List<String> fields = new ArrayList<>();
    json.fieldNames().forEachRemaining(fields::add);
    assertThat(fields).noneMatch(name -> name.toLowerCase().contains("cached"));
  }

  @Test
  void cachedPromptTokensStayUnknownWhenNoCallReportsThem() {
    TestTools tools = new TestTools().tool("echo", args -> args.get("value"), "value", "any");
    ScriptedLlm llm =
        new ScriptedLlm(
            reply("1. echo(1)\njoin()<END_OF_PLAN>").usage(100, 10),
            reply("Thought: done\nAction: Finish(1)").usage(50, 5));
    RunResult result;
    try (LlmCompiler compiler = LlmCompiler.builder().llm(llm).tools(tools).build()) {
      result = compiler.run("Echo once");
    }

    assertThat(result.usage()).isEqualTo(TokenUsage.of(150, 15));
    assertThat(result.usage().cachedPromptTokens()).isEmpty();
  }
}
