package dev.llmcompiler.runtime.internal.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmcompiler.runtime.ToolDescriptor;
import dev.llmcompiler.runtime.internal.Json;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;

/**
 * The JSON Schema of a JSON plan for a set of tools, {@code {"tasks":[{"id":1,"tool":"search",
 * "args":{...}}, ..., {"id":N,"tool":"join","args":{}}]}}: each task matches one branch of an
 * {@code anyOf}, one per tool with its {@code tool} as a {@code const} and that tool's parameters
 * schema for {@code args}, plus a branch for {@code join} and one for a join with a direct answer,
 * {@code {"id":N,"tool":"join","args":{"answer":"The ratio is ${3}"}}}. Any argument may instead be
 * a reference string ({@link #REFERENCE_PATTERN}).
 *
 * <p>Built once per tool set; the same tools in the same order give the same schema, byte for byte
 * (fields are written in a fixed order, so provider caches of compiled grammars hit). The schema
 * keeps OpenAI's strict-mode shape (every object closed, every property required) wherever the
 * tools' own parameter schemas have it. A tool schema's {@code $defs} move to the plan schema's
 * {@code $defs} as {@code <tool>.<name>}, and its {@code $ref}s are rewritten to match.
 */
public final class PlanSchema {

  /**
   * A reference as a whole value: {@code $2}, {@code $2.price}, {@code $2.items[0]}, {@code ${2}},
   * {@code ${2.items[0].name}}. Every step starts with a character no earlier part can take, so a
   * matcher never backtracks.
   */
  public static final String REFERENCE_PATTERN =
      "^\\$([1-9][0-9]{0,8}(\\.[A-Za-z_][A-Za-z0-9_]*|\\[[0-9]{1,9}\\])*"
          + "|\\{[1-9][0-9]{0,8}(\\.[A-Za-z0-9_-]+|\\[[0-9]{1,9}\\])*\\})$";

  private static final String REFERENCE_DEF = "reference";

  private PlanSchema() {}

  /** The plan schema for these tools, in their order, with direct answers. */
  public static ObjectNode of(Collection<ToolDescriptor> tools) {
    return of(tools, true);
  }

  /**
   * The plan schema for these tools, in their order.
   *
   * @param directAnswers whether a second {@code join} branch takes a direct answer, {@code
   *     "args":{"answer":"..."}} (the first, {@code "args":{}}, is always there)
   */
  public static ObjectNode of(Collection<ToolDescriptor> tools, boolean directAnswers) {
    ObjectNode defs = Json.object();
    defs.set(
        REFERENCE_DEF,
        Json.object()
            .put("type", "string")
            .put(
                "description",
                "The result of an earlier task: $<id>, or ${<id>.field} for a part of it.")
            .put("pattern", REFERENCE_PATTERN));
    ArrayNode branches = Json.NODES.arrayNode();
    for (ToolDescriptor tool : tools) {
      branches.add(branch(tool.name(), arguments(tool, defs)));
    }
    branches.add(
        branch(
            "join",
            Json.object()
                .put("type", "object")
                .<ObjectNode>set("properties", Json.object())
                .<ObjectNode>set("required", Json.NODES.arrayNode())
                .put("additionalProperties", false)));
    if (directAnswers) {
      // A branch of its own rather than an optional property: strict mode requires every property.
      ObjectNode answer = Json.object().put("type", "object");
      answer
          .putObject("properties")
          .putObject("answer")
          .put("type", "string")
          .put(
              "description",
              "The final answer, with ${<id>} for a result, when it needs no judgment.");
      answer.putArray("required").add("answer");
      answer.put("additionalProperties", false);
      branches.add(branch("join", answer));
    }

    ObjectNode schema = Json.object().put("type", "object");
    ObjectNode tasks =
        schema
            .putObject("properties")
            .putObject("tasks")
            .put("type", "array")
            .put("description", "The tasks in order; the last one is join.");
    tasks.putObject("items").set("anyOf", branches);
    schema.putArray("required").add("tasks");
    schema.put("additionalProperties", false);
    schema.set("$defs", defs);
    return schema;
  }

  private static ObjectNode branch(String tool, ObjectNode arguments) {
    ObjectNode branch = Json.object().put("type", "object");
    ObjectNode properties = branch.putObject("properties");
    properties.putObject("id").put("type", "integer");
    properties.putObject("tool").put("type", "string").put("const", tool);
    properties.set("args", arguments);
    branch.putArray("required").add("id").add("tool").add("args");
    branch.put("additionalProperties", false);
    return branch;
  }

  /**
   * The tool's parameters schema, each parameter also taking a reference, its definitions moved to
   * {@code defs}.
   */
  private static ObjectNode arguments(ToolDescriptor tool, ObjectNode defs) {
    ObjectNode parameters = tool.parameters().deepCopy();
    boolean[] pointsIntoRoot = new boolean[1];
    for (String key : new String[] {"$defs", "definitions"}) {
      JsonNode own = parameters.remove(key);
      if (own != null) {
        for (Iterator<Map.Entry<String, JsonNode>> it = own.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> def = it.next();
          defs.set(
              tool.name() + "." + def.getKey(),
              rewriteReferences(def.getValue().deepCopy(), tool.name(), pointsIntoRoot));
        }
      }
    }
    rewriteReferences(parameters, tool.name(), pointsIntoRoot);
    if (pointsIntoRoot[0]) {
      // A $ref into the parameters object itself ("#" or "#/properties/..."): keep it reachable.
      defs.set(tool.name(), parameters.deepCopy());
    }
    JsonNode properties = parameters.get("properties");
    if (properties instanceof ObjectNode fields) {
      for (Iterator<Map.Entry<String, JsonNode>> it = fields.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        ObjectNode either = Json.object();
        either
            .putArray("anyOf")
            .add(field.getValue())
            .add(Json.object().put("$ref", "#/$defs/" + REFERENCE_DEF));
        field.setValue(either);
      }
    } else {
      parameters.set("properties", Json.object());
    }
    return parameters;
  }

  /**
   * Rewrites the local {@code $ref}s of a tool's schema to where its parts are in the plan schema.
   */
  private static JsonNode rewriteReferences(JsonNode node, String tool, boolean[] pointsIntoRoot) {
    if (node instanceof ObjectNode object) {
      JsonNode ref = object.get("$ref");
      if (ref != null && ref.isTextual() && ref.asText().startsWith("#")) {
        object.put("$ref", rewrite(ref.asText(), tool, pointsIntoRoot));
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        if (!field.getKey().equals("$ref")) {
          rewriteReferences(field.getValue(), tool, pointsIntoRoot);
        }
      }
    } else if (node instanceof ArrayNode array) {
      array.forEach(element -> rewriteReferences(element, tool, pointsIntoRoot));
    }
    return node;
  }

  private static String rewrite(String ref, String tool, boolean[] pointsIntoRoot) {
    for (String prefix : new String[] {"#/$defs/", "#/definitions/"}) {
      if (ref.startsWith(prefix)) {
        return "#/$defs/" + tool + "." + ref.substring(prefix.length());
      }
    }
    pointsIntoRoot[0] = true;
    return "#/$defs/" + tool + ref.substring(1);
  }
}
