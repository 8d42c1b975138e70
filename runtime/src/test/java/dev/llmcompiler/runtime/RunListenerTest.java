package dev.llmcompiler.runtime;

import static dev.llmcompiler.runtime.ScriptedLlm.reply;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.llmcompiler.runtime.internal.Json;
import dev.llmcompiler.runtime.llm.LlmClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** What a {@link RunListener} receives, through the public API. */
class RunListenerTest {
  private static final String FINISH = "Thought: The results answer it.\nAction: Finish(%s)";

  private static TestTools tools() {
    return new TestTools()
        .tool(
            "search",
            args -> Json.NODES.textNode("result for " + args.get("query").asText()),
            "query",
            "string")
        .tool("echo", args -> args.get("value"), "value", "any");
  }

  /** Records the task events by id, and the decisions. */
  private static final class Recorder implements RunListener {
    final Map<Integer, TaskEvent> parsed = Collections.synchronizedMap(new TreeMap<>());
    final Map<Integer, TaskEvent> dispatched = Collections.synchronizedMap(new TreeMap<>());
    final List<String> decisions = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void onTaskParsed(TaskEvent task) {
      parsed.put(task.id(), task);
    }

    @Override
    public void onTaskDispatched(TaskEvent task) {
      dispatched.put(task.id(), task);
    }

    @Override
    public void onJoinerDecision(int round, JoinerDecision decision, String text) {
      decisions.add(round + " " + decision + " " + text);
    }
  }

  @Test
  void taskEventsCarryTheTaskAsWrittenAtParseAndResolvedAtDispatch() {
    Recorder recorder = new Recorder();
    ScriptedLlm llm =
        new ScriptedLlm(
            reply(
                    "Thought: look it up\n1. search(\"a\")\n2. echo($1)\n\n3. echo(\"got ${1}!\")\n4. nosuch(1)\n"
                        + "5. echo({\"list\": [$1, 2]})\njoin()<END_OF_PLAN>")
                .chunks(5),
            reply("Thought: no\nAction: Replan(again)"),
            reply("6. echo(${2})\njoin()<END_OF_PLAN>"),
            reply(String.format(FINISH, "A")));
    RunResult result;
    try (LlmCompiler compiler =
        LlmCompiler.builder().llm(llm).tools(tools()).listener(recorder).build()) {
      result = compiler.run("q");
    }

    TaskEvent first = recorder.parsed.get(1);
    assertThat(first.round()).isEqualTo(1);
    assertThat(first.tool()).isEqualTo("search");
    assertThat(first.thought()).isEqualTo("look it up");
    assertThat(first.line()).isEqualTo("1. search(\"a\")");
    assertThat(first.lineNumber()).isEqualTo(2);
    assertThat(first.error()).isEmpty();
    assertThat(first.arguments()).isEqualTo(Json.parse("{\"query\":\"a\"}", "expected"));

    TaskEvent reference = recorder.parsed.get(2);
    assertThat(reference.arguments()).isEqualTo(Json.parse("{\"value\":\"$1\"}", "expected"));
    assertThat(reference.dependsOn()).containsExactly(1);
    assertThat(reference.lineNumber()).isEqualTo(3);
    assertThat(recorder.dispatched.get(2).arguments())
        .isEqualTo(Json.parse("{\"value\":\"result for a\"}", "expected"));

    assertThat(recorder.parsed.get(3).arguments())
        .isEqualTo(Json.parse("{\"value\":\"got ${1}!\"}", "expected"));
    assertThat(recorder.parsed.get(3).lineNumber()).isEqualTo(5);
    assertThat(recorder.dispatched.get(3).arguments())
        .isEqualTo(Json.parse("{\"value\":\"got result for a!\"}", "expected"));

    TaskEvent rejected = recorder.parsed.get(4);
    assertThat(rejected.error()).hasValueSatisfying(error -> assertThat(error).contains("nosuch"));
    assertThat(rejected.arguments()).isEqualTo(Json.object());
    assertThat(recorder.dispatched).doesNotContainKey(4);

    assertThat(recorder.parsed.get(5).arguments())
        .isEqualTo(Json.parse("{\"value\":{\"list\":[\"$1\",2]}}", "expected"));
    assertThat(recorder.dispatched.get(5).arguments())
        .isEqualTo(Json.parse("{\"value\":{\"list\":[\"result for a\",2]}}", "expected"));

    TaskEvent replanned = recorder.dispatched.get(6);
    assertThat(replanned.round()).isEqualTo(2);
    assertThat(replanned.lineNumber()).isEqualTo(1);
    assertThat(replanned.dependsOn()).containsExactly(2);

    // The event is a copy: changing what it hands out changes nothing.
    ((com.fasterxml.jackson.databind.node.ObjectNode) first.arguments()).put("query", "changed");
    assertThat(first.arguments().get("query").asText()).isEqualTo("a");

    assertThat(recorder.decisions).containsExactly("1 REPLAN again", "2 FINISH A");
    assertThat(result.trace().rounds())
        .extracting(RoundTrace::decision)
        .containsExactly(JoinerDecision.REPLAN, JoinerDecision.FINISH);
    assertThat(result.trace().tasks())
        .extracting(TaskTrace::lineNumber)
        .containsExactly(2, 3, 5, 6, 7, 1);
    assertThat(RunTrace.fromJson(result.trace().toJson()).tasks())
        .extracting(TaskTrace::lineNumber)
        .containsExactly(2, 3, 5, 6, 7, 1);

    // Events carry when they happened, on the trace's clock: read, then dispatched, then started.
    for (TaskTrace task : result.trace().tasks()) {
      if (task.status() == TaskStatus.OK) {
        long parsedAt = recorder.parsed.get(task.id()).atMs();
        long dispatchedAt = recorder.dispatched.get(task.id()).atMs();
        assertThat(parsedAt)
            .as("task %d read", task.id())
            .isNotNegative()
            .isLessThanOrEqualTo(dispatchedAt);
        assertThat(dispatchedAt)
            .as("task %d dispatched", task.id())
            .isLessThanOrEqualTo(task.startMs());
      }
    }
    assertThat(recorder.parsed.get(6).atMs())
        .isGreaterThanOrEqualTo(result.trace().rounds().get(0).planMs());
  }

  @Test
  void reactStepsAreTaskEventsWithTheirTranscriptLine() {
    Recorder recorder = new Recorder();
    ScriptedLlm llm =
        new ScriptedLlm(
            reply("Thought: I need it.\nAction: search(\"x\")"),
            reply("Thought: Done.\nAction: Finish(it is x)"));
    RunResult result;
    try (ReActAgent agent =
        ReActAgent.builder().llm(llm).tools(tools()).listener(recorder).build()) {
      result = agent.run("q");
    }
    TaskEvent step = recorder.dispatched.get(1);
    assertThat(step.tool()).isEqualTo("search");
    assertThat(step.line()).isEqualTo("search(\"x\")");
    assertThat(step.lineNumber()).isEqualTo(2);
    assertThat(step.thought()).isEqualTo("I need it.");
    assertThat(step.arguments()).isEqualTo(Json.parse("{\"query\":\"x\"}", "expected"));
    assertThat(recorder.parsed.get(1).arguments()).isEqualTo(step.arguments());
    assertThat(recorder.decisions).containsExactly("1 FINISH it is x");
    assertThat(
            result.trace().rounds().get(0).plan().lines().skip(step.lineNumber() - 1).findFirst())
        .hasValue("Action: search(\"x\")");
    assertThat(result.trace().tasks().get(0).lineNumber()).isEqualTo(2);
  }

  /** The callbacks of {@link RunListener}, by name. */
  enum Callback {
    onRunStarted,
    onRoundStarted,
    onPlanDelta,
    onTaskParsed,
    onTaskDispatched,
    onTaskFinished,
    onJoinerDecision,
    onRoundEnded,
    onRunEnded
  }

  /** What a broken listener throws. */
  enum Failure {
    STACK_OVERFLOW {
      @Override
      void raise() {
        overflow(0);
      }
    },
    RUNTIME_EXCEPTION {
      @Override
      void raise() {
        throw new IllegalStateException("listener bug");
      }
    },
    ASSERTION_ERROR {
      @Override
      void raise() {
        throw new AssertionError("listener bug");
      }
    },
    OUT_OF_MEMORY {
      @Override
      void raise() {
        throw new OutOfMemoryError("listener bug");
      }
    };

    abstract void raise();

    /** A real stack overflow, not just a thrown StackOverflowError. */
    private static int overflow(int depth) {
      return overflow(depth + 1) + 1;
    }
  }

  /**
   * Records every callback it receives, and fails in {@code failIn} (every callback if {@code
   * null}).
   */
  private static final class Broken implements RunListener {
    final List<Callback> received = Collections.synchronizedList(new ArrayList<>());
    final Callback failIn;
    final Failure failure;

    Broken(Callback failIn, Failure failure) {
      this.failIn = failIn;
      this.failure = failure;
    }

    private void on(Callback callback) {
      received.add(callback);
      if (failIn == null || failIn == callback) {
        failure.raise();
      }
    }

    @Override
    public void onRunStarted(String question, long startNanos) {
      on(Callback.onRunStarted);
    }

    @Override
    public void onRoundStarted(int round) {
      on(Callback.onRoundStarted);
    }

    @Override
    public void onPlanDelta(int round, String delta) {
      on(Callback.onPlanDelta);
    }

    @Override
    public void onTaskParsed(TaskEvent task) {
      on(Callback.onTaskParsed);
    }

    @Override
    public void onTaskDispatched(TaskEvent task) {
      on(Callback.onTaskDispatched);
    }

    @Override
    public void onTaskFinished(int round, TaskTrace task) {
      on(Callback.onTaskFinished);
    }

    @Override
    public void onJoinerDecision(int round, JoinerDecision decision, String text) {
      on(Callback.onJoinerDecision);
    }

    @Override
    public void onRoundEnded(int round, RoundTrace trace) {
      on(Callback.onRoundEnded);
    }

    @Override
    public void onRunEnded(RunResult result) {
      on(Callback.onRunEnded);
    }
  }

  static Stream<Arguments> everyCallbackWithEveryFailure() {
    return Stream.of(Callback.values())
        .flatMap(
            callback ->
                Stream.of(Failure.values()).map(failure -> Arguments.of(callback, failure)));
  }

  @ParameterizedTest(name = "{1} from {0}")
  @MethodSource("everyCallbackWithEveryFailure")
  void aListenerThatThrowsNeitherStopsNorChangesACompilerRun(Callback callback, Failure failure) {
    Broken listener = new Broken(callback, failure);
    ScriptedLlm llm =
        new ScriptedLlm(
            reply("1. search(\"a\")\n2. echo($1)\njoin()<END_OF_PLAN>").chunks(4),
            reply(String.format(FINISH, "A")));
    RunResult result;
    try (LlmCompiler compiler =
        LlmCompiler.builder().llm(llm).tools(tools()).listener(listener).build()) {
      result = compiler.run("q");
    }
    assertThat(result.answer()).isEqualTo("A");
    assertThat(result.trace().tasks()).extracting(TaskTrace::status).containsOnly(TaskStatus.OK);
    // Every event still arrived, in order, after the failure.
    assertThat(listener.received)
        .containsOnlyOnce(Callback.onRunStarted, Callback.onRunEnded)
        .containsAll(List.of(Callback.values()));
    assertThat(listener.received.get(0)).isEqualTo(Callback.onRunStarted);
    assertThat(listener.received.get(listener.received.size() - 1)).isEqualTo(Callback.onRunEnded);
  }

  @ParameterizedTest(name = "{1} from {0}")
  @MethodSource("everyCallbackWithEveryFailure")
  void aListenerThatThrowsNeitherStopsNorChangesAReActRun(Callback callback, Failure failure) {
    Broken listener = new Broken(callback, failure);
    ScriptedLlm llm =
        new ScriptedLlm(reply("Thought: look\nAction: search(\"a\")"), reply("Action: Finish(A)"));
    RunResult result;
    try (ReActAgent agent =
        ReActAgent.builder().llm(llm).tools(tools()).listener(listener).build()) {
      result = agent.run("q");
    }
    assertThat(result.answer()).isEqualTo("A");
    assertThat(result.trace().tasks()).extracting(TaskTrace::status).containsOnly(TaskStatus.OK);
    assertThat(listener.received).containsAll(List.of(Callback.values()));
    assertThat(listener.received.get(listener.received.size() - 1)).isEqualTo(Callback.onRunEnded);
  }

  @Test
  void aListenerFailureIsLoggedInFullOnceAndLaterOnesAtDebug() {
    Logger log = Logger.getLogger(RunListener.class.getName());
    List<LogRecord> records = Collections.synchronizedList(new ArrayList<>());
    Handler handler =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            records.add(record);
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    Level level = log.getLevel();
    log.setLevel(Level.ALL);
    log.addHandler(handler);
    Broken listener = new Broken(null, Failure.RUNTIME_EXCEPTION);
    try (LlmCompiler compiler =
        LlmCompiler.builder()
            .llm(
                new ScriptedLlm(
                    reply("1. search(\"a\")\njoin()<END_OF_PLAN>"),
                    reply(String.format(FINISH, "A"))))
            .tools(tools())
            .listener(listener)
            .build()) {
      assertThat(compiler.run("q").answer()).isEqualTo("A");
    } finally {
      log.removeHandler(handler);
      log.setLevel(level);
    }
    assertThat(records)
        .filteredOn(r -> r.getLevel() == Level.WARNING)
        .singleElement()
        .satisfies(r -> assertThat(r.getThrown()).hasMessage("listener bug"))
        .satisfies(r -> assertThat(r.getMessage()).contains("RunListener.onRunStarted threw"));
    assertThat(records)
        .filteredOn(r -> r.getLevel() == Level.FINE)
        .hasSize(listener.received.size() - 1);
  }

  @ParameterizedTest
  @EnumSource(
      value = Callback.class,
      names = {"onTaskDispatched", "onTaskFinished"})
  void aListenerBlockedOnATaskDelaysNoOtherTaskAndGetsItsEventsOneAtATimeInOrder(Callback blockIn)
      throws Exception {
    CountDownLatch listenerBlocked = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch thirdRan = new CountDownLatch(1);
    AtomicInteger inside = new AtomicInteger();
    List<String> events = Collections.synchronizedList(new ArrayList<>());
    RunListener slow =
        new RunListener() {
          private void on(String event, boolean block) {
            if (inside.incrementAndGet() != 1) {
              events.add("concurrent call: " + event);
            }
            events.add(event);
            if (block) {
              listenerBlocked.countDown();
              try {
                release.await(30, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
            inside.decrementAndGet();
          }

          @Override
          public void onTaskDispatched(TaskEvent task) {
            on("dispatched " + task.id(), blockIn == Callback.onTaskDispatched && task.id() == 1);
          }

          @Override
          public void onTaskFinished(int round, TaskTrace task) {
            on("finished " + task.id(), blockIn == Callback.onTaskFinished && task.id() == 1);
          }
        };
    // Task 2 starts only once the listener is stuck in task 1's event.
    TestTools tools = oneTwoThree(listenerBlocked, thirdRan);
    ScriptedLlm llm = new ScriptedLlm(reply(ONE_TWO_THREE), reply(String.format(FINISH, "A")));
    try (LlmCompiler compiler =
        LlmCompiler.builder().llm(llm).tools(tools).listener(slow).build()) {
      CompletableFuture<RunResult> run = compiler.runAsync("q");
      assertThat(thirdRan.await(10, TimeUnit.SECONDS))
          .as("task 3 ran while the listener was blocked")
          .isTrue();
      assertThat(run).as("the result waits for the listener").isNotDone();
      release.countDown();
      assertThat(run.get(10, TimeUnit.SECONDS).answer()).isEqualTo("A");
    }
    assertThat(events)
        .startsWith("dispatched 1")
        .containsSubsequence("dispatched 2", "finished 2", "dispatched 3", "finished 3")
        .containsSubsequence("dispatched 1", "finished 1")
        .hasSize(6)
        .noneMatch(event -> event.startsWith("concurrent call"));
  }

  /** Three tasks: 1 and 2 independent, 3 taking 2's result. */
  private static final String ONE_TWO_THREE =
      "1. one()\n2. two()\n3. three($2)\njoin()<END_OF_PLAN>";

  /**
   * The tools of {@link #ONE_TWO_THREE}: {@code two} waits for {@code twoWaitsFor} (failing after
   * 10 s), {@code three} counts down {@code threeStarted}.
   */
  private static TestTools oneTwoThree(CountDownLatch twoWaitsFor, CountDownLatch threeStarted) {
    return new TestTools()
        .tool("one", args -> Json.NODES.textNode("one"))
        .tool(
            "two",
            args -> {
              assertThat(twoWaitsFor.await(10, TimeUnit.SECONDS)).isTrue();
              return Json.NODES.textNode("two");
            })
        .tool(
            "three",
            args -> {
              threeStarted.countDown();
              return args.get("x");
            },
            "x",
            "any");
  }

  @Test
  void aListenerNeverRunsUnderTheSchedulersLock() throws Exception {
    // Task 1's finish event waits until task 3 starts, which needs the scheduler to take task 2's
    // result and dispatch task 3: were the event delivered under the scheduler's lock, it never
    // would.
    CountDownLatch listenerInside = new CountDownLatch(1);
    CountDownLatch thirdStarted = new CountDownLatch(1);
    List<Boolean> sawThirdStart = Collections.synchronizedList(new ArrayList<>());
    RunListener waiting =
        new RunListener() {
          @Override
          public void onTaskFinished(int round, TaskTrace task) {
            if (task.id() == 1) {
              listenerInside.countDown();
              try {
                sawThirdStart.add(thirdStarted.await(10, TimeUnit.SECONDS));
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
          }
        };
    TestTools tools = oneTwoThree(listenerInside, thirdStarted);
    ScriptedLlm llm = new ScriptedLlm(reply(ONE_TWO_THREE), reply(String.format(FINISH, "A")));
    try (LlmCompiler compiler =
        LlmCompiler.builder().llm(llm).tools(tools).listener(waiting).build()) {
      assertThat(compiler.run("q").answer()).isEqualTo("A");
    }
    assertThat(sawThirdStart).containsExactly(true);
  }

  @Test
  void aListenerBlockedAtTheEndOfARoundDoesNotDelayTheNextPlan() throws Exception {
    CountDownLatch replanAsked = new CountDownLatch(1);
    List<Boolean> sawReplan = Collections.synchronizedList(new ArrayList<>());
    ScriptedLlm scripted =
        new ScriptedLlm(
            reply("1. search(\"a\")\njoin()<END_OF_PLAN>"),
                reply("Thought: no\nAction: Replan(again)"),
            reply("2. search(\"b\")\njoin()<END_OF_PLAN>"), reply(String.format(FINISH, "B")));
    LlmClient llm =
        (request, stream) -> {
          CompletableFuture<dev.llmcompiler.runtime.llm.LlmResponse> call =
              scripted.chat(request, stream);
          if (scripted.calls() == 3) {
            replanAsked.countDown();
          }
          return call;
        };
    RunListener waiting =
        new RunListener() {
          @Override
          public void onRoundEnded(int round, RoundTrace trace) {
            if (round == 1) {
              try {
                sawReplan.add(replanAsked.await(10, TimeUnit.SECONDS));
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
          }
        };
    try (LlmCompiler compiler =
        LlmCompiler.builder().llm(llm).tools(tools()).listener(waiting).build()) {
      assertThat(compiler.run("q").answer()).isEqualTo("B");
    }
    assertThat(sawReplan).containsExactly(true);
  }

  @Test
  void aListenerBlockedOnAReActStepDoesNotDelayTheNextStep() throws Exception {
    CountDownLatch secondTurn = new CountDownLatch(1);
    List<Boolean> sawSecondTurn = Collections.synchronizedList(new ArrayList<>());
    ScriptedLlm scripted =
        new ScriptedLlm(reply("Action: search(\"a\")"), reply("Action: Finish(A)"));
    LlmClient llm =
        (request, stream) -> {
          CompletableFuture<dev.llmcompiler.runtime.llm.LlmResponse> call =
              scripted.chat(request, stream);
          if (scripted.calls() == 2) {
            secondTurn.countDown();
          }
          return call;
        };
    List<Callback> received = Collections.synchronizedList(new ArrayList<>());
    RunListener waiting =
        new RunListener() {
          @Override
          public void onTaskFinished(int round, TaskTrace task) {
            try {
              sawSecondTurn.add(secondTurn.await(10, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }

          @Override
          public void onRunEnded(RunResult result) {
            received.add(Callback.onRunEnded);
          }
        };
    try (ReActAgent agent =
        ReActAgent.builder().llm(llm).tools(tools()).listener(waiting).build()) {
      assertThat(agent.run("q").answer()).isEqualTo("A");
    }
    assertThat(sawSecondTurn).containsExactly(true);
    // run returned after the listener heard the end.
    assertThat(received).containsExactly(Callback.onRunEnded);
  }

  @Test
  void theResultWaitsForTheListenerUntilTheRunDeadlinePasses() throws Exception {
    CountDownLatch listenerStuck = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    List<RunOutcome> outcomes = Collections.synchronizedList(new ArrayList<>());
    RunListener stuck =
        new RunListener() {
          @Override
          public void onRunEnded(RunResult result) {
            outcomes.add(result.outcome());
            listenerStuck.countDown();
            try {
              release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
        };
    ScriptedLlm llm =
        new ScriptedLlm(
            reply("1. search(\"a\")\njoin()<END_OF_PLAN>"), reply(String.format(FINISH, "A")));
    try (LlmCompiler compiler =
        LlmCompiler.builder()
            .llm(llm)
            .tools(tools())
            .listener(stuck)
            .runDeadline(Duration.ofSeconds(1))
            .build()) {
      CompletableFuture<RunResult> run = compiler.runAsync("q");
      assertThat(listenerStuck.await(10, TimeUnit.SECONDS)).isTrue();
      assumeTrue(
          outcomes.get(0) == RunOutcome.FINISHED,
          "the machine was too slow to finish the run in 1 s");
      // The run finished; its listener never returns, and the result comes when the deadline
      // passes.
      assertThat(run.get(10, TimeUnit.SECONDS).answer()).isEqualTo("A");
      assertThat(release.getCount()).isEqualTo(1);
      release.countDown();
    }
  }
}
