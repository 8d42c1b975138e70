package dev.llmcompiler.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmcompiler.runtime.ToolArgumentException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CalculatorTest {
  private final Calculator calculator = new Calculator();

  @Test
  void evaluatesArithmetic() {
    assertThat(calculator.math("3400 - 3300")).isEqualTo(100.0);
    assertThat(calculator.math("(3400 - 3300) / 3300 * 100")).isCloseTo(3.0303, within(1e-4));
    assertThat(calculator.math("(10994 + 10882 + 10047) / 1000")).isEqualTo(31.923);
    assertThat(calculator.math("2 ^ 10")).isEqualTo(1024.0);
    assertThat(calculator.math("SQRT(16) + MAX(1, 7)")).isEqualTo(11.0);
    assertThat(calculator.math("3400.0 - 3300.0")).isEqualTo(100.0);
  }

  @Test
  void badExpressionsAreClearToolErrors() {
    assertThatThrownBy(() -> calculator.math("1 / 0"))
        .isInstanceOf(ToolArgumentException.class)
        .hasMessageContaining("cannot evaluate \"1 / 0\"")
        .hasMessageContaining("zero");
    assertThatThrownBy(() -> calculator.math("Apple minus Microsoft"))
        .isInstanceOf(ToolArgumentException.class)
        .hasMessageContaining("cannot evaluate \"Apple minus Microsoft\"")
        .hasMessageContaining("Pass a plain arithmetic expression with numbers");
    assertThatThrownBy(() -> calculator.math("2 +"))
        .isInstanceOf(ToolArgumentException.class)
        .hasMessageContaining("\"2 +\"");
    assertThatThrownBy(() -> calculator.math(" ")).hasMessageContaining("the expression is empty");
    assertThatThrownBy(() -> calculator.math("\"text\"")).hasMessageContaining("not a number");
  }

  @Test
  void generatedToolSetReportsTheErrorForTheArgument() {
    CalculatorTools tools = CalculatorTools.of(calculator);
    var args = new ObjectMapper().createObjectNode().put("expression", "x + 1");
    Throwable thrown =
        catchThrowable(
            () -> tools.invoke("math", args).toCompletableFuture().get(5, TimeUnit.SECONDS));
    Throwable error = thrown instanceof ExecutionException ? thrown.getCause() : thrown;
    assertThat(error).isInstanceOf(ToolArgumentException.class).hasMessageContaining("\"x + 1\"");
    assertThat(((ToolArgumentException) error).parameter()).contains("expression");
  }
}
