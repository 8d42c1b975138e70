package dev.llmcompiler.mcp;

/**
 * An MCP server answered a tool call with a tool error ({@code isError: true}). The message is the
 * server's own text, so in a run it becomes the task's error observation as the server wrote it:
 *
 * <pre>
 * Tool 'convert' failed: McpToolException: unknown currency 'XYZ'
 * </pre>
 */
public final class McpToolException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String tool;

  /**
   * @param tool the tool's name, as the planner calls it
   * @param message the server's error text
   */
  public McpToolException(String tool, String message) {
    super(message);
    this.tool = tool;
  }

  /** The tool whose call failed, as the planner calls it. */
  public String tool() {
    return tool;
  }
}
