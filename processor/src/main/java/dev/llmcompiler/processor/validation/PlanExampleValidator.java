package dev.llmcompiler.processor.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.source.tree.AnnotationTree;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.Trees;
import dev.llmcompiler.annotations.PlanExample;
import dev.llmcompiler.processor.model.PlanExampleModel;
import dev.llmcompiler.runtime.ToolDescriptor;
import dev.llmcompiler.runtime.internal.plan.DirectAnswer;
import dev.llmcompiler.runtime.internal.plan.PlanParser;
import dev.llmcompiler.runtime.internal.plan.PlanValue;
import dev.llmcompiler.runtime.internal.plan.PlannedTask;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;

/**
 * Checks {@code @PlanExample} plans with the runtime's own {@link PlanParser}, so an example is
 * accepted at build time exactly when the runtime would run it: every task must call a known tool
 * with fitting arguments and reference only earlier tasks, and the plan must end with {@code
 * join()}. Errors go on the example's {@code plan} value and name the plan line.
 *
 * <p>Examples are read strictly, without the repairs the runtime makes to what models write: the
 * planner copies its examples, so a line the runtime would only accept after repairing it is an
 * error that says how the runtime would read it and how to write it.
 */
public final class PlanExampleValidator {
  private final Reporter reporter;

  /** javac's trees, to point into repeated annotations; {@code null} under other compilers. */
  private final Trees trees;

  public PlanExampleValidator(Reporter reporter, Trees trees) {
    this.reporter = reporter;
    this.trees = trees;
  }

  /**
   * Reports every problem of the examples of {@code owner}; returns whether all are valid.
   *
   * @param tools the tools the plans may call
   * @param toolsOf names where the tools come from, for messages, e.g. {@code "SearchService"}
   */
  public boolean validate(
      Element owner, List<PlanExampleModel> examples, List<ToolDescriptor> tools, String toolsOf) {
    int errorsBefore = reporter.errorCount();
    Map<String, ToolDescriptor> byName = new LinkedHashMap<>();
    tools.forEach(tool -> byName.putIfAbsent(tool.name(), tool));
    String toolNames = byName.isEmpty() ? "none" : String.join(", ", byName.keySet());
    for (PlanExampleModel example : examples) {
      if (example.question().isEmpty()) {
        report(Message.PLAN_EXAMPLE_QUESTION, owner, example, false);
      }
      validatePlan(owner, example, byName, toolsOf, toolNames);
    }
    return reporter.errorCount() == errorsBefore;
  }

  private void validatePlan(
      Element owner,
      PlanExampleModel example,
      Map<String, ToolDescriptor> tools,
      String toolsOf,
      String toolNames) {
    PlanParser.ParsedPlan plan = PlanParser.parse(example.plan(), tools, 1, Set.of(), false);
    List<PlannedTask> tasks = plan.tasks();
    List<PlannedTask> repaired = null;
    for (PlannedTask task : tasks) {
      String error = task.error() != null ? task.error() : referenceTypeProblem(task, tasks, tools);
      if (task.error() != null) {
        if (repaired == null) {
          repaired = PlanParser.parse(example.plan(), tools, 1, Set.of(), true).tasks();
        }
        error += repairHint(task, repaired);
      }
      if (error != null) {
        report(
            Message.PLAN_EXAMPLE_INVALID,
            owner,
            example,
            true,
            example.question(),
            task.lineNumber(),
            task.line().split("\n", -1)[0].strip(),
            error,
            toolsOf,
            toolNames);
      }
    }
    if (!plan.joinSeen()) {
      report(
          Message.PLAN_EXAMPLE_NO_JOIN,
          owner,
          example,
          true,
          example.question(),
          "does not end with join()",
          tasks.size() + 1);
      return;
    }
    DirectAnswer answer = plan.directAnswer();
    if (answer != null && !answer.usable()) {
      report(
          Message.PLAN_EXAMPLE_INVALID,
          owner,
          example,
          true,
          example.question(),
          plan.joinLineNumber(),
          answer.line().split("\n", -1)[0].strip(),
          "its join cannot be read as a direct answer: " + answer.problem(),
          toolsOf,
          toolNames);
    }
    String rest = plan.rest().strip();
    if (rest.startsWith(PlanParser.END_OF_PLAN)) {
      rest = rest.substring(PlanParser.END_OF_PLAN.length()).strip();
    }
    if (!rest.isEmpty()) {
      // The first text after the plan is as many lines after the rest's start as breaks precede it.
      String first = rest.split("\n", -1)[0].strip();
      String before = plan.rest().substring(0, plan.rest().indexOf(first));
      int line = plan.restLineNumber() + (int) before.chars().filter(c -> c == '\n').count();
      report(
          Message.PLAN_EXAMPLE_NO_JOIN,
          owner,
          example,
          true,
          example.question(),
          "has text after its join() line, at plan line "
              + line
              + " `"
              + first
              + "`, which the planner never reads",
          tasks.size() + 1);
    }
  }

  /**
   * How the runtime would repair a line the strict reading rejects, and how to write it, or {@code
   * ""} if the runtime would reject it too.
   */
  private static String repairHint(PlannedTask failed, List<PlannedTask> repaired) {
    for (PlannedTask task : repaired) {
      if (task.lineNumber() == failed.lineNumber()
          && task.error() == null
          && !task.repairs().isEmpty()) {
        StringBuilder call =
            new StringBuilder().append(task.id()).append(". ").append(task.tool()).append('(');
        String separator = "";
        for (Map.Entry<String, PlanValue> argument : task.arguments().entrySet()) {
          call.append(separator)
              .append(argument.getKey())
              .append('=')
              .append(argument.getValue().toPlanText());
          separator = ", ";
        }
        return " The runtime would repair this line ("
            + String.join("; ", task.repairs())
            + "), but the planner"
            + " copies its examples, so write it as the plan language has it: `"
            + call
            + ")`.";
      }
    }
    return "";
  }

  /**
   * Why a whole-argument reference cannot fit its parameter, or {@code null}: the referenced tool's
   * result has a JSON type the parameter does not take (an integer fits a number). Only clear cases
   * are flagged: results or parameters without one known type, and string parameters, pass.
   */
  private static String referenceTypeProblem(
      PlannedTask task, List<PlannedTask> tasks, Map<String, ToolDescriptor> tools) {
    ToolDescriptor tool = tools.get(task.tool());
    for (Map.Entry<String, PlanValue> argument : task.arguments().entrySet()) {
      if (!(argument.getValue() instanceof PlanValue.Reference reference)
          || !reference.path().isEmpty()) {
        continue;
      }
      PlannedTask referenced =
          tasks.stream().filter(t -> t.id() == reference.taskId()).findFirst().orElse(null);
      ToolDescriptor source = referenced == null ? null : tools.get(referenced.tool());
      if (source == null) {
        continue;
      }
      String produced =
          source.returns().path("type").isTextual() ? source.returns().path("type").asText() : null;
      JsonNode wanted = tool.parameters().path("properties").path(argument.getKey()).path("type");
      List<String> accepted = new ArrayList<>();
      if (wanted.isTextual()) {
        accepted.add(wanted.asText());
      } else {
        wanted.forEach(type -> accepted.add(type.asText()));
      }
      if (produced == null
          || accepted.isEmpty()
          || accepted.contains(produced)
          || accepted.contains("string")
          || (produced.equals("integer") && accepted.contains("number"))) {
        continue;
      }
      return "argument '"
          + argument.getKey()
          + "' is $"
          + reference.taskId()
          + ", the result of "
          + source.name()
          + ", which is "
          + article(produced)
          + ", but "
          + tool.name()
          + " takes "
          + article(String.join(" or ", accepted))
          + " there; pass a field of the result ($"
          + reference.taskId()
          + ".field) or a value of that type.";
    }
    return null;
  }

  private static String article(String type) {
    return ("aeiou".indexOf(type.charAt(0)) >= 0 ? "an " : "a ") + type;
  }

  /**
   * Reports on the example's {@code plan} value (or the annotation), inside repeated annotations
   * too.
   */
  private void report(
      Message message,
      Element owner,
      PlanExampleModel example,
      boolean onPlan,
      Object... arguments) {
    TreePath at =
        example.repeatedIndex() >= 0 && trees != null ? repeatedTree(owner, example, onPlan) : null;
    if (at != null) {
      reporter.reportAt(message, owner, trees, at, arguments);
    } else {
      reporter.report(
          message, owner, example.annotation(), onPlan ? example.planValue() : null, arguments);
    }
  }

  /** The tree of the n-th {@code @PlanExample} on {@code owner}, or of its {@code plan} value. */
  private TreePath repeatedTree(Element owner, PlanExampleModel example, boolean onPlan) {
    TreePath path = trees.getPath(owner);
    if (path == null || !(path.getLeaf() instanceof ClassTree type)) {
      return null;
    }
    TreePath modifiers = new TreePath(path, type.getModifiers());
    int seen = 0;
    for (AnnotationTree annotation : type.getModifiers().getAnnotations()) {
      TreePath annotationPath = new TreePath(modifiers, annotation);
      Element annotationType =
          trees.getElement(new TreePath(annotationPath, annotation.getAnnotationType()));
      if (!(annotationType instanceof TypeElement named)
          || !named.getQualifiedName().contentEquals(PlanExample.class.getCanonicalName())
          || seen++ != example.repeatedIndex()) {
        continue;
      }
      if (!onPlan) {
        return annotationPath;
      }
      for (ExpressionTree argument : annotation.getArguments()) {
        if (argument instanceof AssignmentTree assignment
            && assignment.getVariable() instanceof IdentifierTree name
            && name.getName().contentEquals("plan")) {
          return new TreePath(new TreePath(annotationPath, assignment), assignment.getExpression());
        }
      }
      return annotationPath;
    }
    return null;
  }
}
