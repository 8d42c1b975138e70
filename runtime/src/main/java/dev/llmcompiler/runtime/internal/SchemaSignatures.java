package dev.llmcompiler.runtime.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/**
 * What the annotation processor derives from Java types, derived here from JSON Schemas alone: the
 * planner's signature line and whether a parameters schema fits OpenAI's strict mode. For tools
 * that were not compiled by the processor, such as an MCP server's tools.
 *
 * <p>Signatures read like the processor's: {@code search(query: string, limit?: integer) -> any}. A
 * parameter is optional ({@code ?}) when it is not required or accepts {@code null}, as {@link
 * JsonSchemas} counts it; a string with a {@code format} shows the format ({@code date}, {@code
 * uuid}); arrays are {@code list[T]} ({@code set[T]} with {@code uniqueItems}); objects show their
 * fields, {@code map[string, T]} when they only have {@code additionalProperties}, else {@code
 * object}; {@code enum}s list their constants ({@code "EUR"|"USD"}); {@code anyOf}/{@code oneOf}
 * alternatives are joined with {@code |}; a {@code $ref} shows its definition's name and its fields
 * the first time ({@code Node{value: integer, next?: Node}}); a schema that says nothing is {@code
 * any}.
 *
 * <p>For the runtime's own modules only: no compatibility promise.
 */
public final class SchemaSignatures {
  private static final int MAX_DEPTH = 32;

  /** Keywords OpenAI's strict mode does not accept (or that this check cannot vouch for). */
  private static final Set<String> NOT_STRICT =
      Set.of(
          "allOf",
          "oneOf",
          "not",
          "if",
          "then",
          "else",
          "dependentRequired",
          "dependentSchemas",
          "patternProperties",
          "unevaluatedProperties",
          "unevaluatedItems",
          "propertyNames",
          "prefixItems",
          "contains");

  private SchemaSignatures() {}

  /**
   * The planner's line for a tool, e.g. {@code search(query: string, limit?: integer) -> any}.
   *
   * @param parameters the tool's parameters, an object schema
   * @param returns the result's schema; {@code null}, missing or <code>{}</code> reads {@code any}
   */
  public static String signature(String name, JsonNode parameters, JsonNode returns) {
    Set<String> shown = new HashSet<>();
    StringJoiner arguments = new StringJoiner(", ");
    JsonNode properties = JsonSchemas.resolve(parameters, parameters).path("properties");
    Set<String> required = required(JsonSchemas.resolve(parameters, parameters));
    for (Iterator<Map.Entry<String, JsonNode>> fields = properties.fields(); fields.hasNext(); ) {
      Map.Entry<String, JsonNode> field = fields.next();
      arguments.add(field(parameters, field.getKey(), field.getValue(), required, shown));
    }
    String result = returns == null ? "any" : type(returns, returns, false, shown, 0);
    return name + "(" + arguments + ") -> " + result;
  }

  /**
   * Whether a parameters schema fits OpenAI's strict structured outputs: an object at the root,
   * every object (nested and in {@code $defs}) closed with {@code "additionalProperties": false}
   * and listing all its properties in {@code required}, no map-like objects, and none of the
   * keywords strict mode rejects ({@code allOf}, {@code oneOf}, {@code not}, {@code
   * patternProperties}, ...).
   */
  public static boolean strictCompatible(JsonNode parameters) {
    if (parameters == null
        || !parameters.isObject()
        || !"object".equals(parameters.path("type").asText(null))) {
      return false;
    }
    for (JsonNode definition : parameters.path("$defs")) {
      if (!strict(parameters, definition, new HashSet<>(), 0)) {
        return false;
      }
    }
    return strict(parameters, parameters, new HashSet<>(), 0);
  }

  private static String field(
      JsonNode root, String name, JsonNode schema, Set<String> required, Set<String> shown) {
    boolean optional = !required.contains(name) || JsonSchemas.acceptsNull(root, schema);
    return name + (optional ? "?" : "") + ": " + type(root, schema, optional, shown, 1);
  }

  /**
   * The type of {@code schema} as a signature shows it.
   *
   * @param dropNull whether a {@code null} alternative goes unsaid, as for optional fields
   */
  private static String type(
      JsonNode root, JsonNode schema, boolean dropNull, Set<String> shown, int depth) {
    if (schema == null || !schema.isObject() || depth > MAX_DEPTH) {
      return "any";
    }
    JsonNode ref = schema.get("$ref");
    if (ref != null && ref.isTextual() && ref.textValue().startsWith("#")) {
      return reference(root, schema, ref.textValue(), dropNull, shown, depth);
    }
    List<String> parts = new ArrayList<>();
    boolean nullable = false;
    boolean union = false;
    for (String keyword : List.of("anyOf", "oneOf")) {
      for (JsonNode alternative : schema.path(keyword)) {
        union = true;
        if (isNullOnly(root, alternative)) {
          nullable = true;
        } else {
          nullable |= JsonSchemas.acceptsNull(root, alternative);
          parts.add(type(root, alternative, true, shown, depth + 1));
        }
      }
    }
    if (!union) {
      nullable = own(root, schema, parts, shown, depth);
    }
    Set<String> distinct = new LinkedHashSet<>(parts);
    String type = distinct.isEmpty() ? (nullable ? "null" : "any") : String.join(" | ", distinct);
    return nullable && !dropNull && !distinct.isEmpty() ? type + " | null" : type;
  }

  /**
   * Adds the types a schema without alternatives names to {@code parts}; whether it accepts null.
   */
  private static boolean own(
      JsonNode root, JsonNode schema, List<String> parts, Set<String> shown, int depth) {
    boolean nullable = false;
    JsonNode constants = schema.get("enum");
    if (constants != null && constants.isArray()) {
      StringJoiner named = new StringJoiner("|");
      for (JsonNode constant : constants) {
        if (constant.isNull()) {
          nullable = true;
        } else {
          named.add(constant.toString());
        }
      }
      if (named.length() > 0) {
        parts.add(named.toString());
      }
      return nullable;
    }
    if (schema.has("const")) {
      JsonNode constant = schema.get("const");
      if (constant.isNull()) {
        return true;
      }
      parts.add(constant.toString());
      return false;
    }
    List<String> names = new ArrayList<>();
    JsonNode type = schema.get("type");
    if (type != null && type.isTextual()) {
      names.add(type.textValue());
    } else if (type != null && type.isArray()) {
      type.forEach(name -> names.add(name.asText()));
    } else if (schema.has("properties") || schema.has("additionalProperties")) {
      names.add("object");
    } else if (schema.has("items")) {
      names.add("array");
    }
    for (String name : names) {
      switch (name) {
        case "null" -> nullable = true;
        case "string" ->
            parts.add(
                schema.path("format").isTextual() ? schema.get("format").textValue() : "string");
        case "array" ->
            parts.add(
                (schema.path("uniqueItems").asBoolean(false) ? "set[" : "list[")
                    + type(root, schema.get("items"), false, shown, depth + 1)
                    + "]");
        case "object" -> parts.add(object(root, schema, shown, depth));
        default -> parts.add(name);
      }
    }
    return nullable;
  }

  private static String object(JsonNode root, JsonNode schema, Set<String> shown, int depth) {
    JsonNode properties = schema.get("properties");
    if (properties != null && properties.isObject()) {
      Set<String> required = required(schema);
      StringJoiner fields = new StringJoiner(", ", "{", "}");
      for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        boolean optional =
            !required.contains(field.getKey()) || JsonSchemas.acceptsNull(root, field.getValue());
        fields.add(
            field.getKey()
                + (optional ? "?" : "")
                + ": "
                + type(root, field.getValue(), optional, shown, depth + 1));
      }
      return fields.toString();
    }
    JsonNode additional = schema.get("additionalProperties");
    if (additional != null && additional.isObject()) {
      return "map[string, " + type(root, additional, false, shown, depth + 1) + "]";
    }
    return "object";
  }

  private static String reference(
      JsonNode root, JsonNode schema, String ref, boolean dropNull, Set<String> shown, int depth) {
    JsonNode target = JsonSchemas.resolve(root, schema);
    if (!target.isObject()) {
      return "any";
    }
    String name = ref.substring(ref.lastIndexOf('/') + 1).replace("~1", "/").replace("~0", "~");
    boolean object = target.path("properties").isObject();
    if (!object) {
      return type(root, target, dropNull, shown, depth + 1);
    }
    // Shown once with its fields, then by name: a recursive definition cannot unfold forever.
    String type = shown.add(ref) ? name + object(root, target, shown, depth + 1) : name;
    return JsonSchemas.acceptsNull(root, target) && !dropNull ? type + " | null" : type;
  }

  private static boolean isNullOnly(JsonNode root, JsonNode schema) {
    JsonNode resolved = JsonSchemas.resolve(root, schema);
    return "null".equals(resolved.path("type").asText(null))
        && !resolved.has("anyOf")
        && !resolved.has("oneOf");
  }

  private static Set<String> required(JsonNode schema) {
    Set<String> required = new HashSet<>();
    for (JsonNode name : schema.path("required")) {
      required.add(name.asText());
    }
    return required;
  }

  private static boolean strict(JsonNode root, JsonNode schema, Set<String> visited, int depth) {
    if (!schema.isObject() || depth > MAX_DEPTH) {
      return false;
    }
    for (Iterator<String> keywords = schema.fieldNames(); keywords.hasNext(); ) {
      if (NOT_STRICT.contains(keywords.next())) {
        return false;
      }
    }
    JsonNode ref = schema.get("$ref");
    if (ref != null) {
      JsonNode target = JsonSchemas.resolve(root, schema);
      return ref.isTextual()
          && target.isObject()
          && (!visited.add(ref.textValue()) || strict(root, target, visited, depth + 1));
    }
    boolean object =
        schema.has("properties")
            || schema.has("additionalProperties")
            || "object".equals(schema.path("type").asText(null))
            || (schema.path("type").isArray()
                && schema.get("type").toString().contains("\"object\""));
    if (object) {
      JsonNode properties = schema.get("properties");
      JsonNode additional = schema.get("additionalProperties");
      if (properties == null
          || !properties.isObject()
          || additional == null
          || !additional.isBoolean()
          || additional.booleanValue()) {
        return false;
      }
      Set<String> required = required(schema);
      Set<String> names = new HashSet<>();
      properties.fieldNames().forEachRemaining(names::add);
      if (!required.equals(names)) {
        return false;
      }
      for (JsonNode property : properties) {
        if (!strict(root, property, visited, depth + 1)) {
          return false;
        }
      }
    }
    if (schema.has("items") && !strict(root, schema.get("items"), visited, depth + 1)) {
      return false;
    }
    for (JsonNode alternative : schema.path("anyOf")) {
      if (!strict(root, alternative, visited, depth + 1)) {
        return false;
      }
    }
    return true;
  }
}
