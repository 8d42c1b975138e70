package dev.llmcompiler.runtime;

import dev.llmcompiler.runtime.internal.Json;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The shape a structured final answer must have: a Java type (usually a record) and its JSON
 * Schema. Pass it to {@link LlmCompiler#run(String, AnswerFormat)}: the joiner is asked to finish
 * with JSON matching the schema, and the answer is checked (required fields present and not null,
 * JSON types and enum values as the schema says) and bound to the type with the same Jackson
 * settings as tool arguments. An answer that fails is sent back to the joiner once, with the
 * problem; a second failure ends the run with {@link RunOutcome#INVALID_ANSWER}.
 *
 * <pre>{@code
 * record Comparison(String larger, double differenceBillions) {}
 *
 * AnswerFormat<Comparison> format = AnswerFormat.of(Comparison.class,
 *     "{\"type\":\"object\",\"properties\":{\"larger\":{\"type\":\"string\"},"
 *         + "\"differenceBillions\":{\"type\":\"number\"}},"
 *         + "\"required\":[\"larger\",\"differenceBillions\"],\"additionalProperties\":false}");
 * Comparison answer = compiler.run("Is Apple worth more than Microsoft?", format).value();
 * }</pre>
 *
 * <p>{@code @Agent} implementations build their formats from schemas the annotation processor
 * wrote at build time. Instances are immutable and thread-safe.
 *
 * @param <T> the type the answer is bound to
 */
public final class AnswerFormat<T> {
  private final Class<T> type;
  private final ObjectNode schema;
  private final String schemaText;
  private final String description;

  private AnswerFormat(Class<T> type, ObjectNode schema, String description) {
    this.type = type;
    this.schema = schema;
    this.schemaText = Json.write(schema, false);
    this.description = description;
  }

  /**
   * A format for {@code type} with the given JSON Schema; errors name it by the type's name.
   *
   * @throws IllegalArgumentException if {@code jsonSchema} is not a JSON object
   */
  public static <T> AnswerFormat<T> of(Class<T> type, String jsonSchema) {
    return of(type, jsonSchema, Objects.requireNonNull(type, "type").getName());
  }

  /**
   * A format for {@code type} with the given JSON Schema; {@code description} names what asks for
   * it in error messages, e.g. {@code "MarketAgent.compare(String, String), record Comparison"}.
   *
   * @throws IllegalArgumentException if {@code jsonSchema} is not a JSON object
   */
  public static <T> AnswerFormat<T> of(Class<T> type, String jsonSchema, String description) {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(description, "description");
    JsonNode schema = Json.parse(Objects.requireNonNull(jsonSchema, "jsonSchema"), "The answer schema");
    if (!schema.isObject()) {
      throw new IllegalArgumentException("The answer schema must be a JSON object (a JSON Schema), got: " + jsonSchema);
    }
    return new AnswerFormat<>(type, (ObjectNode) schema, description);
  }

  /** The type answers are bound to. */
  public Class<T> type() {
    return type;
  }

  /** The JSON Schema answers must match; do not modify it. */
  public JsonNode schema() {
    return schema;
  }

  /** What asks for this format, as error messages name it. */
  public String description() {
    return description;
  }

  /** The schema as compact JSON text, as the joiner sees it. */
  String schemaText() {
    return schemaText;
  }

  /** An answer read against this format: either its JSON and value, or the problem. */
  record Reading<T>(String json, T value, String problem) {}

  /** Reads {@code text} (JSON, possibly in a markdown fence or with prose around it). */
  Reading<T> read(String text) {
    String candidate = jsonPart(text);
    JsonNode node;
    try {
      node = Json.readLeading(candidate);
    } catch (JsonProcessingException e) {
      return new Reading<>(null, null, "it is not valid JSON (" + e.getOriginalMessage() + ")");
    }
    if (node == null || node.isMissingNode()) {
      return new Reading<>(null, null, "it is empty; write the JSON value");
    }
    List<String> problems = new ArrayList<>();
    check(schema, node, "$", problems, 0);
    if (!problems.isEmpty()) {
      return new Reading<>(null, null, String.join("; ", problems.subList(0, Math.min(5, problems.size()))));
    }
    try {
      T value = Json.MAPPER.treeToValue(node, type);
      return new Reading<>(Json.write(node, false), value, null);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      String message = e instanceof JsonProcessingException json ? json.getOriginalMessage() : e.getMessage();
      return new Reading<>(null, null, "it does not fit " + type.getSimpleName() + " (" + message + ")");
    }
  }

  /** The JSON in a reply: without a markdown fence, and from its first bracket to its last. */
  private static String jsonPart(String text) {
    String stripped = text.strip();
    if (stripped.startsWith("```")) {
      int firstBreak = stripped.indexOf('\n');
      int fenceEnd = stripped.lastIndexOf("```");
      if (firstBreak > 0 && fenceEnd > firstBreak) {
        stripped = stripped.substring(firstBreak + 1, fenceEnd).strip();
      }
    }
    if (stripped.isEmpty() || stripped.charAt(0) == '{' || stripped.charAt(0) == '[' || stripped.charAt(0) == '"') {
      return stripped;
    }
    int object = stripped.indexOf('{');
    int end = stripped.lastIndexOf('}');
    return object >= 0 && end > object ? stripped.substring(object, end + 1) : stripped;
  }

  /** Collects where {@code node} breaks {@code rule}: required fields, JSON types, enum values. */
  private void check(JsonNode rule, JsonNode node, String path, List<String> problems, int depth) {
    if (depth > 64) {
      return;
    }
    JsonNode ref = rule.get("$ref");
    if (ref != null && ref.isTextual() && ref.asText().startsWith("#/$defs/")) {
      JsonNode target = schema.path("$defs").path(ref.asText().substring("#/$defs/".length()));
      if (!target.isMissingNode()) {
        check(target, node, path, problems, depth + 1);
      }
      return;
    }
    JsonNode anyOf = rule.get("anyOf");
    if (anyOf != null && anyOf.isArray()) {
      if (node.isNull() && allowsNull(anyOf)) {
        return;
      }
      for (JsonNode alternative : anyOf) {
        if (!"null".equals(alternative.path("type").asText())) {
          check(alternative, node, path, problems, depth + 1);
          return;
        }
      }
      return;
    }
    List<String> allowed = new ArrayList<>();
    JsonNode type = rule.get("type");
    if (type != null && type.isTextual()) {
      allowed.add(type.asText());
    } else if (type != null && type.isArray()) {
      type.forEach(t -> allowed.add(t.asText()));
    }
    if (!allowed.isEmpty() && allowed.stream().noneMatch(t -> hasType(node, t))) {
      problems.add(path + " must be " + String.join(" or ", allowed) + ", but is " + describe(node));
      return;
    }
    JsonNode constants = rule.get("enum");
    if (constants != null && constants.isArray() && !node.isNull()) {
      boolean known = false;
      for (JsonNode constant : constants) {
        known |= constant.equals(node);
      }
      if (!known) {
        problems.add(path + " must be one of " + constants + ", but is " + node);
      }
    }
    if (node.isObject()) {
      JsonNode properties = rule.path("properties");
      for (JsonNode required : rule.path("required")) {
        String name = required.asText();
        JsonNode value = node.get(name);
        if (value == null || (value.isNull() && !acceptsNull(properties.path(name)))) {
          problems.add("required field " + path + "." + name + " is " + (value == null ? "missing" : "null"));
        }
      }
      for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
        Map.Entry<String, JsonNode> field = fields.next();
        JsonNode property = properties.get(field.getKey());
        if (property != null) {
          check(property, field.getValue(), path + "." + field.getKey(), problems, depth + 1);
        } else if (rule.path("additionalProperties").isBoolean() && !rule.path("additionalProperties").asBoolean()) {
          problems.add(path + " has the unknown field \"" + field.getKey() + "\"; the fields are "
              + fieldNames(properties));
        } else if (rule.path("additionalProperties").isObject()) {
          check(rule.get("additionalProperties"), field.getValue(), path + "." + field.getKey(), problems, depth + 1);
        }
      }
    } else if (node.isArray() && rule.has("items")) {
      for (int i = 0; i < node.size(); i++) {
        check(rule.get("items"), node.get(i), path + "[" + i + "]", problems, depth + 1);
      }
    }
  }

  private static boolean allowsNull(JsonNode alternatives) {
    for (JsonNode alternative : alternatives) {
      if ("null".equals(alternative.path("type").asText())) {
        return true;
      }
    }
    return false;
  }

  private static boolean acceptsNull(JsonNode property) {
    JsonNode type = property.path("type");
    if (type.isArray()) {
      for (JsonNode t : type) {
        if (t.asText().equals("null")) {
          return true;
        }
      }
    }
    return type.asText().equals("null") || allowsNull(property.path("anyOf"));
  }

  private static boolean hasType(JsonNode node, String type) {
    return switch (type) {
      case "object" -> node.isObject();
      case "array" -> node.isArray();
      case "string" -> node.isTextual();
      case "integer" -> node.isIntegralNumber() || (node.isNumber() && node.asDouble() == Math.rint(node.asDouble()));
      case "number" -> node.isNumber();
      case "boolean" -> node.isBoolean();
      case "null" -> node.isNull();
      default -> true;
    };
  }

  private static String describe(JsonNode node) {
    String kind = node.isObject() ? "an object" : node.isArray() ? "an array" : node.isTextual() ? "a string"
        : node.isNumber() ? "a number" : node.isBoolean() ? "a boolean" : "null";
    String shown = node.toString();
    return kind + (node.isNull() ? "" : " " + (shown.length() > 60 ? shown.substring(0, 57) + "..." : shown));
  }

  private static String fieldNames(JsonNode properties) {
    List<String> names = new ArrayList<>();
    properties.fieldNames().forEachRemaining(names::add);
    return String.join(", ", names);
  }

  @Override
  public String toString() {
    return "AnswerFormat[" + description + "]";
  }
}
