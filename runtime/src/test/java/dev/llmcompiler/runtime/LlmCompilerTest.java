package dev.llmcompiler.runtime;

import static dev.llmcompiler.runtime.ScriptedLlm.reply;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmcompiler.runtime.internal.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * End to end through the real planner prompt, plan parser, task fetching unit, executor and joiner.
 */
class LlmCompilerTest {
  private static final String FINISH = "Thought: The results answer it.\nAction: Finish(%s)";

  private final List<LlmCompiler> compilers = new ArrayList<>();
  private final List<ScriptedLlm> llms = new ArrayList<>();
  private final List<TestTools> toolSets = new ArrayList<>();

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
      ScriptedLlm llm,
      TestTools tools,
      java.util.function.UnaryOperator<LlmCompiler.Builder> configure) {
    llms.add(llm);
    toolSets.add(tools);
    LlmCompiler compiler = configure.apply(LlmCompiler.builder().llm(llm).tools(tools)).build();
    compilers.add(compiler);
    return compiler;
  }

  private LlmCompiler compiler(ScriptedLlm llm, TestTools tools) {
    return compiler(llm, tools, b -> b);
  }

  private static JsonNode text(String value) {
    return Json.NODES.textNode(value);
  }

  private static TestTools searchTools(long millis) {
    return new TestTools()
        .tool(
            "search",
            args -> {
              Thread.sleep(millis);
              return text("result for " + args.get("query").asText());
            },
            "query",
            "string")
        .tool("echo", args -> args.get("value"), "value", "any");
  }

  @Test
  void independentTasksOverlapAndTheJoinerAnswers() {
    CyclicBarrier bothStarted = new CyclicBarrier(2);
    TestTools tools =
        new TestTools()
            .tool(
                "search",
                args -> {
                  bothStarted.await(5, TimeUnit.SECONDS);
                  Thread.sleep(300);
                  return text("result for " + args.get("query").asText());
                },
                "query",
                "string");
    ScriptedLlm llm =
        new ScriptedLlm(
            reply(
                    "Thought: independent lookups\n1. search(\"Apple market cap\")\n2. search(query=\"Microsoft market cap\")\n3. join()<END_OF_PLAN>")
                .chunks(7)
                .usage(200, 30),
            reply(String.format(FINISH, "Apple (f(x) is \"big\")")).usage(300, 20));
    RunResult result = compiler(llm, tools).run("Which is bigger?");

    assertThat(result.outcome()).isEqualTo(RunOutcome.FINISHED);
    assertThat(result.answer()).isEqualTo("Apple (f(x) is \"big\")");
    List<TaskTrace> tasks = result.trace().rounds().get(0).tasks();
    assertThat(tasks).extracting(TaskTrace::status).containsExactly(TaskStatus.OK, TaskStatus.OK);
    assertThat(tasks.get(0).startMs()).isLessThan(tasks.get(1).endMs());
    assertThat(tasks.get(1).startMs()).isLessThan(tasks.get(0).endMs());
    assertThat(tasks.get(0).thought()).isEqualTo("independent lookups");
    assertThat(result.llmCalls()).isEqualTo(2);
    assertThat(result.plannerUsage()).isEqualTo(dev.llmcompiler.runtime.llm.TokenUsage.of(200, 30));
    assertThat(result.joinerUsage()).isEqualTo(dev.llmcompiler.runtime.llm.TokenUsage.of(300, 20));
    assertThat(result.usage().totalTokens()).isEqualTo(550);
    assertThat(result.trace().promptTokens()).isEqualTo(500);
    assertThat(result.wallTime().toMillis()).isGreaterThanOrEqualTo(300);
    String joinerPrompt = llm.requests.get(1).lastUserMessage().orElseThrow().content();
    assertThat(joinerPrompt)
        .contains("Question: Which is bigger?")
        .contains("1. search(query=\"Apple market cap\") -> \"result for Apple market cap\"");
  }

  @Test
  void twoIndependent300MsToolsFinishTogetherUnder600Ms() {
    ScriptedLlm llm =
        new ScriptedLlm(
            reply("1. search(\"a\")\n2. search(\"b\")\njoin()<END_OF_PLAN>"),
            reply(String.format(FINISH, "ab")));
    RunResult result = compiler(llm, searchTools(300)).run("q");
    List<TaskTrace> tasks = result.trace().tasks();
    assertThat(tasks).extracting(TaskTrace::status).containsOnly(TaskStatus.OK);
    long makespan =
        Math.max(tasks.get(0).endMs(), tasks.get(1).endMs())
            - Math.min(tasks.get(0).startMs(), tasks.get(1).startMs());
    // Each tool sleeps at least 300 ms, so one after the other they cannot take less than 600 ms;
    // together they take about 300, which leaves 300 ms for a loaded machine.
    assertThat(makespan).isGreaterThanOrEqualTo(300).isLessThan(600);
  }

  @Test
  void aTaskStartsWhileThePlanIsStillStreaming() {
    CountDownLatch firstStarted = new CountDownLatch(1);
    TestTools tools =
        new TestTools()
            .tool(
                "first",
                args -> {
                  firstStarted.countDown();
                  return text("one");
                })
            .tool("second", args -> text("two"));
    // The stream stops before line 2 until task 1 has started: if dispatch waited for the whole
    // plan, the gate would time out after 10 s and gateOpenedInTime would be false.
    ScriptedLlm.Script plan =
        reply("1. first()\n2. second()\n3. join()<END_OF_PLAN>")
            .chunks(3)
            .pauseBefore("2. second", firstStarted);
    ScriptedLlm llm = new ScriptedLlm(plan, reply(String.format(FINISH, "done")));
    RunResult result = compiler(llm, tools).run("q");

    assertThat(plan.gateOpenedInTime).isTrue();
    RoundTrace round = result.trace().rounds().get(0);
    assertThat(round.tasks().get(0).startMs()).isLessThanOrEqualTo(round.planMs());
    assertThat(round.plan()).startsWith("1. first()\n2. second()");
  }

  @Test
  void dependentTasksReceiveTypedValuesAndDollarOneIsNotDollarTwelve() {
    TestTools tools =
        new TestTools()
            .tool("num", args -> Json.NODES.numberNode(args.get("n").asInt() * 10), "n", "integer")
            .tool("quote", args -> Json.parse("{\"price\":12.5,\"tags\":[\"a\",\"b\"]}", "quote"))
            .tool("echo", args -> args.get("value"), "value", "any");
    StringBuilder plan = new StringBuilder();
    for (int i = 1; i <= 12; i++) {
      plan.append(i).append(". num(").append(i).append(")\n");
    }
    plan.append("13. quote()\n")
        .append("14. echo($13)\n")
        .append("15. echo(value=$13.price)\n")
        .append("16. echo(\"${1} and ${12}, price ${13.price}\")\n")
        .append("17. echo($12)\n")
        .append("18. echo([$1, $13.tags])\n")
        .append("join()<END_OF_PLAN>");
    ScriptedLlm llm =
        new ScriptedLlm(reply(plan.toString()).chunks(4), reply(String.format(FINISH, "ok")));
    List<TaskTrace> tasks = compiler(llm, tools).run("q").trace().tasks();

    assertThat(tasks).extracting(TaskTrace::status).containsOnly(TaskStatus.OK);
    assertThat(tasks.get(13).args().get("value").isObject()).isTrue();
    assertThat(tasks.get(14).args().get("value").isNumber()).isTrue();
    assertThat(tasks.get(14).args().get("value").doubleValue()).isEqualTo(12.5);
    assertThat(tasks.get(15).args().get("value").asText()).isEqualTo("10 and 120, price 12.5");
    assertThat(tasks.get(16).args().get("value").intValue()).isEqualTo(120);
    assertThat(tasks.get(16).dependsOn()).containsExactly(12);
    assertThat(tasks.get(17).args().get("value").toString()).isEqualTo("[10,[\"a\",\"b\"]]");
  }

  @Test
  void aToolThatThrowsBecomesAnObservationAndItsDependentsAreSkipped() {
    TestTools tools =
        searchTools(0)
            .tool(
                "bad",
                args -> {
                  throw new IllegalStateException("backend down");
                });
    ScriptedLlm llm =
        new ScriptedLlm(
            reply("1. bad()\n2. echo($1)\n3. search(\"x\")\njoin()<END_OF_PLAN>"),
            reply(String.format(FINISH, "partial")));
    RunResult result = compiler(llm, tools).run("q");

    List<TaskTrace> tasks = result.trace().tasks();
    assertThat(tasks)
        .extracting(TaskTrace::status)
        .containsExactly(TaskStatus.ERROR, TaskStatus.SKIPPED, TaskStatus.OK);
    assertThat(tasks.get(0).error())
        .hasValue("Tool 'bad' failed: IllegalStateException: backend down");
    assertThat(tasks.get(1).error().orElseThrow())
        .startsWith("skipped: depends on task 1, which failed:");
    String joinerPrompt = llm.requests.get(1).lastUserMessage().orElseThrow().content();
    // A task that ran no call shows its plan line as written, quoted like every observation.
    assertThat(joinerPrompt)
        .contains(
            "1. \"bad()\" -> error: \"Tool 'bad' failed: IllegalStateException: backend down\"")
        .contains("2. \"echo($1)\" -> skipped: \"depends on task 1");
    assertThat(result.answer()).isEqualTo("partial");
  }

  @Test
  void aMalformedPlanLineBecomesAFailedTaskNotACrash() {
    ScriptedLlm llm =
        new ScriptedLlm(
            reply("1. search(\"a\")\n2. nosuchtool(1)\n3. echo($2)\njoin()<END_OF_PLAN>"),
            reply(String.format(FINISH, "a")));
    RunResult result = compiler(llm, searchTools(0)).run("q");
    List<TaskTrace> tasks = result.trace().tasks();
    assertThat(tasks)
        .extracting(TaskTrace::status)
        .containsExactly(TaskStatus.OK, TaskStatus.ERROR, TaskStatus.SKIPPED);
    assertThat(tasks.get(1).error().orElseThrow()).contains("nosuchtool");
  }

  @Test
  void aToolHangingPastItsTimeoutFailsAndTheRunGoesOn() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch interrupted = new CountDownLatch(1);
    TestTools tools =
        searchTools(0).tool("hang", TestTools.hangUntilInterrupted(started, interrupted));
    ScriptedLlm llm =
        new ScriptedLlm(
            reply("1. hang()\n2. search(\"a\")\njoin()<END_OF_PLAN>"),
            reply(String.format(FINISH, "a")));
    // The timeout counts from dispatch, so it is long enough for the tool to have started on a
    // loaded machine.
    RunResult result =
        compiler(llm, tools, b -> b.toolTimeout("hang", Duration.ofSeconds(1))).run("q");

    TaskTrace hang = result.trace().tasks().get(0);
    assertThat(hang.status()).isEqualTo(TaskStatus.ERROR);
    assertThat(hang.error().orElseThrow()).startsWith("Tool 'hang' timed out after 1 s");
    // At its 1 s timeout, far from the 60 s default a timeout that ignored the setting would wait.
    assertThat(hang.endMs() - hang.startMs()).isBetween(950L, 30_000L);
    assertThat(result.outcome()).isEqualTo(RunOutcome.FINISHED);
    assertThat(started.getCount()).as("the hanging tool started").isZero();
    assertThat(interrupted.await(10, TimeUnit.SECONDS))
        .as("the hanging tool was interrupted")
        .isTrue();
  }

  @Test
  void anLlmStreamBreakingMidPlanRunsWhatWasParsedAndEndsClearly() throws Exception {
    String plan = "1. search(\"a\")\n2. search(\"b\")\n3. sea";
    ScriptedLlm llm =
        new ScriptedLlm(
            reply(plan + "rch(\"c\")\njoin()<END_OF_PLAN>").chunks(5).failAfter(plan.length()));
    LlmCompiler compiler = compiler(llm, searchTools(50));
    CompletableFuture<RunResult> future = compiler.runAsync("q");
    ExecutionException failure =
        catchThrowableOfType(ExecutionException.class, () -> future.get(10, TimeUnit.SECONDS));

    assertThat(failure.getCause()).isInstanceOf(LlmCompilerException.class);
    LlmCompilerException error = (LlmCompilerException) failure.getCause();
    assertThat(error.getMessage())
        .contains("planner call of round 1 failed")
        .contains("stream broke");
    RunResult partial = error.partialResult().orElseThrow();
    assertThat(partial.outcome()).isEqualTo(RunOutcome.LLM_FAILED);
    assertThat(partial.trace().tasks()).extracting(TaskTrace::id).containsExactly(1, 2);
    assertThat(partial.trace().tasks()).extracting(TaskTrace::status).containsOnly(TaskStatus.OK);
    RoundTrace round = partial.trace().rounds().get(0);
    assertThat(round.decision()).isEqualTo(JoinerDecision.NONE);
    assertThat(round.planError().orElseThrow()).contains("'3. sea' was not run");
    assertThat(llm.calls()).isEqualTo(1);
    assertThatThrownBy(
            () ->
                compiler(new ScriptedLlm(reply("1. search(\"a\")\n").failAfter(4)), searchTools(0))
                    .run("q"))
        .isInstanceOf(LlmCompilerException.class)
        .satisfies(
            e -> assertThat(((LlmCompilerException) e).outcome()).hasValue(RunOutcome.LLM_FAILED));
  }

  @Test
  void anUnreadableJoinerIsAskedOnceMoreThenTheRunEndsWithoutAnAnswer() {
    ScriptedLlm llm =
        new ScriptedLlm(
            reply("1. search(\"a\")\njoin()<END_OF_PLAN>"),
            reply("I think the answer is 42."),
            reply("Thought: hmm\n\nIt is 42, really."));
    LlmCompilerException failure =
        catchThrowableOfType(
            LlmCompilerException.class, () -> compiler(llm, searchTools(0)).run("q"));

    assertThat(failure.outcome()).hasValue(RunOutcome.INVALID_ANSWER);
    assertThat(failure.getMessage())
        .contains("no usable answer")
        .contains("asked again")
        .contains("It is 42, really.");
    RunResult partial = failure.partialResult().orElseThrow();
    assertThat(partial.llmCalls()).isEqualTo(3);
    assertThat(partial.answer()).isEmpty();
    RoundTrace round = partial.trace().rounds().get(0);
    assertThat(round.decision()).isEqualTo(JoinerDecision.NONE);
    assertThat(round.joinerNote().orElseThrow()).contains("asked again").contains("no answer");
    assertThat(llm.requests.get(2).messages()).hasSize(3);
    assertThat(llm.requests.get(2).lastUserMessage().orElseThrow().content())
        .contains("Action: Finish(");
  }

  @Test
  void twoEmptyJoinerRepliesAreNeverAFinishedEmptyAnswer() {
    ScriptedLlm llm =
        new ScriptedLlm(reply("1. search(\"a\")\njoin()<END_OF_PLAN>"), reply(""), reply("  \n"));
    LlmCompilerException failure =
        catchThrowableOfType(
            LlmCompilerException.class, () -> compiler(llm, searchTools(0)).run("q"));

    assertThat(failure.outcome()).hasValue(RunOutcome.INVALID_ANSWER);
    assertThat(failure.getMessage()).contains("its reply was empty");
    assertThat(failure.partialResult().orElseThrow().trace().error())
        .hasValue(failure.getMessage());
  }

  @Test
  void anUnreadableJoinerThatRecoversOnTheRetryIsUsed() {
    ScriptedLlm llm =
        new ScriptedLlm(
            reply("1. search(\"a\")\njoin()<END_OF_PLAN>"),
            reply("The answer is 42."),
            reply("Thought: ok\nAction: Finish(42)"));
    RunResult result = compiler(llm, searchTools(0)).run("q");
    assertThat(result.answer()).isEqualTo("42");
    assertThat(result.trace().rounds().get(0).joinerNote().orElseThrow()).contains("asked again");
  }

  @Test
  void aReplanContinuesNumberingAndReferencesEarlierResults() {
    TestTools tools =
        searchTools(0)
            .tool("quote", args -> Json.parse("{\"price\":12.5}", "quote"))
            .tool(
                "bad",
                args -> {
                  throw new IllegalStateException("rate limited");
                });
    ScriptedLlm llm =
        new ScriptedLlm(
            reply("1. quote()\n2. bad()\njoin()<END_OF_PLAN>"),
            reply("Thought: task 2 failed\nAction: Replan(get the second value another way)"),
            reply("3. echo(value=$1.price)\n4. search(\"second value\")\njoin()<END_OF_PLAN>"),
            reply(String.format(FINISH, "12.5 and more")));
    RunResult result = compiler(llm, tools).run("q");

    assertThat(result.outcome()).isEqualTo(RunOutcome.FINISHED);
    assertThat(result.rounds()).isEqualTo(2);
    RoundTrace first = result.trace().rounds().get(0);
    assertThat(first.decision()).isEqualTo(JoinerDecision.REPLAN);
    assertThat(first.reason()).hasValue("get the second value another way");
    RoundTrace second = result.trace().rounds().get(1);
    assertThat(second.decision()).isEqualTo(JoinerDecision.FINISH);
    assertThat(second.tasks()).extracting(TaskTrace::id).containsExactly(3, 4);
    assertThat(second.tasks().get(0).args().get("value").isNumber()).isTrue();
    assertThat(second.tasks().get(0).dependsOn()).containsExactly(1);
    String replanPrompt = llm.requests.get(2).lastUserMessage().orElseThrow().content();
    assertThat(replanPrompt)
        .contains(
            "Round 1 plan:\n1. quote() -> {\"price\":12.5}\n"
                + "2. \"bad()\" -> error: \"Tool 'bad' failed: IllegalStateException: rate limited\"")
        .contains("Why a new plan is needed: \"get the second value another way\"")
        .contains("from 3 on")
        .contains("$1.");
    assertThat(llm.requests.get(2).system()).isEqualTo(llm.requests.get(0).system());
    String joinerPrompt = llm.requests.get(3).lastUserMessage().orElseThrow().content();
    assertThat(joinerPrompt).contains("Results of round 1:").contains("Results of round 2:");
  }

  @Test
  void whenTheReplanBudgetIsSpentTheJoinerGivesItsBestAnswer() {
    ScriptedLlm llm =
        new ScriptedLlm(
            reply("1. search(\"a\")\njoin()<END_OF_PLAN>"),
            reply("Action: Replan(need b)"),
            reply("2. search(\"b\")\njoin()<END_OF_PLAN>"),
            reply("Action: Replan(need c)"),
            reply("Thought: best effort\nAction: Finish(a and b, c unknown)"));
    RunResult result = compiler(llm, searchTools(0), b -> b.maxReplans(1)).run("q");

    assertThat(result.outcome()).isEqualTo(RunOutcome.REPLANS_EXHAUSTED);
    assertThat(result.answer()).isEqualTo("a and b, c unknown");
    assertThat(result.llmCalls()).isEqualTo(5);
    assertThat(result.rounds()).isEqualTo(2);
    assertThat(result.trace().rounds().get(1).joinerNote().orElseThrow())
        .contains("limit of 1 replans");
    assertThat(llm.requests.get(4).lastUserMessage().orElseThrow().content())
        .contains("No new plan is possible");
  }

  @Test
  void whenTheReplanBudgetIsSpentAnEmptyFinalReplyIsNoAnswer() {
    ScriptedLlm llm =
        new ScriptedLlm(
            reply("1. search(\"a\")\njoin()<END_OF_PLAN>"),
            reply("Action: Replan(need b)"),
            reply(""));
    LlmCompilerException failure =
        catchThrowableOfType(
            LlmCompilerException.class,
            () -> compiler(llm, searchTools(0), b -> b.maxReplans(0)).run("q"));

    assertThat(failure.outcome()).hasValue(RunOutcome.INVALID_ANSWER);
    assertThat(failure.getMessage()).contains("its reply was empty");
    assertThat(
            failure
                .partialResult()
                .orElseThrow()
                .trace()
                .rounds()
                .get(0)
                .joinerNote()
                .orElseThrow())
        .contains("limit of 0 replans")
        .contains("no answer");
  }

  @Test
  void aPlanWithoutTasksStillGoesToTheJoiner() {
    ScriptedLlm llm =
        new ScriptedLlm(reply("join()<END_OF_PLAN>"), reply(String.format(FINISH, "Hello!")));
    RunResult result = compiler(llm, searchTools(0)).run("Say hello");
    assertThat(result.answer()).isEqualTo("Hello!");
    assertThat(result.trace().rounds().get(0).tasks()).isEmpty();
    assertThat(llm.requests.get(1).lastUserMessage().orElseThrow().content())
        .contains("(the plan had no tasks)");
  }

  @Test
  void theRunDeadlineStopsEverythingPromptly() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch interrupted = new CountDownLatch(1);
    TestTools tools =
        searchTools(0).tool("hang", TestTools.hangUntilInterrupted(started, interrupted));
    ScriptedLlm llm = new ScriptedLlm(reply("1. hang()\n2. echo($1)\njoin()<END_OF_PLAN>"));
    long start = System.nanoTime();
    LlmCompilerException error =
        catchThrowableOfType(
            LlmCompilerException.class,
            () -> compiler(llm, tools, b -> b.runDeadline(Duration.ofMillis(1500))).run("q"));
    long elapsedMs = (System.nanoTime() - start) / 1_000_000;

    assertThat(error).isNotNull();
    // Without the deadline the run would never end; the bound only has to tell the two apart.
    assertThat(elapsedMs).isLessThan(15_000);
    RunResult partial = error.partialResult().orElseThrow();
    assertThat(partial.outcome()).isEqualTo(RunOutcome.DEADLINE_EXCEEDED);
    assertThat(partial.trace().tasks())
        .extracting(TaskTrace::status)
        .containsOnly(TaskStatus.ERROR);
    assertThat(partial.trace().tasks())
        .allSatisfy(t -> assertThat(t.error().orElseThrow()).startsWith("deadline"));
    assertThat(partial.error().orElseThrow()).contains("1500 ms");
    assertThat(started.getCount()).as("the hanging tool started").isZero();
    assertThat(interrupted.await(10, TimeUnit.SECONDS))
        .as("the hanging tool was interrupted")
        .isTrue();
  }

  @Test
  void theDeadlineAlsoStopsASlowJoiner() {
    ScriptedLlm llm =
        new ScriptedLlm(
            reply("1. search(\"a\")\njoin()<END_OF_PLAN>"),
            reply(String.format(FINISH, "x".repeat(500))).chunks(1).delay(20));
    long start = System.nanoTime();
    LlmCompilerException error =
        catchThrowableOfType(
            LlmCompilerException.class,
            () ->
                compiler(llm, searchTools(0), b -> b.runDeadline(Duration.ofMillis(600))).run("q"));
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(5_000);
    RunResult partial = error.partialResult().orElseThrow();
    assertThat(partial.outcome()).isEqualTo(RunOutcome.DEADLINE_EXCEEDED);
    assertThat(partial.trace().tasks())
        .extracting(TaskTrace::status)
        .containsExactly(TaskStatus.OK);
    assertThat(partial.trace().rounds().get(0).decision()).isEqualTo(JoinerDecision.NONE);
    assertThat(llm.calls()).isEqualTo(2);
  }

  @Test
  void aPerToolConcurrencyLimitSerializesThatToolOnly() {
    ScriptedLlm llm =
        new ScriptedLlm(
            reply("1. search(\"a\")\n2. search(\"b\")\n3. search(\"c\")\njoin()<END_OF_PLAN>"),
            reply(String.format(FINISH, "abc")));
    List<TaskTrace> tasks =
        compiler(llm, searchTools(100), b -> b.toolConcurrency("search", 1))
            .run("q")
            .trace()
            .tasks();
    assertThat(tasks).extracting(TaskTrace::status).containsOnly(TaskStatus.OK);
    List<TaskTrace> byStart = new ArrayList<>(tasks);
    byStart.sort(java.util.Comparator.comparingLong(TaskTrace::startMs));
    for (int i = 1; i < byStart.size(); i++) {
      assertThat(byStart.get(i).startMs()).isGreaterThanOrEqualTo(byStart.get(i - 1).endMs());
    }
  }

  @Test
  void cancellingTheFutureCancelsTheRunAndInterruptsTools() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch interrupted = new CountDownLatch(1);
    TestTools tools =
        searchTools(0).tool("hang", TestTools.hangUntilInterrupted(started, interrupted));
    List<TaskTrace> finished = Collections.synchronizedList(new ArrayList<>());
    CompletableFuture<RunResult> ended = new CompletableFuture<>();
    ScriptedLlm llm = new ScriptedLlm(reply("1. hang()\njoin()<END_OF_PLAN>"));
    LlmCompiler compiler =
        compiler(
            llm,
            tools,
            b ->
                b.listener(
                    new RunListener() {
                      @Override
                      public void onTaskFinished(int round, TaskTrace task) {
                        finished.add(task);
                      }

                      @Override
                      public void onRunEnded(RunResult result) {
                        ended.complete(result);
                      }
                    }));
    CompletableFuture<RunResult> future = compiler.runAsync("q");
    assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(future.cancel(true)).isTrue();

    assertThat(interrupted.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(future).isCancelled();
    assertThatThrownBy(future::join).isInstanceOf(CancellationException.class);
    // A cancelled future does not wait for the listener, which still hears how the run ended.
    assertThat(ended.get(5, TimeUnit.SECONDS).outcome()).isEqualTo(RunOutcome.CANCELLED);
    // hang() declares no effect, so it may have changed data before it was interrupted: the trace
    // says so.
    assertThat(finished)
        .singleElement()
        .satisfies(
            t ->
                assertThat(t.error())
                    .hasValue(
                        "cancelled: the run was cancelled;"
                            + " the call had started: outcome unknown: it may have taken effect; do not repeat it blindly"));
    assertThat(llm.calls()).isEqualTo(1);
  }

  @Test
  void aJoinerLlmFailureEndsTheRunWithTheTraceOfWhatRan() {
    ScriptedLlm llm = new ScriptedLlm(reply("1. search(\"a\")\njoin()<END_OF_PLAN>"));
    LlmCompilerException error =
        catchThrowableOfType(
            LlmCompilerException.class, () -> compiler(llm, searchTools(0)).run("q"));
    assertThat(error.getMessage()).contains("joiner call of round 1 failed");
    assertThat(error.partialResult().orElseThrow().trace().tasks())
        .extracting(TaskTrace::status)
        .containsExactly(TaskStatus.OK);
  }

  @Test
  void listenersSeeEveryEventAndTheirExceptionsDoNotBreakTheRun() {
    List<String> events = Collections.synchronizedList(new ArrayList<>());
    long[] runStart = new long[1];
    RunListener throwing =
        new RunListener() {
          @Override
          public void onRunStarted(String question, long startNanos) {
            events.add("run " + question);
            runStart[0] = startNanos;
            throw new IllegalStateException("listener bug");
          }

          @Override
          public void onRoundStarted(int round) {
            events.add("round " + round);
            throw new IllegalStateException("listener bug");
          }

          @Override
          public void onPlanDelta(int round, String delta) {
            throw new IllegalStateException("listener bug");
          }

          @Override
          public void onTaskParsed(TaskEvent task) {
            events.add("parsed " + task.id());
            throw new IllegalStateException("listener bug");
          }

          @Override
          public void onTaskDispatched(TaskEvent task) {
            events.add("dispatched " + task.id() + " " + task.arguments());
            throw new IllegalStateException("listener bug");
          }

          @Override
          public void onTaskFinished(int round, TaskTrace task) {
            events.add("finished " + task.id() + " " + task.status().json());
            // The start reading puts the listener's own clock on the trace's axis.
            long listenerMs = (System.nanoTime() - runStart[0]) / 1_000_000;
            if (listenerMs < task.endMs()) {
              events.add("clock behind the trace: " + listenerMs + " < " + task.endMs());
            }
            throw new IllegalStateException("listener bug");
          }

          @Override
          public void onJoinerDecision(int round, JoinerDecision decision, String text) {
            events.add("decision " + decision + " " + text);
            throw new IllegalStateException("listener bug");
          }

          @Override
          public void onRoundEnded(int round, RoundTrace trace) {
            events.add("ended " + round);
            throw new IllegalStateException("listener bug");
          }
        };
    ScriptedLlm llm =
        new ScriptedLlm(
            reply("1. search(\"a\")\njoin()<END_OF_PLAN>").chunks(2),
            reply(String.format(FINISH, "A")));
    RunResult result = compiler(llm, searchTools(0), b -> b.listener(throwing)).run("q");
    assertThat(result.answer()).isEqualTo("A");
    assertThat(events)
        .containsExactly(
            "run q",
            "round 1",
            "parsed 1",
            "dispatched 1 {\"query\":\"a\"}",
            "finished 1 ok",
            "decision FINISH A",
            "ended 1");
  }

  @Test
  void theCompilerIsReusableAndServesConcurrentRuns() throws Exception {
    ScriptedLlm llm =
        new ScriptedLlm(
            request -> {
              String user = request.messages().get(0).content();
              String question =
                  user.substring(
                      "Question: ".length(),
                      user.indexOf('\n') < 0 ? user.length() : user.indexOf('\n'));
              return request.purpose().equals("planner")
                  ? reply("1. search(\"" + question + "\")\njoin()<END_OF_PLAN>").chunks(3)
                  : reply(String.format(FINISH, question));
            });
    LlmCompiler compiler = compiler(llm, searchTools(200));
    List<CompletableFuture<RunResult>> runs = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      runs.add(compiler.runAsync("question " + i));
    }
    for (int i = 0; i < 6; i++) {
      RunResult result = runs.get(i).get(10, TimeUnit.SECONDS);
      assertThat(result.answer()).isEqualTo("question " + i);
      assertThat(result.trace().tasks().get(0).result().orElseThrow().asText())
          .isEqualTo("result for question " + i);
    }
    assertThat(compiler.run("again").answer()).isEqualTo("again");
    compiler.close();
    assertThatThrownBy(() -> compiler.run("closed"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void buildRejectsMissingOrConflictingConfiguration() {
    TestTools tools = searchTools(0);
    ScriptedLlm llm = new ScriptedLlm();
    assertThatThrownBy(() -> LlmCompiler.builder().tools(tools).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("`llm` is required");
    assertThatThrownBy(() -> LlmCompiler.builder().llm(llm).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("`tools` is required");
    assertThatThrownBy(() -> LlmCompiler.builder().llm(llm).tools(tools, searchTools(0)).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Two tools are named 'search'");
    assertThatThrownBy(
            () -> LlmCompiler.builder().llm(llm).tools(tools).toolConcurrency("serch", 2).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("names no tool")
        .hasMessageContaining("search, echo");
    assertThatThrownBy(() -> LlmCompiler.builder().maxReplans(-1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LlmCompiler.builder().toolTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LlmCompiler.builder().toolConcurrency("search", 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("toolConcurrency(\"search\") must be at least 1, got 0");
  }
}
