package dev.llmcompiler.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class McpCommandTest {

  @Test
  void onlyAFirstArgumentMcpSelectsTheMode() {
    assertThat(McpCommand.handles(new String[] {"mcp"})).isTrue();
    assertThat(McpCommand.handles(new String[] {"--plain", "mcp"})).isFalse();
    assertThat(McpCommand.handles(new String[0])).isFalse();
  }

  @Test
  void extraArgumentsAreAUsageError() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        McpCommand.run(
            new String[] {"mcp", "--port"},
            System.out,
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(code).isEqualTo(Main.USAGE);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("the mcp mode takes no arguments, got: --port");
  }

  @Test
  void theDemoCarriesNoJettySoHttpServingSaysWhatToAdd() {
    // The samples serve stdio only: llmcompiler-mcp's Jetty dependency is optional and not on this
    // class path.
    assertThatThrownBy(() -> McpCommand.server().startHttp(0))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith(
            "McpToolServer.startHttp needs Jetty on the class path: add the dependency"
                + " org.eclipse.jetty.ee10:jetty-ee10-servlet (12.1.x).");
  }
}
