package dev.llmcompiler.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmcompiler.runtime.RunTrace;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimelineTest {
  private static final Timeline.Glyphs ASCII = Timeline.Glyphs.ASCII;

  @Test
  void barsShareOneTimeAxis() {
    List<Timeline.Bar> bars =
        List.of(
            new Timeline.Bar("planner", 0, 500, '='),
            new Timeline.Bar("1 search", 100, 500, '#'),
            new Timeline.Bar("2 search", 100, 500, '#'),
            new Timeline.Bar("3 math", 500, 600, '#'),
            new Timeline.Bar("joiner", 600, 1000, '='));
    String chart = Timeline.render(bars, 1000, 10, ASCII);
    assertThat(chart.lines())
        .containsExactly(
            "Timeline: 0 to 1000 ms, one column = 100 ms",
            "  planner  |=====     |    0- 500 ms",
            "  1 search | ####     |  100- 500 ms",
            "  2 search | ####     |  100- 500 ms",
            "  3 math   |     #    |  500- 600 ms",
            "  joiner   |      ====|  600-1000 ms");
  }

  @Test
  void shortTasksStillGetOneColumnAndLongLabelsAreCut() {
    String chart =
        Timeline.render(
            List.of(new Timeline.Bar("1 a_tool_with_a_very_long_name", 990, 990, '#')),
            1000,
            10,
            ASCII);
    assertThat(chart.lines().skip(1))
        .containsExactly("  1 a_tool_with_a_very_lon |         #|  990- 990 ms");
  }

  @Test
  void barsComeFromTheTraceAndTheLlmCallsInOrderOfStart() {
    RunTrace trace =
        RunTrace.fromJson(
            "{\"question\":\"q\",\"answer\":\"a\",\"wallMs\":900,\"llmCalls\":2,"
                + "\"promptTokens\":100,\"completionTokens\":20,\"rounds\":[{\"decision\":\"finish\",\"tasks\":["
                + "{\"id\":1,\"tool\":\"search\",\"args\":{},\"dependsOn\":[],\"startMs\":200,\"endMs\":600,\"status\":\"ok\",\"result\":1},"
                + "{\"id\":2,\"tool\":\"math\",\"args\":{},\"dependsOn\":[1],\"startMs\":600,\"endMs\":600,\"status\":\"skipped\",\"error\":\"x\"}]}]}");
    List<TimedLlm.Call> calls =
        List.of(new TimedLlm.Call("planner", 0, 400), new TimedLlm.Call("joiner", 600, 900));
    List<Timeline.Bar> bars = Timeline.bars(trace, calls, ASCII);
    assertThat(bars)
        .extracting(Timeline.Bar::label)
        .containsExactly("planner", "1 search", "2 math", "joiner");
    assertThat(bars.get(2).fill()).isEqualTo(ASCII.skipped());

    Timeline.Totals totals = Timeline.Totals.of(trace, calls);
    assertThat(totals.llmMs()).isEqualTo(700);
    assertThat(totals.taskMs()).isEqualTo(400);
    assertThat(totals.sequentialMs()).isEqualTo(1100);
    assertThat(totals.speedup()).isEqualTo(1100.0 / 900);
    assertThat(totals.render())
        .contains(
            "Wall time 900 ms | LLM calls 2 (700 ms) | tokens 120 (100 prompt + 20 completion) | tasks 2 (400 ms")
        .contains("would take 1100 ms: 1.22x the wall time");
  }
}
