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
    LlmRequest replan =
        second.replanRequest("Something else entirely", List.of(), 4, Set.of(1, 3), 4000, 100_000);

    assertThat(a.system()).isEqualTo(b.system()).isEqualTo(replan.system());
    assertThat(a.system().getBytes(java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo(b.system().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertThat(a.system()).doesNotContain("Ouagadougou").doesNotContain("Something else");
    assertThat(a.lastUserMessage().orElseThrow().content())
        .contains("How far is Ouagadougou from Bamako?");
    assertThat(replan.lastUserMessage().orElseThrow().content())
        .contains("from 4 on")
        .contains("$1, $3");
    assertThat(a.stop()).containsExactly("<END_OF_PLAN>");
    assertThat(a.purpose()).isEqualTo("planner");
  }

  @Test
  void theSystemPromptListsEveryToolWithItsDescriptionAndTheRules() {
    String prompt =
        new Planner(
                bindings(tools()),
                "Prefer metric units.",
                List.of("Question: q\n1. search(\"q\")\n2. join()\n<END_OF_PLAN>"))
            .systemPrompt();
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

  @Test
  void theTerseRulesStillSayEverythingThePlanReaderReliesOn() {
    String text =
        new Planner(bindings(tools()), "", List.of(), PlanFormat.TEXT, true).systemPrompt();
    String json =
        new Planner(bindings(tools()), "", List.of(), PlanFormat.JSON, true).systemPrompt();
    for (String prompt : List.of(text, json)) {
      assertThat(prompt)
          .startsWith("You are the planner of an LLM compiler")
          .contains("ids counting up by one from 1 or the id the user message gives")
          .contains(
              "One listed tool per task, with only its signature's arguments. Never invent a tool.")
          .contains("passes task 2's result, typed;")
          .contains("in a string inserts it as text;")
          .contains("$2.price")
          .contains("Reference only smaller ids.")
          .contains("Maximise parallelism: independent tasks never reference each other.")
          .contains("Never redo a done task.")
          .contains("Direct answer: only if it needs no judgment over the results");
    }
    assertThat(text)
        .contains("1. One task per line: `<id>. <tool>(<args>)`")
        .contains("`$2` as a whole argument")
        .contains("`${2}` in a string")
        .contains("6. End with the join, then `<END_OF_PLAN>`. Write no other text or markdown.")
        .contains("2. weather(city=$1.city, date=$1.date)\n3. join()\n<END_OF_PLAN>")
        .contains("No tool needed: `1. join(\"Paris\")`");
    assertThat(json)
        .contains("Reply with only a JSON plan, {\"tasks\": [...]}")
        .contains("\"$2\" as a whole value")
        .contains("The last task, tool \"join\", ends the plan.")
        .doesNotContain("<END_OF_PLAN>");
  }

  @Test
  void marksAreExplainedWhenAToolIsMarked() {
    TestTools tools = new TestTools().tool("refund", args -> args, "order", "string");
    String prompt = new Planner(bindings(tools), "", List.of()).systemPrompt();
    assertThat(prompt)
        .contains("1. refund(order: string) -> any [changes data]")
        .contains("Tools marked [changes data] or [destructive] act on the world")
        .contains("call one only when the question asks for that action")
        .contains("runs at most once per question with the same arguments");
  }

  @Test
  void withoutDirectAnswersAPlanWithNoToolIsJustTheJoin() {
    String prompt =
        new Planner(bindings(tools()), "", List.of(), PlanFormat.TEXT, false).systemPrompt();
    assertThat(prompt)
        .contains("7. If no tool is needed, the plan is just the join.")
        .contains("4. join()\n<END_OF_PLAN>")
        .doesNotContain("Direct answer");
  }
}
