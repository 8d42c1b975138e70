package dev.llmcompiler.runtime;

import java.util.Optional;

/**
 * The arguments of a tool call do not fit the tool's signature: a required argument is missing, an
 * argument is unknown, or a value has the wrong type. The message names the tool, the parameter,
 * the expected type and what was received, and is written for the LLM that planned the call (it
 * becomes the task's error observation), e.g.:
 *
 * <pre>
 * Tool 'convert': argument 'amount' must be a number, but got "ten" (string).
 * </pre>
 */
public final class ToolArgumentException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String tool;
  private final String parameter;

  /**
   * @param tool the tool's name
   * @param parameter the parameter at fault, or {@code null} when the problem is not one parameter
   * @param message the full message, as the LLM should read it
   */
  public ToolArgumentException(String tool, String parameter, String message) {
    super(message);
    this.tool = tool;
    this.parameter = parameter;
  }

  /**
   * @param cause what failed while decoding the argument, e.g. a Jackson exception
   */
  public ToolArgumentException(String tool, String parameter, String message, Throwable cause) {
    super(message, cause);
    this.tool = tool;
    this.parameter = parameter;
  }

  /** The name of the tool whose call was rejected. */
  public String tool() {
    return tool;
  }

  /** The parameter at fault, if the problem is about one parameter. */
  public Optional<String> parameter() {
    return Optional.ofNullable(parameter);
  }
}
