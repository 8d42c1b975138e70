package dev.llmcompiler.samples;

import dev.llmcompiler.mcp.McpToolServer;
import java.io.PrintStream;
import java.time.Duration;

/**
 * The demo jar's {@code mcp} mode: serves the sample tools ({@code search}, {@code math}, {@code
 * convert}) as an MCP server over stdio, for any MCP client (Claude Desktop, an IDE, the MCP
 * Inspector, the SDK's own clients):
 *
 * <pre>
 * java -jar samples/target/llmcompiler-samples.jar mcp
 * </pre>
 *
 * <p>Standard output carries only MCP's JSON-RPC messages; warnings go to standard error. The
 * server runs until the client closes its standard input.
 */
final class McpCommand {
  static final String NAME = "mcp";
  static final String USAGE =
      String.join(
          "\n",
          "Usage: java -jar samples/target/llmcompiler-samples.jar mcp",
          "",
          "Serves the sample tools (search, math, convert) as an MCP server over stdio until the client",
          "closes stdin. Standard output carries only MCP messages; warnings go to standard error.",
          "");

  private McpCommand() {}

  /** Whether the command line asks for this mode: its first argument is {@code mcp}. */
  static boolean handles(String[] args) {
    return args.length > 0 && args[0].equals(NAME);
  }

  /** Runs the mode; returns the exit code: 0 when the client left, 2 for bad arguments. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 2 && (args[1].equals("-h") || args[1].equals("--help"))) {
      out.print(USAGE);
      return Main.OK;
    }
    if (args.length > 1) {
      err.println(
          "llmcompiler-samples: the mcp mode takes no arguments, got: "
              + args[1]
              + " (run `mcp --help`)");
      return Main.USAGE;
    }
    // slf4j-simple reads these once, when the first logger is made: the SDK's warnings, not its
    // chatter.
    System.setProperty(
        "org.slf4j.simpleLogger.defaultLogLevel",
        System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"));
    System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
    server().serveStdio();
    return Main.OK;
  }

  /** The sample tools as an MCP server; lookups answer at once (no simulated latency). */
  static McpToolServer server() {
    String version = McpCommand.class.getPackage().getImplementationVersion();
    return McpToolServer.builder()
        .name("llmcompiler-samples")
        .version(version != null ? version : "development")
        .tools(
            EncyclopediaTools.of(new Encyclopedia(Duration.ZERO)),
            CalculatorTools.of(new Calculator()),
            CurrencyConverterTools.of(new CurrencyConverter()))
        .build();
  }
}
