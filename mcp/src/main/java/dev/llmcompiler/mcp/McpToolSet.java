package dev.llmcompiler.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmcompiler.runtime.ToolDescriptor;
import dev.llmcompiler.runtime.ToolSet;
import dev.llmcompiler.runtime.internal.Json;
import dev.llmcompiler.runtime.internal.SchemaSignatures;
import dev.llmcompiler.runtime.internal.ToolArguments;
import io.modelcontextprotocol.client.McpAsyncClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The tools of an MCP server as a {@link ToolSet}, to plan over them like over generated tool sets.
 *
 * <pre>{@code
 * McpSyncClient client = McpClient.sync(new StdioClientTransport(
 *     ServerParameters.builder("npx").args("-y", "@modelcontextprotocol/server-everything").build(),
 *     McpJsonDefaults.getMapper())).build();
 * client.initialize();
 * LlmCompiler compiler = LlmCompiler.builder()
 *     .llm(OpenAiLlm.fromEnv())
 *     .tools(McpToolSet.of(client), CalculatorTools.of(new Calculator()))
 *     .build();
 * }</pre>
 *
 * <p>The server's tools are listed once, when the set is made (make a new set after the server's
 * tools change). Each becomes a {@link ToolDescriptor}: its {@code inputSchema} as the parameters,
 * which the plan parser checks every planned call against; its {@code outputSchema} as the result
 * schema, or <code>{}</code> (any); a planner signature derived from those schemas, e.g. {@code
 * search(query: string, limit?: integer) -> any}; strict when the schema meets OpenAI's strict
 * rules; its effect from the tool's annotations: {@code readOnlyHint} is {@code READ_ONLY}, {@code
 * destructiveHint} {@code DESTRUCTIVE}, {@code idempotentHint} {@code IDEMPOTENT}, and a tool
 * without hints is {@code MUTATING}, so its calls are never repeated in a run and go to the
 * approver. A tool name with characters the planner cannot use (anything but letters, digits,
 * {@code _} and {@code -}) is offered with {@code _} in their place and called by its own name.
 *
 * <p>Results: the structured content when the server sends some; else the text: one text block as a
 * string, except that a text holding a JSON object or array is read as that JSON (so a plan can
 * reference its fields, {@code $1.price}); a number, {@code true} or other text stays a string,
 * since the tool said text. Several text blocks are joined with line breaks; content that is not
 * text (images, audio, resources) comes as the list of its MCP content objects. A tool error
 * ({@code isError}) becomes a {@link McpToolException} with the server's text; the task fails with
 * it, and the tasks that depend on it are skipped.
 *
 * <p>Calls run in parallel like any other tools. {@link McpSyncClient} is safe for concurrent calls
 * (each is its own JSON-RPC request, matched to its response by id) and blocks the runtime's tool
 * thread while it waits, a virtual thread on JDK 21+; {@link #of(McpAsyncClient)} holds no thread
 * while a call is out.
 */
public final class McpToolSet implements ToolSet {
  private static final Pattern PLANNER_NAME = Pattern.compile("[a-zA-Z0-9_-]{1,64}");
  private static final Pattern NOT_IN_NAMES = Pattern.compile("[^a-zA-Z0-9_-]");

  private final List<ToolDescriptor> tools;

  /** The server's own name of each tool, by the name the planner uses. */
  private final Map<String, String> serverNames;

  private final Function<CallToolRequest, CompletionStage<CallToolResult>> caller;

  private McpToolSet(
      List<McpSchema.Tool> listed,
      boolean async,
      Function<CallToolRequest, CompletionStage<CallToolResult>> caller) {
    List<ToolDescriptor> descriptors = new ArrayList<>();
    Map<String, String> names = new HashMap<>();
    for (McpSchema.Tool tool : listed) {
      String name = plannerName(tool.name());
      String earlier = names.putIfAbsent(name, tool.name());
      if (earlier != null) {
        throw new IllegalArgumentException(
            "The MCP tools '"
                + earlier
                + "' and '"
                + tool.name()
                + "' would both be"
                + " offered to the planner as '"
                + name
                + "'; a planner tool name has only letters, digits, '_' and '-'.");
      }
      descriptors.add(descriptor(name, tool, async));
    }
    this.tools = Collections.unmodifiableList(descriptors);
    this.serverNames = Map.copyOf(names);
    this.caller = caller;
  }

  /**
   * The tools of the server {@code client} is connected to; lists them now (initializing the client
   * if it is not yet). Calls block the runtime's tool thread until the server answers.
   *
   * @throws IllegalArgumentException if a tool's name cannot be offered to the planner
   */
  public static McpToolSet of(McpSyncClient client) {
    Objects.requireNonNull(client, "client");
    List<McpSchema.Tool> listed = new ArrayList<>();
    String cursor = McpSchema.FIRST_PAGE;
    do {
      McpSchema.ListToolsResult page = client.listTools(cursor);
      listed.addAll(page.tools());
      cursor = page.nextCursor();
    } while (cursor != null && !cursor.isEmpty());
    return new McpToolSet(
        listed, false, request -> CompletableFuture.completedFuture(client.callTool(request)));
  }

  /**
   * The tools of the server {@code client} is connected to; lists them now, blocking until the
   * server answers (do not call it on a Reactor non-blocking thread). Calls hold no thread while
   * they wait.
   *
   * @throws IllegalArgumentException if a tool's name cannot be offered to the planner
   */
  public static McpToolSet of(McpAsyncClient client) {
    Objects.requireNonNull(client, "client");
    List<McpSchema.Tool> listed = new ArrayList<>();
    String cursor = McpSchema.FIRST_PAGE;
    do {
      McpSchema.ListToolsResult page =
          Objects.requireNonNull(client.listTools(cursor).block(), "tools/list result");
      listed.addAll(page.tools());
      cursor = page.nextCursor();
    } while (cursor != null && !cursor.isEmpty());
    return new McpToolSet(listed, true, request -> client.callTool(request).toFuture());
  }

  @Override
  public List<ToolDescriptor> tools() {
    return tools;
  }

  /**
   * Calls the tool on the server. The stage completes with the result as JSON (see the class
   * description), or exceptionally with a {@link McpToolException} for a tool error, or with what
   * the client threw (an {@code McpError} for a protocol error, a timeout, a closed connection).
   */
  @Override
  public CompletionStage<JsonNode> invoke(String tool, ObjectNode arguments) {
    String serverName = serverNames.get(Objects.requireNonNull(tool, "tool"));
    if (serverName == null) {
      throw ToolArguments.unknownTool(tool, tools);
    }
    CallToolRequest request =
        CallToolRequest.builder(serverName).arguments(McpJson.arguments(arguments)).build();
    return caller.apply(request).thenApply(result -> result(tool, result));
  }

  @Override
  public String toString() {
    return "McpToolSet" + serverNames.keySet();
  }

  private static ToolDescriptor descriptor(String name, McpSchema.Tool tool, boolean async) {
    ObjectNode parameters = Json.object();
    if (tool.inputSchema() != null) {
      JsonNode schema = McpJson.toTree(tool.inputSchema());
      if (schema.isObject()) {
        parameters = (ObjectNode) schema;
      }
    }
    if (!parameters.has("type")) {
      parameters.put("type", "object");
    }
    JsonNode returns =
        tool.outputSchema() == null ? Json.object() : McpJson.toTree(tool.outputSchema());
    String description =
        tool.description() != null ? tool.description() : tool.title() != null ? tool.title() : "";
    return ToolDescriptor.builder()
        .name(name)
        .description(description)
        .parameters(parameters)
        .returns(returns)
        .signature(SchemaSignatures.signature(name, parameters, returns))
        .strict(SchemaSignatures.strictCompatible(parameters))
        .async(async)
        .effect(ToolHints.effect(tool.annotations()))
        .build();
  }

  private static String plannerName(String serverName) {
    String name = NOT_IN_NAMES.matcher(serverName).replaceAll("_");
    if (!PLANNER_NAME.matcher(name).matches() || name.equalsIgnoreCase("join")) {
      throw new IllegalArgumentException(
          "The MCP tool '"
              + serverName
              + "' cannot be offered to the planner: a"
              + " planner tool name has 1 to 64 letters, digits, '_' or '-', and is not 'join' (which ends a plan).");
    }
    return name;
  }

  static JsonNode result(String tool, CallToolResult result) {
    if (Boolean.TRUE.equals(result.isError())) {
      String text = texts(result.content());
      throw new McpToolException(
          tool,
          text == null || text.isBlank()
              ? "The MCP server reported an error of tool '" + tool + "' without a message."
              : text);
    }
    if (result.structuredContent() != null) {
      return McpJson.toTree(result.structuredContent());
    }
    List<McpSchema.Content> content = result.content() == null ? List.of() : result.content();
    if (content.isEmpty()) {
      return Json.NODES.nullNode();
    }
    String text = texts(content);
    if (text == null) {
      return McpJson.toTree(content);
    }
    String trimmed = text.strip();
    if (content.size() == 1 && (trimmed.startsWith("{") || trimmed.startsWith("["))) {
      try {
        return Json.parse(trimmed, "The tool's text");
      } catch (IllegalArgumentException notJson) {
        // Text that merely starts like JSON stays the text it is.
      }
    }
    return Json.NODES.textNode(text);
  }

  /** The texts of the content blocks joined by line breaks; {@code null} if a block is not text. */
  private static String texts(List<McpSchema.Content> content) {
    if (content == null) {
      return null;
    }
    StringJoiner joined = new StringJoiner("\n");
    for (McpSchema.Content block : content) {
      if (!(block instanceof McpSchema.TextContent text)) {
        return null;
      }
      joined.add(text.text());
    }
    return joined.toString();
  }
}
