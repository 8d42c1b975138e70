package dev.llmcompiler.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.llmcompiler.runtime.internal.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Tools that ignore their interrupt and never return, on each kind of default executor: later calls
 * must still run. Every wait is on a latch or a result; the stuck tools are let go at the end.
 */
class ToolThreadsTest {
  private static final Duration SHORT = Duration.ofMillis(50);

  /** Opened after each test: the only way the stuck tools ever return. */
  private final CountDownLatch release = new CountDownLatch(1);

  private volatile boolean spinnersReleased;
  private final List<ToolExecutor> executors = new ArrayList<>();
  private TestTools tools;

  @AfterEach
  void letTheStuckToolsGo() throws InterruptedException {
    release.countDown();
    spinnersReleased = true;
    executors.forEach(ToolExecutor::close);
    if (tools != null) {
      Threads.assertEnded(tools.threads);
    }
  }

  /** Waits for the release and swallows every interrupt on the way, as badly written tools do. */
  private TestTools.Body ignoresInterrupts(CountDownLatch started) {
    return args -> {
      started.countDown();
      while (true) {
        try {
          release.await();
          return Json.NODES.textNode("released");
        } catch (InterruptedException swallowed) {
          // Ignored on purpose: this is the tool under test.
        }
      }
    };
  }

  /** Spins on the CPU until released, never parking: on a virtual thread it keeps its carrier. */
  private TestTools.Body spins(CountDownLatch started, List<Thread> threads) {
    return args -> {
      threads.add(Thread.currentThread());
      started.countDown();
      while (!spinnersReleased) {
        Thread.onSpinWait();
      }
      return Json.NODES.textNode("released");
    };
  }

  private ToolExecutor executor(ToolThreads threads, TestTools tools, String stuckTool) {
    this.tools = tools;
    ToolExecutor executor =
        new ToolExecutor(threads, Duration.ofSeconds(30), Map.of(stuckTool, SHORT), Map.of());
    executors.add(executor);
    return executor;
  }

  private ToolExecutor.ToolCall call(ToolExecutor executor, String tool, int n) {
    ToolDescriptor descriptor =
        tools.tools().stream().filter(d -> d.name().equals(tool)).findFirst().orElseThrow();
    return executor.start(new ToolBinding(tools, descriptor), Json.object().put("n", n), () -> {});
  }

  private static void assertTimedOut(ToolExecutor.ToolCall call) {
    Throwable error = catchThrowable(() -> call.result().get(30, TimeUnit.SECONDS));
    assertThat(error)
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(ToolExecutor.ToolTimeoutException.class);
  }

  private static String answer(ToolExecutor.ToolCall call) throws Exception {
    return call.result().get(30, TimeUnit.SECONDS).asText();
  }

  @Test
  void toolsThatIgnoreInterruptsDoNotTakeThePlatformPoolAwayFromLaterCalls() throws Exception {
    CountDownLatch stuckStarted = new CountDownLatch(2);
    TestTools tools =
        new TestTools()
            .tool("stuck", ignoresInterrupts(stuckStarted), "n", "integer")
            .tool("ping", args -> Json.NODES.textNode("pong " + args.get("n")), "n", "integer");
    ToolThreads threads = ToolThreads.platform(2);
    ToolExecutor executor = executor(threads, tools, "stuck");
    List<ToolExecutor.ToolCall> stuck =
        List.of(call(executor, "stuck", 1), call(executor, "stuck", 2));
    assertThat(stuckStarted.await(30, TimeUnit.SECONDS)).isTrue();

    // Both threads are taken: this call waits in the queue, and must get a thread once they time
    // out.
    ToolExecutor.ToolCall queued = call(executor, "ping", 3);
    stuck.forEach(ToolThreadsTest::assertTimedOut);
    assertThat(answer(queued)).isEqualTo("pong 3");
    // And later calls run too, although both stuck tools still hold their threads.
    assertThat(answer(call(executor, "ping", 4))).isEqualTo("pong 4");
    assertThat(tools.calls("ping")).isEqualTo(2);
  }

  @Test
  void sixtyFourStuckToolsLeaveTheDefaultExecutorWorking() throws Exception {
    // The case: 64 such calls used to take every thread of the old fixed pool for good.
    CountDownLatch stuckStarted = new CountDownLatch(64);
    TestTools tools =
        new TestTools()
            .tool("stuck", ignoresInterrupts(stuckStarted), "n", "integer")
            .tool("ping", args -> Json.NODES.textNode("pong " + args.get("n")), "n", "integer");
    ToolExecutor executor = executor(ToolThreads.defaults(), tools, "stuck");
    List<ToolExecutor.ToolCall> stuck = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      stuck.add(call(executor, "stuck", i));
    }
    assertThat(stuckStarted.await(30, TimeUnit.SECONDS)).isTrue();
    ToolExecutor.ToolCall meanwhile = call(executor, "ping", 64);
    stuck.forEach(ToolThreadsTest::assertTimedOut);
    assertThat(answer(meanwhile)).isEqualTo("pong 64");
    assertThat(answer(call(executor, "ping", 65))).isEqualTo("pong 65");
  }

  @Test
  void toolsSpinningOnEveryCarrierThreadDoNotStarveLaterCalls() throws Exception {
    assumeTrue(ToolThreads.virtualThreadsAvailable(), "virtual threads need JDK 21+");
    int carriers =
        Integer.getInteger(
            "jdk.virtualThreadScheduler.parallelism", Runtime.getRuntime().availableProcessors());
    CountDownLatch spinning = new CountDownLatch(carriers);
    List<String> pingThreads = new ArrayList<>();
    List<Thread> spinnerThreads = java.util.Collections.synchronizedList(new ArrayList<>());
    TestTools tools =
        new TestTools()
            .tool("spin", spins(spinning, spinnerThreads), "n", "integer")
            .tool(
                "ping",
                args -> {
                  synchronized (pingThreads) {
                    pingThreads.add(Thread.currentThread().toString());
                  }
                  return Json.NODES.textNode("pong " + args.get("n"));
                },
                "n",
                "integer");
    ToolThreads threads = ToolThreads.defaults();
    ToolExecutor executor = executor(threads, tools, "spin");
    List<ToolExecutor.ToolCall> spinners = new ArrayList<>();
    for (int i = 0; i < carriers; i++) {
      spinners.add(call(executor, "spin", i));
    }
    assertThat(spinning.await(30, TimeUnit.SECONDS)).as("a spinner on every carrier").isTrue();

    // Every carrier is pinned: this call cannot get a virtual thread until the spinners end, which
    // they never do.
    ToolExecutor.ToolCall waiting = call(executor, "ping", 100);
    spinners.forEach(ToolThreadsTest::assertTimedOut);
    assertThat(answer(waiting)).isEqualTo("pong 100");
    assertThat(threads.onVirtualThreads())
        .as("platform threads while the spinners hold their carriers")
        .isFalse();
    assertThat(answer(call(executor, "ping", 101))).isEqualTo("pong 101");
    assertThat(pingThreads.get(1)).contains("llmcompiler-tool-");

    // Once the spinners return, calls go back to virtual threads.
    spinnersReleased = true;
    for (Thread thread : List.copyOf(spinnerThreads)) {
      thread.join(TimeUnit.SECONDS.toMillis(30));
    }
    assertThat(threads.onVirtualThreads()).isTrue();
    assertThat(answer(call(executor, "ping", 102))).isEqualTo("pong 102");
    assertThat(pingThreads.get(2)).contains("VirtualThread");
  }
}
