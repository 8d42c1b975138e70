package dev.llmcompiler.runtime;

import static dev.llmcompiler.runtime.ScriptedLlm.reply;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmcompiler.runtime.internal.Json;
import dev.llmcompiler.runtime.llm.LlmRequest;
import dev.llmcompiler.runtime.llm.LlmResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What a {@link RunObserver} sees, and that it cannot break a run, through the public API. */
class RunObserverTest {
  private static final String FINISH = "Thought: The results answer it.\nAction: Finish(%s)";
  private static final ThreadLocal<String> REQUEST_ID = new ThreadLocal<>();

  /** Records every call it gets, in order, as text. */
  private static final class Recorder implements RunObserver, RunObserver.Run {
    final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    final Map<Integer, List<String>> toolCalls = new ConcurrentHashMap<>();
    volatile Thread startedOn;

    @Override
    public Run runStarted(String question) {
      startedOn = Thread.currentThread();
      calls.add("run " + question);
      return this;
    }

    @Override
    public void roundStarted(int round) {
      calls.add("round " + round);
    }

    @Override
    public LlmCall llmCall(int round, LlmCallPurpose purpose, LlmRequest request) {
      calls.add("llm " + round + " " + purpose);
      return (response, error) ->
          calls.add(
              "llm ended "
                  + purpose
                  + " "
                  + (error == null ? response.text().length() > 0 : error));
    }

    @Override
    public ToolCall toolCall(TaskEvent task) {
      List<String> events = Collections.synchronizedList(new ArrayList<>());
      events.add(
          "started "
              + task.tool()
              + " "
              + task.arguments()
              + " on "
              + (Thread.currentThread() == startedOn ? "caller" : "other"));
      toolCalls.put(task.id(), events);
      return new ToolCall() {
        @Override
        public Scope makeCurrent() {
          events.add("current");
          return () -> events.add("closed");
        }

        @Override
        public void ended(JsonNode result, Throwable error) {
          events.add(error == null ? "ok " + result : "error " + error.getClass().getSimpleName());
        }
      };
    }

    @Override
    public void roundEnded(RoundTrace round) {
      calls.add("round ended " + round.decision());
    }

    @Override
    public void ended(RunResult result) {
      calls.add("ended " + result.outcome());
    }
  }

  @Test
  void anObserverSeesRoundsModelCallsAndToolCallsInOrder() {
    Recorder recorder = new Recorder();
    TestTools tools =
        new TestTools()
            .tool(
                "search",
                args -> Json.NODES.textNode("found " + args.get("query").asText()),
                "query",
                "string")
            .tool(
                "fail",
                args -> {
                  throw new IllegalStateException("no");
                });
    ScriptedLlm llm =
        new ScriptedLlm(
            reply("1. search(\"a\")\n2. fail()\njoin()<END_OF_PLAN>"),
            reply("Thought: again\nAction: Replan(once more)"),
            reply("3. search($1)\njoin()<END_OF_PLAN>"),
            reply(String.format(FINISH, "done")));
    RunResult result;
    try (LlmCompiler compiler =
        LlmCompiler.builder().llm(llm).tools(tools).observer(recorder).build()) {
      result = compiler.run("q");
    }

    assertThat(result.answer()).isEqualTo("done");
    assertThat(recorder.startedOn)
        .as("runStarted runs on the caller's thread")
        .isSameAs(Thread.currentThread());
    assertThat(recorder.calls)
        .containsExactly(
            "run q",
            "round 1",
            "llm 1 PLANNER",
            "llm ended PLANNER true",
            "llm 1 JOINER",
            "llm ended JOINER true",
            "round ended REPLAN",
            "round 2",
            "llm 2 PLANNER",
            "llm ended PLANNER true",
            "llm 2 JOINER",
            "llm ended JOINER true",
            "round ended FINISH",
            "ended FINISHED");
    assertThat(recorder.toolCalls.get(1))
        .containsExactly(
            "started search {\"query\":\"a\"} on other", "current", "closed", "ok \"found a\"");
    assertThat(recorder.toolCalls.get(2))
        .containsExactly(
            "started fail {} on other", "current", "closed", "error IllegalStateException");
    // Resolved arguments: task 3 searched for task 1's result.
    assertThat(recorder.toolCalls.get(3).get(0))
        .isEqualTo("started search {\"query\":\"found a\"} on other");
  }

  @Test
  void theCallersContextReachesEveryToolThreadAndIsUndoneAfterwards() throws Exception {
    RunObserver carry =
        question -> {
          String id = REQUEST_ID.get();
          return new RunObserver.Run() {
            @Override
            public RunObserver.ToolCall toolCall(TaskEvent task) {
              return new RunObserver.ToolCall() {
                @Override
                public RunObserver.Scope makeCurrent() {
                  String before = REQUEST_ID.get();
                  REQUEST_ID.set(id);
                  return () -> REQUEST_ID.set(before);
                }
              };
            }
          };
        };
    // Both tools must be in their bodies at once to pass the barrier: they run in parallel, and
    // each
    // reads the caller's request id on its own thread.
    CyclicBarrier both = new CyclicBarrier(2);
    Map<String, String> seen = new ConcurrentHashMap<>();
    Map<String, Thread> threads = new ConcurrentHashMap<>();
    TestTools.Body body =
        args -> {
          both.await(10, TimeUnit.SECONDS);
          seen.put(args.get("query").asText(), String.valueOf(REQUEST_ID.get()));
          threads.put(args.get("query").asText(), Thread.currentThread());
          return Json.NODES.textNode("ok");
        };
    TestTools tools = new TestTools().tool("search", body, "query", "string");
    ScriptedLlm llm =
        new ScriptedLlm(
            reply("1. search(\"a\")\n2. search(\"b\")\njoin()<END_OF_PLAN>"),
            reply(String.format(FINISH, "done")));
    // One pool thread, reused afterwards, shows that the scope was undone on it.
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(2);
    try (LlmCompiler compiler =
        LlmCompiler.builder().llm(llm).tools(tools).executor(pool).observer(carry).build()) {
      REQUEST_ID.set("req-42");
      try {
        assertThat(compiler.run("q").answer()).isEqualTo("done");
      } finally {
        REQUEST_ID.remove();
      }
      assertThat(seen).containsEntry("a", "req-42").containsEntry("b", "req-42");
      assertThat(threads.values()).doesNotContain(Thread.currentThread());
      List<String> after = Collections.synchronizedList(new ArrayList<>());
      CountDownLatch ran = new CountDownLatch(2);
      CyclicBarrier again = new CyclicBarrier(2);
      for (int i = 0; i < 2; i++) {
        pool.execute(
            () -> {
              try {
                again.await(10, TimeUnit.SECONDS);
              } catch (Exception e) {
                throw new AssertionError(e);
              }
              after.add(String.valueOf(REQUEST_ID.get()));
              ran.countDown();
            });
      }
      assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(after).as("the pool threads after the run").containsOnly("null");
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aToolCallThatTimesOutIsEndedOnceWithTheTimeout() throws Exception {
    Recorder recorder = new Recorder();
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch interrupted = new CountDownLatch(1);
    TestTools tools =
        new TestTools().tool("hang", TestTools.hangUntilInterrupted(started, interrupted));
    ScriptedLlm llm =
        new ScriptedLlm(
            reply("1. hang()\njoin()<END_OF_PLAN>"), reply(String.format(FINISH, "gave up")));
    try (LlmCompiler compiler =
        LlmCompiler.builder()
            .llm(llm)
            .tools(tools)
            .observer(recorder)
            .toolTimeout(Duration.ofSeconds(1))
            .build()) {
      assertThat(compiler.run("q").answer()).isEqualTo("gave up");
    }
    assertThat(interrupted.await(10, TimeUnit.SECONDS)).isTrue();
    List<String> hang = recorder.toolCalls.get(1);
    assertThat(hang)
        .filteredOn(event -> event.startsWith("ok") || event.startsWith("error"))
        .containsExactly("error ToolTimeoutException");
  }

  /** Where an observer throws. */
  enum Hook {
    RUN_STARTED,
    ROUND_STARTED,
    LLM_CALL,
    LLM_ENDED,
    TOOL_CALL,
    MAKE_CURRENT,
    SCOPE_CLOSE,
    TOOL_ENDED,
    ROUND_ENDED,
    ENDED
  }

  @ParameterizedTest
  @EnumSource(Hook.class)
  void anObserverThatThrowsNeitherStopsNorChangesTheRun(Hook hook) {
    AtomicInteger thrown = new AtomicInteger();
    Runnable raise =
        () -> {
          thrown.incrementAndGet();
          throw new StackOverflowError("observer at " + hook);
        };
    RunObserver throwing =
        question -> {
          if (hook == Hook.RUN_STARTED) {
            raise.run();
          }
          return new RunObserver.Run() {
            @Override
            public void roundStarted(int round) {
              if (hook == Hook.ROUND_STARTED) {
                raise.run();
              }
            }

            @Override
            public RunObserver.LlmCall llmCall(
                int round, RunObserver.LlmCallPurpose purpose, LlmRequest request) {
              if (hook == Hook.LLM_CALL) {
                raise.run();
              }
              return (LlmResponse response, Throwable error) -> {
                if (hook == Hook.LLM_ENDED) {
                  raise.run();
                }
              };
            }

            @Override
            public RunObserver.ToolCall toolCall(TaskEvent task) {
              if (hook == Hook.TOOL_CALL) {
                raise.run();
              }
              return new RunObserver.ToolCall() {
                @Override
                public RunObserver.Scope makeCurrent() {
                  if (hook == Hook.MAKE_CURRENT) {
                    raise.run();
                  }
                  return () -> {
                    if (hook == Hook.SCOPE_CLOSE) {
                      raise.run();
                    }
                  };
                }

                @Override
                public void ended(JsonNode result, Throwable error) {
                  if (hook == Hook.TOOL_ENDED) {
                    raise.run();
                  }
                }
              };
            }

            @Override
            public void roundEnded(RoundTrace round) {
              if (hook == Hook.ROUND_ENDED) {
                raise.run();
              }
            }

            @Override
            public void ended(RunResult result) {
              if (hook == Hook.ENDED) {
                raise.run();
              }
            }
          };
        };
    Recorder after = new Recorder();
    TestTools tools =
        new TestTools().tool("search", args -> Json.NODES.textNode("found"), "query", "string");
    ScriptedLlm llm =
        new ScriptedLlm(
            reply("1. search(\"a\")\njoin()<END_OF_PLAN>"), reply(String.format(FINISH, "42")));
    RunResult result;
    try (LlmCompiler compiler =
        LlmCompiler.builder().llm(llm).tools(tools).observer(throwing).observer(after).build()) {
      result = compiler.run("q");
    }
    assertThat(thrown.get()).as("the observer threw").isPositive();
    assertThat(result.answer()).isEqualTo("42");
    assertThat(result.trace().tasks()).extracting(TaskTrace::status).containsExactly(TaskStatus.OK);
    // The observer after the throwing one still hears of everything.
    assertThat(after.calls).startsWith("run q").endsWith("ended FINISHED");
    assertThat(after.toolCalls.get(1)).endsWith("ok \"found\"");
  }
}
