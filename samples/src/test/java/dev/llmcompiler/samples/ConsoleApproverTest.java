package dev.llmcompiler.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmcompiler.runtime.ToolApproval;
import dev.llmcompiler.runtime.ToolApprover;
import dev.llmcompiler.runtime.ToolDescriptor;
import dev.llmcompiler.runtime.internal.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ConsoleApproverTest {
  private final ByteArrayOutputStream shown = new ByteArrayOutputStream();

  private ToolApprover console(String typed) {
    return new ConsoleApprover(
        new StringReader(typed), new PrintStream(shown, true, StandardCharsets.UTF_8));
  }

  private static ToolApprover.Request payment() {
    ToolDescriptor pay = PaymentsTools.of(new Payments()).tools().get(0);
    return ToolApprover.Request.builder()
        .tool(pay)
        .arguments(
            Json.parse(
                "{\"amount\":{\"amount\":230.0,\"currency\":\"EUR\"},\"payee\":\"Hotel du Louvre\"}",
                "x"))
        .question(DemoQuestions.PAYMENT)
        .round(1)
        .taskId(2)
        .build();
  }

  @Test
  void showsTheCallAndAllowsOnYes() throws Exception {
    ToolApprover approver = console("y\nYES\n");
    assertThat(approver.approve(payment())).isEqualTo(ToolApproval.allow());
    assertThat(approver.approve(payment())).isEqualTo(ToolApproval.allow());
    assertThat(shown.toString(StandardCharsets.UTF_8))
        .startsWith(
            "Allow pay(amount={\"amount\":230.0,\"currency\":"
                + "\"EUR\"}, payee=\"Hotel du Louvre\") (mutating, task 2)? [y/N] ");
  }

  @Test
  void anythingElseDenies() throws Exception {
    ToolApprover approver = console("n\nsure\n\n");
    for (int i = 0; i < 3; i++) {
      assertThat(approver.approve(payment()))
          .isEqualTo(ToolApproval.deny("declined at the console"));
    }
  }

  @Test
  void theEndOfTheInputDenies() throws Exception {
    assertThat(console("").approve(payment()).reason())
        .hasValue("no answer at the console (its input ended)");
  }
}
