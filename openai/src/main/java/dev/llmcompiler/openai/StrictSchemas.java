package dev.llmcompiler.openai;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Whether a JSON Schema qualifies for OpenAI's strict structured outputs, so a response format can
 * ask for {@code strict: true} only where OpenAI would accept it (it rejects the whole request
 * otherwise): the root is an object, not an {@code anyOf}; every object lists all its properties as
 * required and sets {@code additionalProperties: false}; no keyword strict mode lacks ({@code
 * oneOf}, {@code allOf}, {@code not}, conditionals, {@code patternProperties}, ...); at most 10
 * levels of nested objects and 5000 properties.
 */
final class StrictSchemas {
  private static final Set<String> UNSUPPORTED =
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
          "propertyNames",
          "minProperties",
          "maxProperties");
  private static final int MAX_OBJECT_DEPTH = 10;
  private static final int MAX_PROPERTIES = 5000;

  private StrictSchemas() {}

  static boolean qualifies(JsonNode schema) {
    if (!schema.isObject()
        || !"object".equals(schema.path("type").asText())
        || schema.has("anyOf")) {
      return false;
    }
    int[] properties = {0};
    return fits(schema, 0, properties) && properties[0] <= MAX_PROPERTIES;
  }

  private static boolean fits(JsonNode schema, int objectDepth, int[] properties) {
    if (!schema.isObject()) {
      return schema.isBoolean() ? schema.asBoolean() : false;
    }
    for (Iterator<String> names = schema.fieldNames(); names.hasNext(); ) {
      if (UNSUPPORTED.contains(names.next())) {
        return false;
      }
    }
    int depth = objectDepth;
    if (schema.has("properties") || isObjectType(schema.get("type"))) {
      depth++;
      if (depth > MAX_OBJECT_DEPTH
          || !schema.path("additionalProperties").isBoolean()
          || schema.get("additionalProperties").asBoolean()) {
        return false;
      }
      Set<String> declared = new HashSet<>();
      schema.path("properties").fieldNames().forEachRemaining(declared::add);
      Set<String> required = new HashSet<>();
      schema.path("required").forEach(name -> required.add(name.asText()));
      if (!declared.equals(required)) {
        return false;
      }
      properties[0] += declared.size();
      for (Iterator<Map.Entry<String, JsonNode>> it = schema.path("properties").fields();
          it.hasNext(); ) {
        if (!fits(it.next().getValue(), depth, properties)) {
          return false;
        }
      }
    }
    if (schema.has("items") && !fits(schema.get("items"), depth, properties)) {
      return false;
    }
    for (JsonNode alternative : schema.path("anyOf")) {
      if (!fits(alternative, depth, properties)) {
        return false;
      }
    }
    for (String definitions : new String[] {"$defs", "definitions"}) {
      for (Iterator<Map.Entry<String, JsonNode>> it = schema.path(definitions).fields();
          it.hasNext(); ) {
        if (!fits(it.next().getValue(), 0, properties)) {
          return false;
        }
      }
    }
    return true;
  }

  private static boolean isObjectType(JsonNode type) {
    if (type == null) {
      return false;
    }
    if (type.isTextual()) {
      return type.asText().equals("object");
    }
    for (JsonNode name : type) {
      if (name.asText().equals("object")) {
        return true;
      }
    }
    return false;
  }
}
