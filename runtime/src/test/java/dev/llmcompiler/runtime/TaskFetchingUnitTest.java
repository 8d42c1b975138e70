package dev.llmcompiler.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmcompiler.runtime.internal.Json;
import dev.llmcompiler.runtime.internal.plan.PlanValue;
import dev.llmcompiler.runtime.internal.plan.PlannedTask;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The task fetching unit and executor, fed parsed tasks by hand (no LLM, no parser). */
class TaskFetchingUnitTest {
  private final RunState state = new RunState();
  private final List<TaskTrace> finished = Collections.synchronizedList(new ArrayList<>());
  private final List<Integer> dispatched = Collections.synchronizedList(new ArrayList<>());
  private ToolExecutor executor;
  private RunEvents events;
  private TestTools tools;

  @AfterEach
  void closeExecutor() throws InterruptedException {
    if (executor != null) {
      executor.close();
      Threads.assertEnded(tools.threads);
    }
  }

  private TaskFetchingUnit unit(
      TestTools tools,
      int maxTasks,
      Map<String, Duration> timeouts,
      Map<String, Integer> limits,
      ExecutorService userExecutor) {
    this.tools = tools;
    executor = new ToolExecutor(userExecutor, Duration.ofSeconds(10), timeouts, limits);
    Map<String, ToolBinding> bindings = new LinkedHashMap<>();
    tools.tools().forEach(d -> bindings.put(d.name(), new ToolBinding(tools, d)));
    RunListener listener =
        new RunListener() {
          @Override
          public void onTaskDispatched(TaskEvent task) {
            dispatched.add(task.id());
          }

          @Override
          public void onTaskFinished(int round, TaskTrace task) {
            finished.add(task);
          }
        };
    events = new RunEvents(listener, executor::execute);
    return new TaskFetchingUnit(
        state, 1, bindings, executor, events, RunObservation.start(List.of(), "q"), maxTasks);
  }

  private TaskFetchingUnit unit(TestTools tools) {
    return unit(tools, 50, Map.of(), Map.of(), null);
  }

  private static PlannedTask task(int id, String tool, Object... nameValues) {
    Map<String, PlanValue> args = new LinkedHashMap<>();
    for (int i = 0; i < nameValues.length; i += 2) {
      Object value = nameValues[i + 1];
      args.put(
          (String) nameValues[i],
          value instanceof PlanValue plan
              ? plan
              : new PlanValue.Literal(Json.MAPPER.valueToTree(value)));
    }
    return PlannedTask.of(id, tool, args, "", id + ". " + tool + "(...)", id);
  }

  /** Ends the plan and waits for the round, and for the listener to have heard all of it. */
  private List<TaskTrace> finish(TaskFetchingUnit unit) throws Exception {
    unit.onPlanEnd(true);
    unit.done().get(10, TimeUnit.SECONDS);
    events.delivered().get(10, TimeUnit.SECONDS);
    return unit.traces();
  }

  @Test
  void independentTasksRunAtTheSameTime() throws Exception {
    CyclicBarrier bothRunning = new CyclicBarrier(2);
    TestTools tools =
        new TestTools()
            .tool(
                "meet",
                args -> {
                  // Each call waits until the other has started too: sequential execution would
                  // time out here.
                  bothRunning.await(5, TimeUnit.SECONDS);
                  Thread.sleep(300);
                  return args.get("who");
                },
                "who",
                "string");
    TaskFetchingUnit unit = unit(tools);
    unit.onTask(task(1, "meet", "who", "a"));
    unit.onTask(task(2, "meet", "who", "b"));
    List<TaskTrace> traces = finish(unit);

    assertThat(traces).extracting(TaskTrace::status).containsOnly(TaskStatus.OK);
    TaskTrace a = traces.get(0);
    TaskTrace b = traces.get(1);
    assertThat(a.startMs()).isLessThan(b.endMs());
    assertThat(b.startMs()).isLessThan(a.endMs());
  }

  @Test
  void aTaskIsDispatchedBeforeThePlanEnds() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    TestTools tools =
        new TestTools()
            .tool(
                "ping",
                args -> {
                  started.countDown();
                  return Json.NODES.textNode("pong");
                });
    TaskFetchingUnit unit = unit(tools);
    unit.onTask(task(1, "ping"));
    assertThat(started.await(5, TimeUnit.SECONDS))
        .as("task 1 ran while the plan was still open")
        .isTrue();
    assertThat(unit.done()).isNotDone();
    assertThat(finish(unit)).extracting(TaskTrace::status).containsExactly(TaskStatus.OK);
  }

  @Test
  void dependentTasksReceiveTypedValues() throws Exception {
    List<JsonNode> received = Collections.synchronizedList(new ArrayList<>());
    TestTools tools =
        new TestTools()
            .tool(
                "quote",
                args -> Json.parse("{\"price\":12.5,\"items\":[{\"name\":\"bolt\"}]}", "quote"))
            .tool(
                "echo",
                args -> {
                  received.add(args.get("value"));
                  return args.get("value");
                },
                "value",
                "any");
    TaskFetchingUnit unit = unit(tools);
    unit.onTask(task(1, "quote"));
    unit.onTask(task(2, "echo", "value", PlanValue.Reference.to(1)));
    unit.onTask(task(3, "echo", "value", new PlanValue.Reference(1, List.of("price"))));
    unit.onTask(task(4, "echo", "value", new PlanValue.Reference(1, List.of("items", 0, "name"))));
    unit.onTask(
        task(
            5,
            "echo",
            "value",
            new PlanValue.Template(
                List.of("cost ", new PlanValue.Reference(1, List.of("price")), " EUR"))));
    unit.onTask(
        task(
            6,
            "echo",
            "value",
            new PlanValue.ListValue(
                List.of(
                    PlanValue.Reference.to(3), new PlanValue.Literal(Json.NODES.numberNode(1))))));
    List<TaskTrace> traces = finish(unit);

    assertThat(traces).extracting(TaskTrace::status).containsOnly(TaskStatus.OK);
    assertThat(traces.get(1).args().get("value").isObject()).isTrue();
    assertThat(traces.get(2).args().get("value").isNumber()).isTrue();
    assertThat(traces.get(2).args().get("value").doubleValue()).isEqualTo(12.5);
    assertThat(traces.get(3).args().get("value").asText()).isEqualTo("bolt");
    assertThat(traces.get(4).args().get("value").isTextual()).isTrue();
    assertThat(traces.get(4).args().get("value").asText()).isEqualTo("cost 12.5 EUR");
    assertThat(traces.get(5).args().get("value").toString()).isEqualTo("[12.5,1]");
    assertThat(traces.get(5).dependsOn()).containsExactly(3);
    assertThat(received).hasSize(5);
    // Dependents start only after what they reference ended.
    assertThat(traces.get(1).startMs()).isGreaterThanOrEqualTo(traces.get(0).endMs());
  }

  @Test
  void aFailedTaskSkipsItsDependentsWithTheReason() throws Exception {
    TestTools tools =
        new TestTools()
            .tool(
                "bad",
                args -> {
                  throw new IllegalStateException("backend down");
                })
            .tool("fine", args -> Json.NODES.textNode("ok"))
            .tool("use", args -> args.get("x"), "x", "any");
    TaskFetchingUnit unit = unit(tools);
    unit.onTask(task(1, "bad"));
    unit.onTask(task(2, "use", "x", PlanValue.Reference.to(1)));
    unit.onTask(task(3, "use", "x", PlanValue.Reference.to(2)));
    unit.onTask(task(4, "fine"));
    List<TaskTrace> traces = finish(unit);

    assertThat(traces.get(0).status()).isEqualTo(TaskStatus.ERROR);
    assertThat(traces.get(0).error())
        .hasValue("Tool 'bad' failed: IllegalStateException: backend down");
    assertThat(traces.get(1).status()).isEqualTo(TaskStatus.SKIPPED);
    assertThat(traces.get(1).error())
        .hasValue(
            "skipped: depends on task 1, which failed: Tool 'bad' failed: IllegalStateException: backend down");
    assertThat(traces.get(2).status()).isEqualTo(TaskStatus.SKIPPED);
    assertThat(traces.get(2).error().orElseThrow())
        .startsWith("skipped: depends on task 2, which was skipped because task 1 failed:");
    assertThat(traces.get(3).status()).isEqualTo(TaskStatus.OK);
    assertThat(tools.calls("use")).isZero();
  }

  @Test
  void aTaskThatFailedAtParseTimeCountsAsFailedForItsDependents() throws Exception {
    TestTools tools = new TestTools().tool("use", args -> args.get("x"), "x", "any");
    TaskFetchingUnit unit = unit(tools);
    unit.onTask(PlannedTask.failed(1, "serch", "", "1. serch(\"x\")", 1, "Unknown tool 'serch'."));
    unit.onTask(task(2, "use", "x", PlanValue.Reference.to(1)));
    List<TaskTrace> traces = finish(unit);

    assertThat(traces.get(0).status()).isEqualTo(TaskStatus.ERROR);
    assertThat(traces.get(0).error()).hasValue("Unknown tool 'serch'.");
    assertThat(traces.get(1).status()).isEqualTo(TaskStatus.SKIPPED);
    assertThat(traces.get(1).error().orElseThrow())
        .contains("task 1, which failed: Unknown tool 'serch'.");
  }

  @Test
  void argumentAndReferenceErrorsPassThroughAsTheTaskError() throws Exception {
    TestTools tools =
        new TestTools()
            .tool(
                "strict",
                args -> {
                  throw new ToolArgumentException(
                      "strict",
                      "n",
                      "Tool 'strict': argument 'n' must be a number, but got \"ten\" (string).");
                })
            .tool("quote", args -> Json.parse("{\"price\":1}", "quote"))
            .tool("use", args -> args.get("x"), "x", "any");
    TaskFetchingUnit unit = unit(tools);
    unit.onTask(task(1, "strict"));
    unit.onTask(task(2, "quote"));
    unit.onTask(task(3, "use", "x", new PlanValue.Reference(2, List.of("cost"))));
    List<TaskTrace> traces = finish(unit);

    assertThat(traces.get(0).error())
        .hasValue("Tool 'strict': argument 'n' must be a number, but got \"ten\" (string).");
    assertThat(traces.get(2).status()).isEqualTo(TaskStatus.ERROR);
    assertThat(traces.get(2).error().orElseThrow())
        .contains("has no field 'cost'")
        .contains("price");
  }

  @Test
  void tasksBeyondTheLimitFailClearly() throws Exception {
    TestTools tools =
        new TestTools().tool("ping", args -> Json.NODES.textNode("pong"), "n", "integer");
    TaskFetchingUnit unit = unit(tools, 2, Map.of(), Map.of(), null);
    unit.onTask(task(1, "ping", "n", 1));
    unit.onTask(task(2, "ping", "n", 2));
    unit.onTask(task(3, "ping", "n", 3));
    List<TaskTrace> traces = finish(unit);

    assertThat(traces)
        .extracting(TaskTrace::status)
        .containsExactly(TaskStatus.OK, TaskStatus.OK, TaskStatus.ERROR);
    assertThat(traces.get(2).error().orElseThrow()).contains("at most 2 tasks (maxTasksPerPlan)");
    assertThat(tools.calls("ping")).isEqualTo(2);
  }

  @Test
  void aHangingToolTimesOutAndIsInterrupted() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch interrupted = new CountDownLatch(1);
    TestTools tools =
        new TestTools().tool("hang", TestTools.hangUntilInterrupted(started, interrupted));
    // The timeout counts from the tool's start, so it may be short even on a loaded machine.
    TaskFetchingUnit unit = unit(tools, 50, Map.of("hang", Duration.ofSeconds(1)), Map.of(), null);
    unit.onTask(task(1, "hang"));
    List<TaskTrace> traces = finish(unit);

    assertThat(traces.get(0).status()).isEqualTo(TaskStatus.ERROR);
    assertThat(traces.get(0).error().orElseThrow()).startsWith("Tool 'hang' timed out after 1 s");
    assertThat(started.getCount()).as("the hanging tool started").isZero();
    assertThat(interrupted.await(10, TimeUnit.SECONDS))
        .as("the hanging tool was interrupted")
        .isTrue();
    executor.close();
    Threads.assertEnded(tools.threads);
  }

  @Test
  void timeWaitingForAThreadDoesNotCountAgainstTheToolTimeout() throws Exception {
    ExecutorService single = Executors.newSingleThreadExecutor();
    try {
      CountDownLatch firstRunning = new CountDownLatch(1);
      CountDownLatch secondQueued = new CountDownLatch(1);
      TestTools tools =
          new TestTools()
              .tool(
                  "hold",
                  args -> {
                    firstRunning.countDown();
                    secondQueued.await();
                    // The queued call waits at least this long: three times its own timeout.
                    Thread.sleep(300);
                    return Json.NODES.textNode("held");
                  })
              .tool("quick", args -> Json.NODES.textNode("done"));
      TaskFetchingUnit unit =
          unit(tools, 50, Map.of("quick", Duration.ofMillis(100)), Map.of(), single);
      unit.onTask(task(1, "hold"));
      assertThat(firstRunning.await(10, TimeUnit.SECONDS)).isTrue();
      unit.onTask(task(2, "quick"));
      secondQueued.countDown();
      List<TaskTrace> traces = finish(unit);

      assertThat(traces)
          .extracting(TaskTrace::status)
          .containsExactly(TaskStatus.OK, TaskStatus.OK);
      assertThat(traces.get(1).result().orElseThrow().asText()).isEqualTo("done");
      // The trace's start is when the tool started on its thread, after the first call's end.
      assertThat(traces.get(1).startMs()).isGreaterThanOrEqualTo(traces.get(0).endMs());
    } finally {
      single.shutdownNow();
    }
  }

  @Test
  void aCallStoppedBeforeItGotAThreadSaysItNeverStarted() throws Exception {
    ExecutorService single = Executors.newSingleThreadExecutor();
    try {
      CountDownLatch running = new CountDownLatch(1);
      CountDownLatch interrupted = new CountDownLatch(1);
      TestTools tools =
          new TestTools()
              .tool("hang", TestTools.hangUntilInterrupted(running, interrupted))
              .tool("ping", args -> Json.NODES.textNode("pong"));
      TaskFetchingUnit unit = unit(tools, 50, Map.of(), Map.of(), single);
      unit.onTask(task(1, "hang"));
      assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
      unit.onTask(task(2, "ping"));
      unit.stop("deadline: the run deadline of 1 s passed before the task finished");
      unit.done().get(10, TimeUnit.SECONDS);
      List<TaskTrace> traces = unit.traces();

      // The first call had started, and a tool that declares no effect may change data.
      assertThat(traces.get(0).error())
          .hasValue(
              "deadline: the run deadline of 1 s passed before the task finished;"
                  + " the call had started: "
                  + ToolExecutor.OUTCOME_UNKNOWN);
      assertThat(traces.get(1).error().orElseThrow())
          .startsWith(
              "deadline: the run deadline of 1 s passed before the task finished; the call never started:"
                  + " it waited ")
          .endsWith(" ms for a thread of the tool executor")
          .doesNotContain("timed out");
      assertThat(interrupted.await(10, TimeUnit.SECONDS)).isTrue();
      // The queued call never runs, not even once the thread is free again.
      single.submit(() -> {}).get(10, TimeUnit.SECONDS);
      assertThat(tools.calls("ping")).isZero();
    } finally {
      single.shutdownNow();
    }
  }

  @Test
  void aCallStoppedWhileWaitingForAPermitSaysItNeverStarted() throws Exception {
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch interrupted = new CountDownLatch(1);
    TestTools tools =
        new TestTools()
            .tool("hang", TestTools.hangUntilInterrupted(running, interrupted), "n", "integer");
    TaskFetchingUnit unit = unit(tools, 50, Map.of(), Map.of("hang", 1), null);
    unit.onTask(task(1, "hang", "n", 1));
    unit.onTask(task(2, "hang", "n", 2));
    assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
    unit.stop("cancelled: the run was cancelled");
    unit.done().get(10, TimeUnit.SECONDS);
    List<TaskTrace> traces = unit.traces();

    // The first call had started, and a tool that declares no effect may change data.
    assertThat(traces.get(0).error())
        .hasValue(
            "cancelled: the run was cancelled; the call had started: "
                + ToolExecutor.OUTCOME_UNKNOWN);
    assertThat(traces.get(1).error().orElseThrow())
        .startsWith("cancelled: the run was cancelled; the call never started: it waited ")
        .endsWith(" ms for a toolConcurrency(\"hang\", 1) permit");
    assertThat(interrupted.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(tools.calls("hang")).isEqualTo(1);
  }

  @Test
  void theConcurrencyLimitQueuesCallsWithoutRejectingThem() throws Exception {
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger maxInFlight = new AtomicInteger();
    TestTools tools =
        new TestTools()
            .tool(
                "slow",
                args -> {
                  int now = inFlight.incrementAndGet();
                  maxInFlight.accumulateAndGet(now, Math::max);
                  Thread.sleep(80);
                  inFlight.decrementAndGet();
                  return args.get("n");
                },
                "n",
                "integer");
    TaskFetchingUnit unit = unit(tools, 50, Map.of(), Map.of("slow", 2), null);
    for (int i = 1; i <= 7; i++) {
      unit.onTask(task(i, "slow", "n", i));
    }
    List<TaskTrace> traces = finish(unit);

    assertThat(traces).extracting(TaskTrace::status).containsOnly(TaskStatus.OK);
    assertThat(maxInFlight.get()).isEqualTo(2);
    assertThat(tools.calls("slow")).isEqualTo(7);
  }

  @Test
  void asyncToolsAreAwaitedWithoutHoldingAThread() throws Exception {
    // One executor thread for three async tools whose results arrive only once all three were
    // called: waiting on a thread for a result would deadlock here.
    ExecutorService single = Executors.newSingleThreadExecutor();
    try {
      CountDownLatch allCalled = new CountDownLatch(3);
      List<CompletableFuture<JsonNode>> pending = Collections.synchronizedList(new ArrayList<>());
      TestTools tools =
          new TestTools()
              .asyncTool(
                  "later",
                  args -> {
                    CompletableFuture<JsonNode> result = new CompletableFuture<>();
                    pending.add(result);
                    allCalled.countDown();
                    return result;
                  },
                  "n",
                  "integer");
      TaskFetchingUnit unit = unit(tools, 50, Map.of(), Map.of(), single);
      for (int i = 1; i <= 3; i++) {
        unit.onTask(task(i, "later", "n", i));
      }
      assertThat(allCalled.await(5, TimeUnit.SECONDS)).isTrue();
      synchronized (pending) {
        for (int i = 0; i < pending.size(); i++) {
          pending.get(i).complete(Json.NODES.numberNode(i));
        }
      }
      assertThat(finish(unit)).extracting(TaskTrace::status).containsOnly(TaskStatus.OK);
    } finally {
      single.shutdownNow();
    }
  }

  @Test
  void stoppingEndsEveryPendingTaskAtOnceAndInterruptsTools() throws Exception {
    CountDownLatch running = new CountDownLatch(2);
    CountDownLatch interrupted = new CountDownLatch(2);
    TestTools tools =
        new TestTools()
            .tool("hang", TestTools.hangUntilInterrupted(running, interrupted), "n", "integer")
            .tool("use", args -> args.get("x"), "x", "any");
    TaskFetchingUnit unit = unit(tools);
    unit.onTask(task(1, "hang", "n", 1));
    unit.onTask(task(2, "hang", "n", 2));
    unit.onTask(task(3, "use", "x", PlanValue.Reference.to(1)));
    assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();
    unit.stop("deadline: the run deadline of 1 s passed before the task finished");
    unit.done().get(2, TimeUnit.SECONDS);
    List<TaskTrace> traces = unit.traces();

    assertThat(traces).extracting(TaskTrace::status).containsOnly(TaskStatus.ERROR);
    assertThat(traces).allSatisfy(t -> assertThat(t.error().orElseThrow()).startsWith("deadline:"));
    executor.close();
    Threads.assertEnded(tools.threads);
    assertThat(interrupted.await(10, TimeUnit.SECONDS)).as("both tools interrupted").isTrue();
  }

  @Test
  void longChainsAndWideFanOutsScheduleWithoutRecursionTrouble() throws Exception {
    TestTools tools =
        new TestTools()
            .tool(
                "bad",
                args -> {
                  throw new IllegalStateException("no");
                })
            .tool("inc", args -> Json.NODES.numberNode(args.get("x").asInt() + 1), "x", "integer");
    TaskFetchingUnit unit = unit(tools, 10_000, Map.of(), Map.of(), null);
    int n = 3_000;
    unit.onTask(task(1, "bad"));
    for (int i = 2; i <= n; i++) {
      unit.onTask(task(i, "inc", "x", PlanValue.Reference.to(i - 1)));
    }
    List<TaskTrace> traces = finish(unit);
    assertThat(traces).hasSize(n);
    assertThat(traces.subList(1, n)).extracting(TaskTrace::status).containsOnly(TaskStatus.SKIPPED);
  }

  @Test
  void aSuccessfulChainPassesValuesAlong() throws Exception {
    TestTools tools =
        new TestTools()
            .tool("zero", args -> Json.NODES.numberNode(0))
            .tool("inc", args -> Json.NODES.numberNode(args.get("x").asInt() + 1), "x", "integer");
    TaskFetchingUnit unit = unit(tools, 1_000, Map.of(), Map.of(), null);
    unit.onTask(task(1, "zero"));
    for (int i = 2; i <= 300; i++) {
      unit.onTask(task(i, "inc", "x", PlanValue.Reference.to(i - 1)));
    }
    List<TaskTrace> traces = finish(unit);
    assertThat(traces.get(299).result().orElseThrow().asInt()).isEqualTo(299);
    assertThat(dispatched).hasSize(300);
  }

  @Test
  void anAsyncToolPastItsTimeoutFailsAndItsStageIsCancelled() throws Exception {
    CompletableFuture<JsonNode> never = new CompletableFuture<>();
    TestTools tools = new TestTools().asyncTool("later", args -> never);
    TaskFetchingUnit unit =
        unit(tools, 50, Map.of("later", Duration.ofMillis(150)), Map.of(), null);
    unit.onTask(task(1, "later"));
    List<TaskTrace> traces = finish(unit);
    assertThat(traces.get(0).error().orElseThrow())
        .startsWith("Tool 'later' timed out after 150 ms");
    assertThat(never).isCancelled();
  }

  @Test
  void stoppedCallsWaitingForAPermitDoNotLeakIt() throws Exception {
    CountDownLatch firstRunning = new CountDownLatch(1);
    AtomicBoolean hang = new AtomicBoolean(true);
    TestTools tools =
        new TestTools()
            .tool(
                "one",
                args -> {
                  if (hang.get()) {
                    firstRunning.countDown();
                    new CountDownLatch(1).await();
                  }
                  return args.get("n");
                },
                "n",
                "integer");
    TaskFetchingUnit first = unit(tools, 50, Map.of(), Map.of("one", 1), null);
    for (int i = 1; i <= 3; i++) {
      first.onTask(task(i, "one", "n", i));
    }
    assertThat(firstRunning.await(5, TimeUnit.SECONDS)).isTrue();
    first.stop("cancelled: the run was cancelled");
    first.done().get(2, TimeUnit.SECONDS);
    assertThat(tools.calls("one")).isEqualTo(1);

    // A later round on the same executor still gets the permit back.
    hang.set(false);
    Map<String, ToolBinding> bindings = new LinkedHashMap<>();
    tools.tools().forEach(d -> bindings.put(d.name(), new ToolBinding(tools, d)));
    TaskFetchingUnit second =
        new TaskFetchingUnit(
            state,
            2,
            bindings,
            executor,
            new RunEvents(null, executor::execute),
            RunObservation.start(List.of(), "q"),
            50);
    second.onTask(task(4, "one", "n", 4));
    assertThat(finish(second)).extracting(TaskTrace::status).containsExactly(TaskStatus.OK);
    assertThat(tools.calls("one")).isEqualTo(2);
  }

  @Test
  void theDefaultExecutorUsesVirtualThreadsWhereTheJdkHasThem() throws Exception {
    List<String> threadNames = Collections.synchronizedList(new ArrayList<>());
    TestTools tools =
        new TestTools()
            .tool(
                "where",
                args -> {
                  threadNames.add(Thread.currentThread().toString());
                  return Json.NODES.nullNode();
                });
    TaskFetchingUnit unit = unit(tools);
    unit.onTask(task(1, "where"));
    finish(unit);
    boolean modernJdk = Runtime.version().feature() >= 21;
    assertThat(ToolExecutor.virtualThreadsAvailable()).isEqualTo(modernJdk);
    assertThat(threadNames.get(0)).contains(modernJdk ? "VirtualThread" : "llmcompiler-tool-");
  }
}
