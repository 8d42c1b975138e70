package dev.llmcompiler.runtime.internal.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** When the parser emits, and that its work stays linear in the input. */
class PlanParserStreamingTest {

  /** Feeds one character at a time and records after how many characters each event came. */
  private static final class PositionRecorder implements PlanListener {
    int fed;
    final List<Integer> taskPositions = new ArrayList<>();
    final List<Integer> taskIds = new ArrayList<>();
    int endPosition = -1;

    @Override
    public void onTask(PlannedTask task) {
      taskPositions.add(fed);
      taskIds.add(task.id());
    }

    @Override
    public void onPlanEnd(boolean joinSeen) {
      endPosition = fed;
    }

    @Override
    public void onPlanError(String error) {
      throw new AssertionError("a text plan has no plan error: " + error);
    }
  }

  private static PositionRecorder feedOneByOne(String plan) {
    PositionRecorder recorder = new PositionRecorder();
    PlanParser parser = new PlanParser(TestTools.all(), 1, Set.of(), recorder);
    for (int i = 0; i < plan.length(); i++) {
      recorder.fed = i + 1;
      parser.feed(plan.substring(i, i + 1));
    }
    recorder.fed = -1;
    parser.finish();
    return recorder;
  }

  @Test
  void aTaskIsEmittedAsSoonAsItsLineBreakIsFedBeforeLaterLinesExist() {
    RecordingListener listener = new RecordingListener();
    PlanParser parser = new PlanParser(TestTools.all(), 1, Set.of(), listener);
    parser.feed("Thought: look both up\n1. search(\"Microsoft mar");
    assertThat(listener.tasks).isEmpty();
    parser.feed("ket cap\")");
    assertThat(listener.tasks).as("no task before its line ends").isEmpty();
    parser.feed("\n2. search(");
    assertThat(listener.tasks).extracting(PlannedTask::id).containsExactly(1);
    assertThat(listener.tasks.get(0).arguments().get("query").toPlanText())
        .isEqualTo("\"Microsoft market cap\"");
    parser.feed("\"Apple market cap\")\r");
    assertThat(listener.tasks)
        .as("a CR ends the line at once")
        .extracting(PlannedTask::id)
        .containsExactly(1, 2);
    parser.feed("\n3. math(\"$2 / $1\", None)\n4. join()");
    assertThat(listener.tasks).extracting(PlannedTask::id).containsExactly(1, 2, 3);
    assertThat(listener.joinSeen)
        .as("join() ends the plan without waiting for a line break")
        .isTrue();
  }

  @Test
  void eachEventComesAtTheCharacterThatCompletesIt() {
    String plan =
        "Thought: x\n1. search(\"a\")\n\n2. search(\"b\")\r\n3. serch(\"c\")\n4. join()\n5. search(\"d\")\n";
    PositionRecorder recorder = feedOneByOne(plan);
    assertThat(recorder.taskIds).containsExactly(1, 2, 3);
    assertThat(recorder.taskPositions)
        .containsExactly(
            plan.indexOf('\n', plan.indexOf("1.")) + 1,
            plan.indexOf('\r') + 1,
            plan.indexOf('\n', plan.indexOf("3.")) + 1);
    assertThat(recorder.endPosition).isEqualTo(plan.indexOf("join()") + "join()".length());

    String marked = "1. search(\"a\")<END_OF_PLAN>\n2. search(\"b\")\n";
    PositionRecorder markerRecorder = feedOneByOne(marked);
    int markerEnd = marked.indexOf('>') + 1;
    assertThat(markerRecorder.taskPositions).containsExactly(markerEnd);
    assertThat(markerRecorder.endPosition).isEqualTo(markerEnd);

    PositionRecorder unfinished = feedOneByOne("1. search(\"a\")\n2. search(\"b\")");
    assertThat(unfinished.taskPositions)
        .as("the last line is read at finish()")
        .containsExactly(15, -1);
    assertThat(unfinished.endPosition).isEqualTo(-1);
  }

  @Test
  void tenThousandTasksParseInLinearTime() {
    StringBuilder plan = new StringBuilder("Thought: a long chain\n1. search(\"start\")\n");
    int tasks = 10_000;
    for (int id = 2; id <= tasks; id++) {
      plan.append(id)
          .append(". math(\"$")
          .append(id - 1)
          .append(" + 1 and ${")
          .append(id / 2)
          .append("}\", [$")
          .append(id - 1)
          .append(", {\"k\": 'v'}])\n");
    }
    plan.append(tasks + 1).append(". join()<END_OF_PLAN>");
    String text = plan.toString();
    List<PlannedTask> parsed = new ArrayList<>();
    boolean[] joinSeen = new boolean[1];
    long start = System.nanoTime();
    PlanParser parser =
        new PlanParser(
            TestTools.all(),
            1,
            Set.of(),
            new PlanListener() {
              @Override
              public void onTask(PlannedTask task) {
                parsed.add(task);
              }

              @Override
              public void onPlanEnd(boolean join) {
                joinSeen[0] = join;
              }

              @Override
              public void onPlanError(String error) {
                throw new AssertionError(error);
              }
            });
    for (int at = 0; at < text.length(); at += 7) {
      parser.feed(text.substring(at, Math.min(text.length(), at + 7)));
    }
    parser.finish();
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
    assertThat(parsed).hasSize(tasks);
    assertThat(parsed).filteredOn(task -> task.error() != null).isEmpty();
    assertThat(parsed.get(tasks - 1).dependsOn()).containsExactly(tasks / 2, tasks - 1);
    assertThat(joinSeen[0]).isTrue();
    // About 0.5 MB of plan: linear work takes well under a second even on a loaded machine;
    // rescanning the buffer on each of the 80,000 feeds would take minutes.
    assertThat(elapsed).isLessThan(Duration.ofSeconds(30));
  }

  @Test
  void pathologicalLinesStayCheap() {
    long start = System.nanoTime();
    RecordingListener listener = new RecordingListener();
    PlanParser parser = new PlanParser(TestTools.all(), 1, Set.of(), listener);
    // A runaway line of 10 million characters without a line break, fed in small pieces.
    String piece = "x)<$".repeat(250);
    for (int i = 0; i < 10_000; i++) {
      parser.feed(piece);
    }
    parser.feed("\n");
    // Lines just under the limit made of the characters the parser looks at twice.
    parser.feed("2. search(\"" + "$".repeat(PlanParser.MAX_LINE_LENGTH - 20) + "\")\n");
    parser.feed("3. search(\"" + "$2".repeat(PlanParser.MAX_LINE_LENGTH / 2 - 20) + "\")\n");
    parser.feed("4. top_k(" + "[".repeat(30_000) + "\n");
    parser.feed(")".repeat(PlanParser.MAX_LINE_LENGTH - 10) + "\n");
    parser.finish();
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
    // The runaway line is prose before the plan (no id, no call), so it takes no task id.
    assertThat(listener.tasks).extracting(PlannedTask::id).containsExactly(2, 3, 4);
    assertThat(listener.tasks.get(0).error()).isNull();
    assertThat(listener.tasks.get(1).error()).isNull();
    assertThat(listener.tasks.get(1).dependsOn()).containsExactly(2);
    assertThat(listener.tasks.get(2).error()).contains("nested more than 64 levels deep");
    assertThat(elapsed).isLessThan(Duration.ofSeconds(30));
  }
}
