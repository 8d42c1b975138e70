package dev.llmcompiler.langchain4j;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.exception.ToolArgumentsException;
import dev.langchain4j.exception.ToolExecutionException;
import dev.langchain4j.invocation.InvocationContext;
import dev.langchain4j.service.tool.ToolExecutionResult;
import dev.langchain4j.service.tool.ToolExecutor;
import dev.llmcompiler.runtime.ToolArgumentException;
import dev.llmcompiler.runtime.ToolDescriptor;
import dev.llmcompiler.runtime.ToolSet;
import dev.llmcompiler.runtime.internal.Json;
import java.io.IOException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Runs one tool of a {@link ToolSet} for LangChain4j: parses the model's arguments, invokes the
 * tool through the generated, reflection-free invoker, waits for an asynchronous tool, and returns
 * the result as JSON text.
 *
 * <p>Failures follow LangChain4j's convention for executors: arguments that do not fit throw {@link
 * ToolArgumentsException} (AI Services' {@code toolArgumentsErrorHandler} decides; by default the
 * call fails), and a tool that throws surfaces as {@link ToolExecutionException} with the tool's
 * exception as its cause (by default its message goes back to the model).
 */
final class ToolSetExecutor implements ToolExecutor {
  private final ToolSet tools;
  private final ToolDescriptor tool;

  ToolSetExecutor(ToolSet tools, ToolDescriptor tool) {
    this.tools = tools;
    this.tool = tool;
  }

  @Override
  public String execute(ToolExecutionRequest request, Object memoryId) {
    return run(request.arguments()).resultText();
  }

  @Override
  public ToolExecutionResult executeWithContext(
      ToolExecutionRequest request, InvocationContext context) {
    return run(request.arguments());
  }

  private ToolExecutionResult run(String argumentsJson) {
    ObjectNode arguments = parseArguments(argumentsJson);
    JsonNode result;
    try {
      result = tools.invoke(tool.name(), arguments).toCompletableFuture().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ToolExecutionException(
          "Tool '" + tool.name() + "' was interrupted while it ran.", e);
    } catch (ExecutionException | CompletionException e) {
      throw failure(e.getCause() == null ? e : e.getCause());
    } catch (Exception e) {
      throw failure(e);
    }
    return ToolExecutionResult.builder()
        .result(result)
        .resultText(Json.write(result, false))
        .build();
  }

  private RuntimeException failure(Throwable cause) {
    if (cause instanceof ToolArgumentException) {
      return new ToolArgumentsException(cause.getMessage(), cause);
    }
    return new ToolExecutionException(cause);
  }

  private ObjectNode parseArguments(String argumentsJson) {
    // Models call parameterless tools with "" or "{}".
    if (argumentsJson == null || argumentsJson.isBlank()) {
      return Json.object();
    }
    JsonNode arguments;
    try {
      arguments = Json.MAPPER.readTree(argumentsJson);
    } catch (IOException e) {
      throw new ToolArgumentsException(
          "Tool '"
              + tool.name()
              + "': the arguments are not valid JSON: "
              + e.getMessage()
              + ". Send a JSON object such as "
              + example()
              + ".",
          e);
    }
    if (arguments == null || arguments.isNull() || arguments.isMissingNode()) {
      return Json.object();
    }
    if (!arguments.isObject()) {
      throw new ToolArgumentsException(
          "Tool '"
              + tool.name()
              + "': the arguments must be a JSON object such as "
              + example()
              + ", but got "
              + Json.write(arguments, false)
              + ".");
    }
    return (ObjectNode) arguments;
  }

  private String example() {
    return tool.parameterNames().isEmpty()
        ? "{}"
        : "{\"" + tool.parameterNames().get(0) + "\": ...}";
  }
}
