package dev.llmcompiler.springai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmcompiler.runtime.ToolArgumentException;
import dev.llmcompiler.runtime.ToolDescriptor;
import dev.llmcompiler.runtime.ToolSet;
import dev.llmcompiler.runtime.internal.Json;
import java.io.IOException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.springframework.ai.chat.model.ToolContext;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.definition.ToolDefinition;
import org.springframework.ai.tool.execution.ToolExecutionException;

/**
 * One tool of a {@link ToolSet} as a Spring AI {@link ToolCallback}: its definition carries the
 * catalog's JSON schema as the input schema, and {@link #call} parses the model's arguments,
 * invokes the tool through its generated invoker, waits for an asynchronous tool, and returns the
 * result as JSON text.
 *
 * <p>Failures follow Spring AI's convention for callbacks: arguments that do not fit and exceptions
 * from the tool are thrown as {@link ToolExecutionException} with the cause, which Spring AI's
 * default {@code ToolExecutionExceptionProcessor} turns into a message for the model when the cause
 * is unchecked (an argument error always is) and rethrows otherwise.
 */
final class ToolSetCallback implements ToolCallback {
  private final ToolSet tools;
  private final ToolDescriptor tool;
  private final ToolDefinition definition;

  ToolSetCallback(ToolSet tools, ToolDescriptor tool) {
    this.tools = tools;
    this.tool = tool;
    this.definition =
        ToolDefinition.builder()
            .name(tool.name())
            .description(tool.description())
            .inputSchema(Json.write(tool.parameters(), false))
            .build();
  }

  @Override
  public ToolDefinition getToolDefinition() {
    return definition;
  }

  @Override
  public String call(String toolInput) {
    ObjectNode arguments = parseArguments(toolInput);
    JsonNode result;
    try {
      result = tools.invoke(tool.name(), arguments).toCompletableFuture().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ToolExecutionException(definition, e);
    } catch (ExecutionException | CompletionException e) {
      throw new ToolExecutionException(definition, e.getCause() == null ? e : e.getCause());
    } catch (Exception e) {
      throw new ToolExecutionException(definition, e);
    }
    return Json.write(result, false);
  }

  /**
   * The tool takes no context: Spring AI's default would log that the context is unused on every
   * call.
   */
  @Override
  public String call(String toolInput, ToolContext toolContext) {
    return call(toolInput);
  }

  @Override
  public String toString() {
    return "ToolSetCallback[" + tool.signature() + "]";
  }

  private ObjectNode parseArguments(String toolInput) {
    // Models call parameterless tools with "" or "{}".
    if (toolInput == null || toolInput.isBlank()) {
      return Json.object();
    }
    JsonNode arguments;
    try {
      arguments = Json.MAPPER.readTree(toolInput);
    } catch (IOException e) {
      throw new ToolExecutionException(
          definition,
          new ToolArgumentException(
              tool.name(),
              null,
              "Tool '"
                  + tool.name()
                  + "': the arguments are not valid JSON: "
                  + e.getMessage()
                  + ". Send a JSON object.",
              e));
    }
    if (arguments == null || arguments.isNull() || arguments.isMissingNode()) {
      return Json.object();
    }
    if (!arguments.isObject()) {
      throw new ToolExecutionException(
          definition,
          new ToolArgumentException(
              tool.name(),
              null,
              "Tool '"
                  + tool.name()
                  + "': the arguments must be a JSON object, but got "
                  + Json.write(arguments, false)
                  + "."));
    }
    return (ObjectNode) arguments;
  }
}
