package dev.llmcompiler.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmcompiler.runtime.llm.LlmRequest;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PlannerPromptTest {
  private static List<ToolBinding> bindings(TestTools tools) {
    return LlmCompiler.builder().tools(tools).bindTools();
  }

  private static TestTools tools() {
    return new TestTools()
        .tool("search", args -> args, "query", "string")
        .tool("math", args -> args, "expression", "string");
  }

  @Test
  void theSystemPromptIsByteIdenticalForTheSameToolsAndNeverCarriesTheQuestion() {
    Planner first = new Planner(bindings(tools()), "", List.of());
    Planner second = new Planner(bindings(tools()), "", List.of());
    LlmRequest a = first.firstRequest("How far is Ouagadougou from Bamako?");
    LlmRequest b = second.firstRequest("Something else entirely");
    LlmRequest replan = second.replanRequest("Something else entirely", List.of(), 4, Set.of(1, 3), 4000, 100_000);

    assertThat(a.system()).isEqualTo(b.system()).isEqualTo(replan.system());
    assertThat(a.system().getBytes(java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo(b.system().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertThat(a.system()).doesNotContain("Ouagadougou").doesNotContain("Something else");
    assertThat(a.lastUserMessage().orElseThrow().content()).contains("How far is Ouagadougou from Bamako?");
    assertThat(replan.lastUserMessage().orElseThrow().content()).contains("from 4 on").contains("$1, $3");
    assertThat(a.stop()).containsExactly("<END_OF_PLAN>");
    assertThat(a.purpose()).isEqualTo("planner");
  }

  @Test
  void theSystemPromptListsEveryToolWithItsDescriptionAndTheRules() {
    String prompt = new Planner(bindings(tools()), "Prefer metric units.", List.of("Question: q\n1. search(\"q\")\n2. join()\n<END_OF_PLAN>")).systemPrompt();
    assertThat(prompt)
        .contains("1. search(query: string) -> any [changes data]\n   The search tool for tests.")
        .contains("2. math(expression: string) -> any [changes data]")
        .contains("3. join()")
        .contains("$2.price")
        .contains("Maximise parallelism")
        .contains("Never invent a tool")
        .contains("<END_OF_PLAN>")
        .contains("Prefer metric units.")
        .contains("Question: q\n1. search(\"q\")");
    assertThat(new Planner(bindings(tools()), "", List.of()).systemPrompt()).isNotEqualTo(prompt);
  }
}
