package dev.llmcompiler.samples;

import com.ezylang.evalex.EvaluationException;
import com.ezylang.evalex.Expression;
import com.ezylang.evalex.config.ExpressionConfiguration;
import com.ezylang.evalex.data.EvaluationValue;
import com.ezylang.evalex.parser.ParseException;
import dev.llmcompiler.annotations.Effect;
import dev.llmcompiler.annotations.Tool;
import dev.llmcompiler.runtime.ToolArgumentException;
import java.util.Objects;

/**
 * Arithmetic for plans, evaluated by the EvalEx expression library (BigDecimal arithmetic; no
 * scripting engine, so an expression can compute but never run code).
 *
 * <pre>{@code
 * new Calculator().math("(3400 - 3300) / 3300 * 100");  // 3.0303...
 * }</pre>
 */
public final class Calculator {
  private static final String EXAMPLE = "\"(3400 - 3300) / 3300 * 100\"";

  /**
   * Built once: the default configuration holds EvalEx's operator and function tables, costly to
   * rebuild per call.
   */
  private static final ExpressionConfiguration CONFIGURATION =
      ExpressionConfiguration.defaultConfiguration();

  /**
   * Evaluates an arithmetic expression with numbers, + - * / ^, parentheses and functions such as
   * SQRT, ROUND(x, digits), MIN, MAX, ABS. Write the numbers themselves, not words.
   *
   * @param expression the expression, e.g. "(3400 - 3300) / 3300 * 100"
   */
  @Tool(effect = Effect.READ_ONLY)
  public double math(String expression) {
    Objects.requireNonNull(expression, "expression");
    if (expression.isBlank()) {
      throw error(expression, "the expression is empty");
    }
    EvaluationValue value;
    try {
      value = new Expression(expression, CONFIGURATION).evaluate();
    } catch (ParseException e) {
      throw error(expression, e.getMessage());
    } catch (EvaluationException e) {
      throw error(expression, e.getMessage());
    }
    if (!value.isNumberValue()) {
      throw error(expression, "it evaluates to " + value.getValue() + ", which is not a number");
    }
    return value.getNumberValue().doubleValue();
  }

  /** A tool error that says what was wrong and how to write the expression instead. */
  private static ToolArgumentException error(String expression, String problem) {
    return new ToolArgumentException(
        "math",
        "expression",
        "Tool 'math' cannot evaluate \""
            + expression
            + "\": "
            + problem
            + ". Pass a plain arithmetic expression with numbers, e.g. "
            + EXAMPLE
            + ".");
  }
}
