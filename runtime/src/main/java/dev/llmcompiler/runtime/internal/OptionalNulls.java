package dev.llmcompiler.runtime.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Leaves out the {@code null} fields a schema lets be absent but not {@code null}.
 *
 * <p>A tool's result encodes an empty optional record component as {@code "unit": null}, while the
 * catalog's result schema says {@code unit} is an optional string: not required, not nullable. The
 * runtime reads such a {@code null} as absent ({@link JsonSchemas#problems}); a strict JSON Schema
 * validator, such as an MCP client checking structured content against the tool's output schema,
 * does not. Dropping those fields makes the value say the same thing in a form every validator
 * accepts.
 *
 * <pre>{@code
 * OptionalNulls.drop(schema, {"found": false, "title": "x", "value": null})  // {"found": false, "title": "x"}
 * }</pre>
 *
 * <p>For the runtime's own modules only: no compatibility promise.
 */
public final class OptionalNulls {
  private static final int MAX_DEPTH = 64;

  private OptionalNulls() {}

  /**
   * {@code value} without the {@code null} fields that {@code schema} declares, does not require
   * and does not let be {@code null}, at any depth: a copy for objects and arrays (the given node
   * is never modified), {@code value} itself otherwise.
   */
  public static JsonNode drop(JsonNode schema, JsonNode value) {
    if (value == null || !(value.isObject() || value.isArray())) {
      return value;
    }
    JsonNode copy = value.deepCopy();
    dropIn(schema, schema, copy, 0);
    return copy;
  }

  private static void dropIn(JsonNode root, JsonNode schema, JsonNode value, int depth) {
    if (depth > MAX_DEPTH) {
      return;
    }
    JsonNode s = JsonSchemas.branch(root, schema, value);
    if (value.isObject()) {
      JsonNode properties = s.path("properties");
      Set<String> required = required(s);
      List<String> absent = new ArrayList<>();
      for (var fields = value.fields(); fields.hasNext(); ) {
        var field = fields.next();
        JsonNode fieldSchema = properties.get(field.getKey());
        if (fieldSchema == null) {
          continue;
        }
        if (field.getValue().isNull()) {
          if (droppable(root, field.getKey(), fieldSchema, required)) {
            absent.add(field.getKey());
          }
        } else {
          dropIn(root, fieldSchema, field.getValue(), depth + 1);
        }
      }
      ((ObjectNode) value).remove(absent);
    } else if (value.isArray() && s.path("items").isObject()) {
      for (JsonNode element : value) {
        dropIn(root, s.get("items"), element, depth + 1);
      }
    }
  }

  private static boolean droppable(
      JsonNode root, String field, JsonNode fieldSchema, Set<String> required) {
    return !required.contains(field) && !JsonSchemas.acceptsNull(root, fieldSchema);
  }

  private static Set<String> required(JsonNode schema) {
    Set<String> required = new HashSet<>();
    for (JsonNode name : schema.path("required")) {
      required.add(name.asText());
    }
    return required;
  }
}
