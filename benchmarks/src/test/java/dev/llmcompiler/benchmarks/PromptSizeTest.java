package dev.llmcompiler.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmcompiler.runtime.LlmCompiler;
import dev.llmcompiler.runtime.PlanFormat;
import dev.llmcompiler.runtime.llm.LlmClient;
import org.junit.jupiter.api.Test;

/**
 * The fixed prompts every run pays for, in cl100k tokens, for the benchmark's tools: within the
 * budgets of issue 12 (before it, the planner's was 756 tokens with direct answers, 848 in JSON
 * mode, and the joiner's 242).
 */
class PromptSizeTest {
  private static final LlmClient NO_CALLS =
      (request, listener) -> {
        throw new AssertionError("no model call expected");
      };

  private static LlmCompiler compiler(PlanFormat format) {
    BenchTools tools = new BenchTools(new ToolLatency(1, 0, 1));
    return LlmCompiler.builder()
        .llm(NO_CALLS)
        .tools(BenchToolsTools.of(tools))
        .planFormat(format)
        .build();
  }

  @Test
  void thePlannerPromptForTheBenchmarkToolsFitsIn400TokensInBothPlanFormats() {
    try (LlmCompiler text = compiler(PlanFormat.TEXT);
        LlmCompiler json = compiler(PlanFormat.JSON)) {
      int textTokens = Tokens.cl100k().count(text.plannerSystemPrompt());
      int jsonTokens = Tokens.cl100k().count(json.plannerSystemPrompt());
      assertThat(textTokens).isLessThanOrEqualTo(400);
      assertThat(jsonTokens).isLessThanOrEqualTo(400);
    }
  }

  @Test
  void theJoinerPromptFitsIn150TokensWithOrWithoutItsThought() {
    BenchTools tools = new BenchTools(new ToolLatency(1, 0, 1));
    try (LlmCompiler plain = compiler(PlanFormat.TEXT);
        LlmCompiler thought =
            LlmCompiler.builder()
                .llm(NO_CALLS)
                .tools(BenchToolsTools.of(tools))
                .joinerThought(true)
                .build()) {
      assertThat(Tokens.cl100k().count(plain.joinerSystemPrompt())).isLessThanOrEqualTo(150);
      assertThat(Tokens.cl100k().count(thought.joinerSystemPrompt())).isLessThanOrEqualTo(150);
    }
  }
}
