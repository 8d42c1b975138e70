package dev.llmcompiler.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmcompiler.runtime.LlmCompiler;
import dev.llmcompiler.runtime.PlanFormat;
import dev.llmcompiler.runtime.llm.LlmClient;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class WorkloadTest {

  @Test
  void shapesAreThePapers() {
    assertThat(Workload.hotpotQa().taskCount()).isEqualTo(2);
    assertThat(Workload.movie().taskCount()).isEqualTo(8);
    assertThat(Workload.parallelQa().taskCount()).isEqualTo(7);
    assertThat(Workload.replan().rounds()).hasSize(2);
    assertThat(Workload.replan().rounds().get(0).replanReason()).isNotBlank();
  }

  @Test
  void plansAreInThePlanLanguageAndEndWithJoin() {
    assertThat(Workload.hotpotQa().plan(1, 1))
        .isEqualTo(
            "1. search(\"length of the Danube river\")\n2. search(\"length of the Dnieper river\")\n3. join()<END_OF_PLAN>");
    assertThat(Workload.parallelQa().plan(1, 1))
        .contains(
            "5. math(\"sum of the heights of the Eiffel Tower and the Space Needle\", [$1, $2])\n");
  }

  @Test
  void aReplanIsNumberedFromWhereTheRuntimeAsksAndItsOwnReferencesMoveAlong() {
    String plan = Workload.replan().plan(2, 3);
    assertThat(plan).startsWith("3. search(\"age of the CEO of Acme Corp\")\n4. search(");
    assertThat(plan).contains("5. math(\"difference between the two ages\", [$3, $4])\n6. join()");
  }

  @Test
  void jsonPlansHoldTheSameTasksAsTheTextPlans() {
    assertThat(Workload.hotpotQa().jsonPlan(1, 1))
        .isEqualTo(
            "{\"tasks\":[{\"id\":1,\"tool\":\"search\",\"args\":"
                + "{\"query\":\"length of the Danube river\"}},{\"id\":2,\"tool\":\"search\",\"args\":{\"query\":"
                + "\"length of the Dnieper river\"}},{\"id\":3,\"tool\":\"join\",\"args\":{}}]}");
    assertThat(Workload.replan().jsonPlan(2, 3))
        .contains(
            "{\"id\":5,\"tool\":\"math\",\"args\":{\"problem\":"
                + "\"difference between the two ages\",\"context\":[\"$3\",\"$4\"]}},{\"id\":6,\"tool\":\"join\"");
  }

  @Test
  void aComputedAnswerIsGivenInTheJoinOnlyWhereThePromptTeachesDirectAnswers() {
    Workload parallel = Workload.parallelQa();
    assertThat(parallel.plan(1, 1, true))
        .endsWith("\n8. join(\"The ratio is ${7}.\")<END_OF_PLAN>");
    assertThat(parallel.plan(1, 1, false)).endsWith("\n8. join()<END_OF_PLAN>");
    // Numbered from elsewhere, the answer's reference moves with its task.
    assertThat(parallel.plan(1, 11, true))
        .contains("17. math(\"ratio of the first sum to the second sum\", [$15, $16])\n")
        .endsWith("\n18. join(\"The ratio is ${17}.\")<END_OF_PLAN>");
    assertThat(parallel.jsonPlan(1, 1, true))
        .endsWith("{\"id\":8,\"tool\":\"join\",\"args\":{\"answer\":\"The ratio is ${7}.\"}}]}");
    // Rendered from the math tool's result, the direct answer is the scripted answer.
    assertThat(parallel.directAnswer().replace("${7}", parallel.byId(7).result()))
        .isEqualTo(parallel.answer());
    // An answer that needs judgment keeps the joiner.
    assertThat(Workload.hotpotQa().plan(1, 1, true)).endsWith("\n3. join()<END_OF_PLAN>");
    assertThat(Workload.replan().plan(2, 3, true)).endsWith("\n6. join()<END_OF_PLAN>");
  }

  @Test
  void theSimulatedPlannerSeesWhetherThePromptTeachesDirectAnswers() {
    LlmClient noCalls =
        (request, listener) -> {
          throw new AssertionError("no model call expected");
        };
    BenchTools tools = new BenchTools(new ToolLatency(1, 0, 1));
    for (PlanFormat format : PlanFormat.values()) {
      for (boolean direct : new boolean[] {true, false}) {
        try (LlmCompiler compiler =
            LlmCompiler.builder()
                .llm(noCalls)
                .tools(BenchToolsTools.of(tools))
                .planFormat(format)
                .directAnswers(direct)
                .build()) {
          assertThat(compiler.plannerSystemPrompt().contains(SimulatedLlm.DIRECT_ANSWER_RULE))
              .as("%s plan, direct answers %s", format, direct)
              .isEqualTo(direct);
        }
      }
    }
  }

  @Test
  void nativeTurnsGroupEveryCallWhoseInputsAreKnown() {
    assertThat(ids(Workload.parallelQa().toolCallTurns()))
        .isEqualTo(List.of(List.of(1, 2, 3, 4), List.of(5, 6), List.of(7)));
    assertThat(ids(Workload.movie().toolCallTurns()))
        .isEqualTo(List.of(List.of(1, 2, 3, 4, 5, 6, 7, 8)));
    assertThat(ids(Workload.replan().toolCallTurns()))
        .isEqualTo(List.of(List.of(1, 2), List.of(4, 5), List.of(6)));
  }

  @Test
  void reactMakesOneCallPerTaskThenFinishes() {
    Workload w = Workload.parallelQa();
    assertThat(w.reactReply(1))
        .isEqualTo(
            "Thought: Next I need height of the Eiffel Tower in metres.\n"
                + "Action: search(\"height of the Eiffel Tower in metres\")");
    assertThat(w.reactReply(5))
        .contains(
            "Action: math(problem=\"sum of the heights of the Eiffel Tower and the Space Needle\", context=[\"height of the Eiffel Tower");
    assertThat(w.reactReply(8)).endsWith("Action: Finish(" + w.answer() + ")");
  }

  @Test
  void theJoinerReplansOnlyWhereScripted() {
    assertThat(Workload.replan().joinerReply(1, false)).startsWith("Action: Replan(Find the ages");
    assertThat(Workload.replan().joinerReply(1, true))
        .startsWith("Thought: ")
        .contains("\nAction: Replan(Find the ages");
    assertThat(Workload.replan().joinerReply(2, false))
        .isEqualTo("Action: Finish(" + Workload.replan().answer() + ")");
  }

  private static List<List<Integer>> ids(List<List<Workload.Task>> turns) {
    return turns.stream()
        .map(t -> t.stream().map(Workload.Task::id).collect(Collectors.toList()))
        .collect(Collectors.toList());
  }
}
