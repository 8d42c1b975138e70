package dev.llmcompiler.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A few-shot example for the planner: a question and the plan that answers it, written in the plan
 * language with the real tools. Put it on a class with {@code @Tool} methods, or on an {@link
 * Agent} interface; it is repeatable.
 *
 * <pre>{@code
 * @PlanExample(
 *     question = "Which is older, the Eiffel Tower or the Statue of Liberty?",
 *     plan = """
 *         1. search("Eiffel Tower completion year")
 *         2. search("Statue of Liberty dedication year")
 *         3. join()
 *         """)
 * public class SearchService {
 *   @Tool public String search(String query) { ... }
 * }
 * }</pre>
 *
 * <p>The annotation processor parses every example plan at build time with the runtime's plan
 * parser and fails the build, on the {@code plan} value, when a task calls a tool that does not
 * exist, passes too many, too few or unknown arguments, passes a literal of the wrong JSON type,
 * references a task that is not listed before it, when a line does not parse, or when the plan does
 * not end with {@code join()}. The tools an example may call are those of its class, or for an
 * agent those of the classes in {@link Agent#tools()}.
 *
 * <p>Valid examples reach the planner's system prompt after its built-in ones: a tool class's
 * examples through its generated {@code FooTools} ({@code ToolSet.examples()}), an agent's through
 * its generated implementation. Each is written as {@code "Question: <question>\n<plan>"}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
@Repeatable(PlanExamples.class)
public @interface PlanExample {

  /** The question the example answers, on one line. */
  String question();

  /**
   * The plan: one task per line ({@code 1. tool(arguments)}), optional {@code Thought:} lines, and
   * a last line {@code N. join()}. Common indentation (as in a text block) is removed; a trailing
   * {@code <END_OF_PLAN>} is added if missing.
   */
  String plan();
}
