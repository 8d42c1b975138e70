package dev.llmcompiler.samples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmcompiler.runtime.RunTrace;
import dev.llmcompiler.runtime.TaskTrace;
import dev.llmcompiler.runtime.internal.plan.PlannedTask;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProgressViewTest {
  private static final TaskTrace DONE = RunTrace.fromJson("{\"question\":\"q\",\"answer\":\"a\",\"wallMs\":1,\"llmCalls\":1,"
      + "\"promptTokens\":0,\"completionTokens\":0,\"rounds\":[{\"decision\":\"finish\",\"tasks\":[{\"id\":1,"
      + "\"tool\":\"search\",\"args\":{\"query\":\"Apple\"},\"dependsOn\":[],\"startMs\":10,\"endMs\":410,"
      + "\"status\":\"ok\",\"result\":{\"value\":3400}}]}]}").tasks().get(0);

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  private void play(ProgressView view) {
    view.onRoundStarted(1);
    view.onTaskParsed(1, PlannedTask.of(1, "search", Map.of(), "", "1. search(\"Apple\")", 1));
    view.onTaskDispatched(1, 1, "search", new ObjectMapper().createObjectNode().put("query", "Apple"));
    view.onTaskFinished(1, DONE);
    view.onJoinerDecision(1, "finish", "answer");
    view.finish();
  }

  @Test
  void plainOutputIsOneLinePerEvent() {
    play(new ProgressView(out, false, new RunClock()));
    assertThat(bytes.toString(StandardCharsets.UTF_8).lines())
        .hasSize(5)
        .allMatch(line -> line.matches("\\[ *\\d+ ms\\] .*"))
        .anyMatch(line -> line.endsWith("planned  1. search(\"Apple\")"))
        .anyMatch(line -> line.endsWith("running  1. search {\"query\":\"Apple\"}"))
        .anyMatch(line -> line.endsWith("done     1. search (400 ms -> {\"value\":3400})"))
        .noneMatch(line -> line.contains("\033"));
  }

  @Test
  void liveOutputRedrawsOneBlockInPlace() {
    play(new ProgressView(out, true, new RunClock()));
    String text = bytes.toString(StandardCharsets.UTF_8);
    // Each frame moves back over the previous one and clears it.
    assertThat(text).contains("\033[1F\033[J", "\033[2F\033[J");
    String lastFrame = text.substring(text.lastIndexOf("\033[J") + 3);
    assertThat(lastFrame.lines()).hasSize(2);
    assertThat(lastFrame).contains("answered", "done     1. search(\"Apple\")  400 ms");
  }
}
