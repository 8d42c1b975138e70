package dev.llmcompiler.runtime;

import static dev.llmcompiler.runtime.ScriptedLlm.reply;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmcompiler.annotations.Effect;
import dev.llmcompiler.runtime.internal.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Declared effects through the public API: no call runs twice in a run, calls cut off after they
 * started say their outcome is unknown, and calls that change data wait for the approver.
 */
class ToolEffectsTest {
  private static final String FINISH = "Thought: done.\nAction: Finish(%s)";
  private static final String OUTCOME_UNKNOWN =
      "outcome unknown: it may have taken effect; do not repeat it blindly";

  private final List<LlmCompiler> compilers = new ArrayList<>();
  private final List<TestTools> toolSets = new ArrayList<>();
  private final List<ScriptedLlm> llms = new ArrayList<>();

  /** How often each call (tool and arguments) reached its tool. */
  private final Map<String, AtomicInteger> executions = new ConcurrentHashMap<>();

  @AfterEach
  void noThreadOfTheRunOutlivesIt() throws InterruptedException {
    compilers.forEach(LlmCompiler::close);
    for (TestTools tools : toolSets) {
      Threads.assertEnded(tools.threads);
    }
    for (ScriptedLlm llm : llms) {
      Threads.assertEnded(llm.threads);
    }
    Threads.assertNoRuntimeThreads();
  }

  private LlmCompiler compiler(
      ScriptedLlm llm, TestTools tools, UnaryOperator<LlmCompiler.Builder> configure) {
    llms.add(llm);
    toolSets.add(tools);
    LlmCompiler compiler = configure.apply(LlmCompiler.builder().llm(llm).tools(tools)).build();
    compilers.add(compiler);
    return compiler;
  }

  private int executions(String call) {
    AtomicInteger count = executions.get(call);
    return count == null ? 0 : count.get();
  }

  private void executed(String tool, JsonNode args) {
    executions.computeIfAbsent(tool + args, k -> new AtomicInteger()).incrementAndGet();
  }

  /** charge (undeclared: mutating), search (read-only), echo (read-only). */
  private TestTools shop() {
    return new TestTools()
        .tool(
            "charge",
            args -> {
              executed("charge", args);
              return Json.object()
                  .put(
                      "receipt",
                      "r-" + args.get("card").asText() + "-" + args.get("cents").asInt());
            },
            "card",
            "string",
            "cents",
            "integer")
        .tool(
            "search",
            Effect.READ_ONLY,
            args -> {
              executed("search", args);
              return Json.NODES.textNode("about " + args.get("query").asText());
            },
            "query",
            "string")
        .tool("echo", Effect.READ_ONLY, args -> args.get("value"), "value", "any");
  }

  private static List<TaskTrace> tasks(RunResult result, int round) {
    return result.trace().rounds().get(round - 1).tasks();
  }

  private static String plannerPrompt(ScriptedLlm llm, int call) {
    return llm.requests.get(call).lastUserMessage().orElseThrow().content();
  }

  @Test
  void aChargeThatAReplanRepeatsRunsOnceAndTheRepeatGetsItsReceipt() {
    ScriptedLlm llm =
        new ScriptedLlm(
            reply("1. charge(\"4242\", 500)\n2. join()<END_OF_PLAN>"),
            reply("Thought: not sure it went through.\nAction: Replan(charge the card)"),
            reply(
                "Thought: charge it again to be sure.\n2. charge(card=\"4242\", cents=500)\njoin()<END_OF_PLAN>"),
            reply(String.format(FINISH, "charged")));
    TestTools tools = shop();
    RunResult result = compiler(llm, tools, b -> b).run("Charge my card 5.00");

    assertThat(tools.calls("charge")).as("the charge ran once").isEqualTo(1);
    TaskTrace first = tasks(result, 1).get(0);
    TaskTrace repeat = tasks(result, 2).get(0);
    assertThat(first.reusedFrom()).isEmpty();
    assertThat(repeat.reusedFrom()).isEqualTo(OptionalInt.of(1));
    assertThat(repeat.status()).isEqualTo(TaskStatus.OK);
    assertThat(repeat.result()).isEqualTo(first.result());
    // The joiner is told that the second line is the first charge, not a second one.
    assertThat(plannerPrompt(llm, 3))
        .contains(
            "2. charge(card=\"4242\", cents=500) [same call as task 1, not run again] -> {\"receipt\":\"r-4242-500\"}");
    assertThat(result.trace().toJson()).contains("\"reusedFrom\" : 1");
  }

  @Test
  void aFailedChargeIsNotRepeatedAndTheReplannerReadsWhy() {
    AtomicInteger attempts = new AtomicInteger();
    TestTools tools =
        new TestTools()
            .tool(
                "charge",
                args -> {
                  attempts.incrementAndGet();
                  throw new IllegalStateException("gateway error 502");
                },
                "card",
                "string",
                "cents",
                "integer");
    ScriptedLlm llm =
        new ScriptedLlm(
            reply("1. charge(\"4242\", 500)\n2. join()<END_OF_PLAN>"),
            reply("Action: Replan(try the charge again)"),
            reply("2. charge(\"4242\", 500)\n3. charge(\"4242\", 700)\njoin()<END_OF_PLAN>"),
            reply("Action: Replan(what now?)"),
            reply("join()<END_OF_PLAN>"),
            reply(String.format(FINISH, "the card could not be charged")));
    RunResult result = compiler(llm, tools, b -> b).run("Charge my card 5.00");

    assertThat(attempts).as("500 once, 700 once").hasValue(2);
    TaskTrace repeat = tasks(result, 2).get(0);
    assertThat(repeat.status()).isEqualTo(TaskStatus.ERROR);
    assertThat(repeat.reusedFrom()).hasValue(1);
    assertThat(repeat.error())
        .hasValue(
            "already attempted in round 1; not repeated. Task 1: Tool 'charge' failed:"
                + " IllegalStateException: gateway error 502");
    assertThat(tasks(result, 2).get(1).reusedFrom())
        .as("other arguments are another call")
        .isEmpty();
    String replan = plannerPrompt(llm, 4);
    // The error is quoted, as every observation is (see Observations).
    assertThat(replan)
        .contains(
            "2. charge(card=\"4242\", cents=500) -> error: \"already attempted in round 1;"
                + " not repeated. Task 1: Tool 'charge' failed: IllegalStateException: gateway error 502\"");
  }

  @Test
  void identicalCallsInOnePlanRunOnceWhateverTheirEffect() {
    ScriptedLlm llm =
        new ScriptedLlm(
            reply(
                "1. charge(\"4242\", 500)\n2. charge(cents=500, card=\"4242\")\n3. search(\"a\")\n4. search(query=\"a\")\n"
                    + "5. join()<END_OF_PLAN>"),
            reply(String.format(FINISH, "done")));
    TestTools tools = shop();
    RunResult result = compiler(llm, tools, b -> b).run("q");

    assertThat(tools.calls("charge")).isEqualTo(1);
    assertThat(tools.calls("search")).isEqualTo(1);
    assertThat(tasks(result, 1)).extracting(TaskTrace::status).containsOnly(TaskStatus.OK);
    assertThat(tasks(result, 1))
        .extracting(t -> t.reusedFrom().orElse(0))
        .containsExactly(0, 1, 0, 3);
  }

  @Test
  void duplicateReadOnlyLookupsAcrossRoundsRunOnceAndTheTraceSaysWhichTheyReused() {
    List<TaskEvent> dispatched = Collections.synchronizedList(new ArrayList<>());
    ScriptedLlm llm =
        new ScriptedLlm(
            reply("1. search(\"Apple\")\n2. search(\"Microsoft\")\n3. join()<END_OF_PLAN>"),
            reply("Action: Replan(compare them)"),
            reply(
                "3. search(\"Microsoft\")\n4. search(\"Nvidia\")\n5. echo($3)\njoin()<END_OF_PLAN>"),
            reply(String.format(FINISH, "compared")));
    TestTools tools = shop();
    RunResult result =
        compiler(
                llm,
                tools,
                b ->
                    b.listener(
                        new RunListener() {
                          @Override
                          public void onTaskDispatched(TaskEvent task) {
                            dispatched.add(task);
                          }
                        }))
            .run("q");

    assertThat(tools.calls("search")).as("Apple, Microsoft, Nvidia").isEqualTo(3);
    assertThat(executions("search{\"query\":\"Microsoft\"}")).isEqualTo(1);
    TaskTrace reused = tasks(result, 2).get(0);
    assertThat(reused.reusedFrom()).hasValue(2);
    assertThat(reused.result()).contains(Json.NODES.textNode("about Microsoft"));
    assertThat(tasks(result, 2).get(2).result())
        .as("a reused result can be referenced")
        .contains(Json.NODES.textNode("about Microsoft"));
    assertThat(dispatched)
        .filteredOn(e -> e.id() == 3)
        .singleElement()
        .satisfies(e -> assertThat(e.reusedFrom()).hasValue(2));
    assertThat(dispatched)
        .filteredOn(e -> e.id() == 4)
        .singleElement()
        .satisfies(e -> assertThat(e.reusedFrom()).isEmpty());
    RunTrace read = RunTrace.fromJson(result.trace().toJson());
    assertThat(read.rounds().get(1).tasks().get(0).reusedFrom()).hasValue(2);
    assertThat(read.rounds().get(1).tasks().get(1).reusedFrom()).isEmpty();
  }

  @Test
  void aFailedReadOnlyLookupMayBeTriedAgainByAReplan() {
    AtomicInteger calls = new AtomicInteger();
    TestTools tools =
        new TestTools()
            .tool(
                "search",
                Effect.READ_ONLY,
                args -> {
                  if (calls.incrementAndGet() == 1) {
                    throw new IllegalStateException("rate limited");
                  }
                  return Json.NODES.textNode("found");
                },
                "query",
                "string");
    ScriptedLlm llm =
        new ScriptedLlm(
            reply("1. search(\"a\")\n2. join()<END_OF_PLAN>"),
            reply("Action: Replan(try again)"),
            reply("2. search(\"a\")\njoin()<END_OF_PLAN>"),
            reply(String.format(FINISH, "found")));
    RunResult result = compiler(llm, tools, b -> b).run("q");

    assertThat(calls).hasValue(2);
    assertThat(tasks(result, 2).get(0).status()).isEqualTo(TaskStatus.OK);
    assertThat(tasks(result, 2).get(0).reusedFrom()).isEmpty();
  }

  @Test
  void concurrentIdenticalReadOnlyCallsShareTheExecutionInFlight() throws Exception {
    CountDownLatch secondDispatched = new CountDownLatch(1);
    AtomicBoolean secondCameWhileFirstRan = new AtomicBoolean();
    TestTools tools =
        new TestTools()
            .tool(
                "quote",
                Effect.READ_ONLY,
                args -> {
                  // Returns only once task 2 was dispatched: the two calls overlap, and task 2 must
                  // not start another.
                  secondCameWhileFirstRan.set(secondDispatched.await(10, TimeUnit.SECONDS));
                  return Json.NODES.numberNode(42);
                },
                "symbol",
                "string");
    ScriptedLlm llm =
        new ScriptedLlm(
            reply("1. quote(\"ACME\")\n2. quote(\"ACME\")\n3. join()<END_OF_PLAN>"),
            reply(String.format(FINISH, "42")));
    RunResult result =
        compiler(
                llm,
                tools,
                b ->
                    b.listener(
                        new RunListener() {
                          @Override
                          public void onTaskDispatched(TaskEvent task) {
                            if (task.id() == 2) {
                              secondDispatched.countDown();
                            }
                          }
                        }))
            .run("q");

    assertThat(secondCameWhileFirstRan).isTrue();
    assertThat(tools.calls("quote")).isEqualTo(1);
    List<TaskTrace> tasks = tasks(result, 1);
    assertThat(tasks).extracting(TaskTrace::status).containsExactly(TaskStatus.OK, TaskStatus.OK);
    assertThat(tasks.get(1).reusedFrom()).hasValue(1);
    assertThat(tasks.get(1).result()).contains(Json.NODES.numberNode(42));
  }

  @Test
  void aTimedOutChargeIsOutcomeUnknownAndAReplanCannotRepeatIt() {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch interrupted = new CountDownLatch(1);
    TestTools tools =
        new TestTools()
            .tool(
                "charge",
                TestTools.hangUntilInterrupted(started, interrupted),
                "card",
                "string",
                "cents",
                "integer");
    ScriptedLlm llm =
        new ScriptedLlm(
            reply("1. charge(\"4242\", 500)\n2. join()<END_OF_PLAN>"),
            reply("Action: Replan(the charge timed out)"),
            reply("2. charge(\"4242\", 500)\njoin()<END_OF_PLAN>"),
            reply(String.format(FINISH, "unknown")));
    RunResult result =
        compiler(llm, tools, b -> b.toolTimeout("charge", Duration.ofMillis(100))).run("q");

    assertThat(tools.calls("charge")).isEqualTo(1);
    TaskTrace cutOff = tasks(result, 1).get(0);
    assertThat(cutOff.error())
        .hasValue(
            "Tool 'charge' timed out after 100 ms and was interrupted; "
                + OUTCOME_UNKNOWN
                + ". If it needs longer, raise toolTimeout(\"charge\", ...).");
    TaskTrace repeat = tasks(result, 2).get(0);
    assertThat(repeat.error().orElseThrow())
        .startsWith("already attempted in round 1; not repeated. Task 1:")
        .contains(OUTCOME_UNKNOWN);
    assertThat(plannerPrompt(llm, 2))
        .as("the replanner reads it")
        .contains(OUTCOME_UNKNOWN)
        .doesNotContain("Try a smaller request");
  }

  @Test
  void aTimedOutReadOnlyCallKeepsTheUsualMessage() {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch interrupted = new CountDownLatch(1);
    TestTools tools =
        new TestTools()
            .tool(
                "search",
                Effect.READ_ONLY,
                TestTools.hangUntilInterrupted(started, interrupted),
                "query",
                "string");
    ScriptedLlm llm =
        new ScriptedLlm(
            reply("1. search(\"a\")\n2. join()<END_OF_PLAN>"), reply(String.format(FINISH, "x")));
    RunResult result = compiler(llm, tools, b -> b.toolTimeout(Duration.ofMillis(100))).run("q");

    assertThat(tasks(result, 1).get(0).error().orElseThrow())
        .contains("timed out")
        .doesNotContain("outcome unknown");
  }

  @Test
  void aDeniedCallNeverReachesItsToolAndItsDependentsAreSkipped() {
    List<ToolApprover.Request> asked = Collections.synchronizedList(new ArrayList<>());
    TestTools tools = shop();
    ScriptedLlm llm =
        new ScriptedLlm(
            reply(
                "Thought: pay first.\n1. charge(\"4242\", 500)\n2. echo($1)\n3. search(\"receipt\")\n4. join()<END_OF_PLAN>"),
            reply(String.format(FINISH, "declined")));
    RunResult result =
        compiler(
                llm,
                tools,
                b ->
                    b.approver(
                        request -> {
                          asked.add(request);
                          return ToolApproval.deny("the user declined");
                        }))
            .run("Pay 5.00");

    assertThat(tools.calls("charge")).isZero();
    List<TaskTrace> tasks = tasks(result, 1);
    assertThat(tasks.get(0).error()).hasValue("denied by the approver: the user declined");
    assertThat(tasks.get(1).status()).isEqualTo(TaskStatus.SKIPPED);
    assertThat(tasks.get(2).status())
        .as("read-only calls are not asked about")
        .isEqualTo(TaskStatus.OK);
    assertThat(asked)
        .singleElement()
        .satisfies(
            request -> {
              assertThat(request.tool().name()).isEqualTo("charge");
              assertThat(request.effect()).isEqualTo(Effect.MUTATING);
              assertThat(request.arguments())
                  .isEqualTo(Json.object().put("card", "4242").put("cents", 500));
              assertThat(request.question()).isEqualTo("Pay 5.00");
              assertThat(request.round()).isEqualTo(1);
              assertThat(request.taskId()).isEqualTo(1);
              assertThat(request.thought()).isEqualTo("pay first.");
              assertThat(request.call()).isEqualTo("charge(card=\"4242\", cents=500)");
            });
  }

  @Test
  void anAllowedCallRunsAndAnApproverThatThrowsDenies() {
    TestTools tools = shop();
    ScriptedLlm llm =
        new ScriptedLlm(
            reply(
                "1. charge(\"4242\", 500)\n2. charge(\"4242\", 90000)\n3. charge(\"4242\", 500)\n4. join()<END_OF_PLAN>"),
            reply(String.format(FINISH, "one charge")));
    AtomicInteger asked = new AtomicInteger();
    RunResult result =
        compiler(
                llm,
                tools,
                b ->
                    b.approver(
                        request -> {
                          asked.incrementAndGet();
                          if (request.arguments().get("cents").asInt() > 10_000) {
                            throw new IllegalStateException("no manager online");
                          }
                          return ToolApproval.allow();
                        }))
            .run("q");

    assertThat(executions("charge{\"card\":\"4242\",\"cents\":500}")).isEqualTo(1);
    assertThat(executions("charge{\"card\":\"4242\",\"cents\":90000}")).isZero();
    assertThat(asked).as("the repeat of an approved call is not asked about again").hasValue(2);
    List<TaskTrace> tasks = tasks(result, 1);
    assertThat(tasks.get(0).status()).isEqualTo(TaskStatus.OK);
    assertThat(tasks.get(1).error())
        .hasValue(
            "denied by the approver: the approver failed: IllegalStateException:"
                + " no manager online");
    assertThat(tasks.get(2).reusedFrom()).hasValue(1);
  }

  @Test
  void anApproverStillDecidingAtTheDeadlineIsInterruptedAndTheRunEndsWithoutTheCall()
      throws Exception {
    CountDownLatch asked = new CountDownLatch(1);
    CountDownLatch interrupted = new CountDownLatch(1);
    TestTools tools = shop();
    ScriptedLlm llm =
        new ScriptedLlm(
            reply("1. charge(\"4242\", 500)\n2. search(\"x\")\n3. join()<END_OF_PLAN>"));
    LlmCompiler compiler =
        compiler(
            llm,
            tools,
            b ->
                b.runDeadline(Duration.ofMillis(300))
                    .approver(
                        request -> {
                          asked.countDown();
                          try {
                            new CountDownLatch(1).await(); // a person who never answers
                          } catch (InterruptedException e) {
                            interrupted.countDown();
                            throw e;
                          }
                          return ToolApproval.allow();
                        }));
    LlmCompilerException error =
        catchThrowableOfType(LlmCompilerException.class, () -> compiler.run("q"));

    assertThat(asked.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(interrupted.await(5, TimeUnit.SECONDS))
        .as("the pending approval was interrupted")
        .isTrue();
    RunResult partial = error.partialResult().orElseThrow();
    assertThat(partial.outcome()).isEqualTo(RunOutcome.DEADLINE_EXCEEDED);
    List<TaskTrace> tasks = tasks(partial, 1);
    assertThat(tasks.get(0).error().orElseThrow())
        .startsWith("deadline: the run deadline of 300 ms passed")
        .doesNotContain("outcome unknown");
    assertThat(tasks.get(1).status())
        .as("other tasks ran while the approver was deciding")
        .isEqualTo(TaskStatus.OK);
    assertThat(tools.calls("charge")).isZero();
  }

  @Test
  void thePlannerPromptMarksToolsThatChangeThingsAndOnlyThen() {
    TestTools mixed =
        new TestTools()
            .tool("search", Effect.READ_ONLY, args -> args, "query", "string")
            .tool("tag", Effect.IDEMPOTENT, args -> args, "id", "string")
            .tool("charge", args -> args, "cents", "integer")
            .tool("delete", Effect.DESTRUCTIVE, args -> args, "id", "string");
    String prompt = compiler(new ScriptedLlm(), mixed, b -> b).plannerSystemPrompt();
    assertThat(prompt)
        .contains("1. search(query: string) -> any\n")
        .contains("2. tag(id: string) -> any [changes data]\n")
        .contains("3. charge(cents: integer) -> any [changes data]\n")
        .contains("4. delete(id: string) -> any [destructive]\n")
        .contains("Tools marked [changes data] or [destructive] act on the world");
    assertThat(prompt).isEqualTo(compiler(new ScriptedLlm(), mixed, b -> b).plannerSystemPrompt());

    TestTools readOnly =
        new TestTools().tool("search", Effect.READ_ONLY, args -> args, "query", "string");
    assertThat(compiler(new ScriptedLlm(), readOnly, b -> b).plannerSystemPrompt())
        .doesNotContain("[changes data]")
        .doesNotContain("Tools marked");
  }

  @Test
  void aToolDescriptorIsMutatingUnlessItSaysOtherwise() {
    ToolDescriptor undeclared = TestTools.descriptor("x", false);
    assertThat(undeclared.effect()).isEqualTo(Effect.MUTATING);
    assertThat(TestTools.descriptor("x", false, Effect.READ_ONLY).effect())
        .isEqualTo(Effect.READ_ONLY);
  }
}
