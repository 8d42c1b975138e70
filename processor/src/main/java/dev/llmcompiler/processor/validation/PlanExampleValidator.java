package dev.llmcompiler.processor.validation;

import dev.llmcompiler.processor.model.PlanExampleModel;
import dev.llmcompiler.runtime.ToolDescriptor;
import dev.llmcompiler.runtime.plan.PlanListener;
import dev.llmcompiler.runtime.plan.PlanParser;
import dev.llmcompiler.runtime.plan.PlannedTask;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import javax.lang.model.element.Element;

/**
 * Checks {@code @PlanExample} plans with the runtime's own {@link PlanParser}, so an example is
 * accepted at build time exactly when the runtime would run it: every task must call a known tool
 * with fitting arguments and reference only earlier tasks, and the plan must end with
 * {@code join()}. Errors go on the example's {@code plan} value and name the plan line.
 */
public final class PlanExampleValidator {
  private static final Pattern JOIN_LINE =
      Pattern.compile("(?i)\\s*(?:[-*+]\\s+)?(?:\\d+\\s*[.):]?\\s*)?`?join\\s*\\(\\s*\\)`?\\s*(?:<END_OF_PLAN>)?\\s*");

  private final Reporter reporter;

  public PlanExampleValidator(Reporter reporter) {
    this.reporter = reporter;
  }

  /**
   * Reports every problem of the examples of {@code owner}; returns whether all are valid.
   *
   * @param tools the tools the plans may call
   * @param toolsOf names where the tools come from, for messages, e.g. {@code "SearchService"}
   */
  public boolean validate(Element owner, List<PlanExampleModel> examples, List<ToolDescriptor> tools, String toolsOf) {
    int errorsBefore = reporter.errorCount();
    Map<String, ToolDescriptor> byName = new LinkedHashMap<>();
    tools.forEach(tool -> byName.putIfAbsent(tool.name(), tool));
    String toolNames = byName.isEmpty() ? "none" : String.join(", ", byName.keySet());
    for (PlanExampleModel example : examples) {
      if (example.question().isEmpty()) {
        reporter.report(Message.PLAN_EXAMPLE_QUESTION, owner, example.annotation(), null);
      }
      validatePlan(owner, example, byName, toolsOf, toolNames);
    }
    return reporter.errorCount() == errorsBefore;
  }

  private void validatePlan(
      Element owner, PlanExampleModel example, Map<String, ToolDescriptor> tools, String toolsOf, String toolNames) {
    List<PlannedTask> tasks = new ArrayList<>();
    boolean[] joined = new boolean[1];
    PlanParser parser = new PlanParser(tools, 1, Set.of(), new PlanListener() {
      @Override
      public void onTask(PlannedTask task) {
        tasks.add(task);
      }

      @Override
      public void onPlanEnd(boolean joinSeen) {
        joined[0] = joinSeen;
      }
    });
    parser.feed(example.plan());
    parser.finish();
    String[] lines = example.plan().split("\n", -1);
    int cursor = 0;
    for (PlannedTask task : tasks) {
      String first = task.line().split("\n", -1)[0];
      int at = indexOf(lines, first, cursor);
      if (at >= 0) {
        cursor = at + 1;
      }
      if (task.error() != null) {
        reporter.report(Message.PLAN_EXAMPLE_INVALID, owner, example.annotation(), example.planValue(),
            example.question(), at >= 0 ? at + 1 : cursor, first.strip(), task.error(), toolsOf, toolNames);
      }
    }
    int joinAt = -1;
    for (int i = cursor; i < lines.length && joinAt < 0; i++) {
      if (JOIN_LINE.matcher(lines[i]).matches()) {
        joinAt = i;
      }
    }
    if (!joined[0] || joinAt < 0) {
      reporter.report(Message.PLAN_EXAMPLE_NO_JOIN, owner, example.annotation(), example.planValue(),
          example.question(), "does not end with join()", tasks.size() + 1);
      return;
    }
    for (int i = joinAt + 1; i < lines.length; i++) {
      String rest = lines[i].strip();
      if (!rest.isEmpty() && !rest.equals(PlanExampleModel.END_OF_PLAN)) {
        reporter.report(Message.PLAN_EXAMPLE_NO_JOIN, owner, example.annotation(), example.planValue(),
            example.question(), "has text after its join() line, at plan line " + (i + 1) + " `" + rest
                + "`, which the planner never reads", tasks.size() + 1);
        return;
      }
    }
  }

  private static int indexOf(String[] lines, String line, int from) {
    for (int i = from; i < lines.length; i++) {
      if (lines[i].equals(line) || lines[i].strip().equals(line.strip())) {
        return i;
      }
    }
    return -1;
  }
}
