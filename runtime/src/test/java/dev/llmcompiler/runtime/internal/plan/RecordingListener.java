package dev.llmcompiler.runtime.internal.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Records what a parser emits, as tasks and as one text line per event, and fails the test at once
 * if the listener contract is broken (a task or error after the end, two ends or two errors).
 */
final class RecordingListener implements PlanListener {
  final List<PlannedTask> tasks = new ArrayList<>();
  final List<String> events = new ArrayList<>();
  Boolean joinSeen;
  int ends;
  String error;
  DirectAnswer answer;

  @Override
  public void onTask(PlannedTask task) {
    if (ends > 0) {
      throw new AssertionError("onTask after onPlanEnd: " + task);
    }
    tasks.add(task);
    events.addAll(render(task));
  }

  @Override
  public void onPlanError(String error) {
    if (ends > 0 || this.error != null) {
      throw new AssertionError("onPlanError after onPlanEnd or a second time: " + error);
    }
    this.error = error;
    events.add("error: " + error);
  }

  /**
   * Recorded as {@code answer "The ratio is ${6}" refs=[6]}, or {@code answer FAILED: <problem>}.
   */
  @Override
  public void onDirectAnswer(DirectAnswer answer) {
    if (ends > 0 || this.answer != null) {
      throw new AssertionError("onDirectAnswer after onPlanEnd or a second time: " + answer);
    }
    this.answer = answer;
    events.add(
        answer.usable()
            ? "answer " + answer.answer().toPlanText() + " refs=" + answer.references()
            : "answer FAILED: " + answer.problem());
  }

  @Override
  public void onPlanEnd(boolean joinSeen) {
    ends++;
    if (ends > 1) {
      throw new AssertionError("onPlanEnd called twice");
    }
    this.joinSeen = joinSeen;
    if (answer != null && !joinSeen) {
      throw new AssertionError("a direct answer without a join: " + answer);
    }
    events.add("end join=" + joinSeen);
  }

  boolean ended() {
    return ends == 1;
  }

  /**
   * One task as text: {@code task 3 math(problem="${2} / ${1}", context=null) deps=[1, 2]} or
   * {@code task 4 serch FAILED: unknown tool ...}, then {@code thought: ...} if it has one, then
   * {@code repaired: ...} for each repair.
   */
  static List<String> render(PlannedTask task) {
    List<String> lines = new ArrayList<>();
    if (task.error() != null) {
      lines.add("task " + task.id() + " " + task.tool() + " FAILED: " + task.error());
    } else {
      StringJoiner arguments = new StringJoiner(", ", task.tool() + "(", ")");
      for (Map.Entry<String, PlanValue> argument : task.arguments().entrySet()) {
        arguments.add(argument.getKey() + "=" + argument.getValue().toPlanText());
      }
      lines.add("task " + task.id() + " " + arguments + " deps=" + task.dependsOn());
    }
    if (!task.thought().isEmpty()) {
      lines.add("  thought: " + task.thought().replace("\n", "\\n"));
    }
    task.repairs().forEach(note -> lines.add("  repaired: " + note));
    return lines;
  }
}
