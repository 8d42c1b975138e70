package dev.llmcompiler.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmcompiler.runtime.ToolArgumentException;
import dev.llmcompiler.runtime.ToolDescriptor;
import dev.llmcompiler.runtime.ToolSet;
import dev.llmcompiler.runtime.internal.Json;
import dev.llmcompiler.runtime.internal.OptionalNulls;
import io.modelcontextprotocol.server.McpServerFeatures.AsyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Turns the tools of {@link ToolSet}s into the SDK's tool specifications: the server side of the
 * bridge.
 */
final class ServedTools {
  private ServedTools() {}

  /** The specification of one tool of {@code set}. */
  static AsyncToolSpecification specification(ToolSet set, ToolDescriptor tool) {
    McpSchema.Tool.Builder definition =
        McpSchema.Tool.builder(tool.name(), McpJson.toMap(tool.parameters()))
            .description(tool.description())
            .annotations(ToolHints.of(tool));
    boolean declaresOutput = declaresOutput(tool);
    if (declaresOutput) {
      definition.outputSchema(McpJson.toMap(tool.returns()));
    }
    return AsyncToolSpecification.builder()
        .tool(definition.build())
        .callHandler(
            (exchange, request) ->
                Mono.defer(
                        () ->
                            Mono.fromCompletionStage(
                                invoke(set, tool, McpJson.toObjectNode(request.arguments()))))
                    // A synchronous tool runs on the thread that invokes it: never on the
                    // transport's own thread,
                    // so calls from one client run side by side (the SDK's own choice for blocking
                    // handlers).
                    .subscribeOn(Schedulers.boundedElastic())
                    .map(result -> success(tool, result))
                    .onErrorResume(error -> Mono.just(failure(tool, error))))
        .build();
  }

  /**
   * Whether the tool declares an output schema: MCP wants an object schema there, and then requires
   * every successful result to be structured content that fits it.
   */
  static boolean declaresOutput(ToolDescriptor tool) {
    return tool.returns().isObject() && "object".equals(tool.returns().path("type").asText(null));
  }

  private static CompletionStage<JsonNode> invoke(
      ToolSet set, ToolDescriptor tool, ObjectNode arguments) {
    try {
      // The generated invoker checks every argument against the catalog schema before the method
      // runs.
      return set.invoke(tool.name(), arguments);
    } catch (Exception e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * A result as MCP content: always text (a string as itself, anything else as compact JSON), and
   * for an object also structured content. Null fields the result schema lets be absent are left
   * out, so the value fits the declared output schema under any validator.
   */
  static CallToolResult success(ToolDescriptor tool, JsonNode result) {
    JsonNode value =
        OptionalNulls.drop(tool.returns(), result == null ? NullNode.getInstance() : result);
    CallToolResult.Builder content =
        CallToolResult.builder()
            .addTextContent(value.isTextual() ? value.textValue() : Json.write(value, false))
            .isError(false);
    if (value.isObject()) {
      content.structuredContent(value);
    }
    return content.build();
  }

  /**
   * A failed call as an MCP tool error ({@code isError: true}), in the words the runtime itself
   * uses for a task's error: an argument problem as its own precise message, anything else as
   * {@code Tool 'x' failed: Type: message}.
   */
  static CallToolResult failure(ToolDescriptor tool, Throwable error) {
    Throwable cause = error;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    String message;
    if (cause instanceof ToolArgumentException) {
      message = cause.getMessage();
    } else {
      String type =
          cause.getClass().getSimpleName().isEmpty()
              ? cause.getClass().getName()
              : cause.getClass().getSimpleName();
      message =
          "Tool '"
              + tool.name()
              + "' failed: "
              + type
              + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }
    return CallToolResult.builder().addTextContent(message).isError(true).build();
  }
}
