package dev.llmcompiler.runtime.internal.plan;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks a planned argument against its parameter's JSON Schema, at the top level only: {@code
 * type} (a name or a list of names), {@code enum}, and {@code anyOf}/{@code oneOf} alternatives
 * (how nullable parameters are usually written). References are not checked: their value is only
 * known when the referenced task has run. Keywords it does not know are accepted; the tool's own
 * argument decoding is the final check.
 */
final class ParameterSchema {

  private ParameterSchema() {}

  /**
   * Why {@code value} does not fit {@code schema}, as the end of "argument 'x' must be ...", e.g.
   * {@code an integer, but got 2.5 (a number)}; {@code null} if it fits or cannot be known yet.
   */
  static String mismatch(JsonNode schema, PlanValue value) {
    String kind = kindOf(value);
    if (kind == null) {
      return null;
    }
    JsonNode literal = value instanceof PlanValue.Literal l ? l.value() : null;
    if (accepts(schema, kind, literal)) {
      return null;
    }
    return describeExpected(schema) + ", but got " + describeActual(value, kind);
  }

  static boolean acceptsString(JsonNode schema) {
    return accepts(schema, "string", null);
  }

  static boolean acceptsObject(JsonNode schema) {
    return accepts(schema, "object", null);
  }

  /** The JSON type of a planned value, or {@code null} for a reference, whose type is not known yet. */
  private static String kindOf(PlanValue value) {
    if (value instanceof PlanValue.Literal literal) {
      JsonNode node = literal.value();
      if (node.isNumber()) {
        return "number";
      }
      if (node.isTextual()) {
        return "string";
      }
      if (node.isBoolean()) {
        return "boolean";
      }
      if (node.isArray()) {
        return "array";
      }
      if (node.isObject()) {
        return "object";
      }
      return "null";
    }
    if (value instanceof PlanValue.Template) {
      return "string";
    }
    if (value instanceof PlanValue.ListValue) {
      return "array";
    }
    if (value instanceof PlanValue.ObjectValue) {
      return "object";
    }
    return null;
  }

  /** Whether a value of JSON type {@code kind} (and, when known, literal value) fits the schema. */
  private static boolean accepts(JsonNode schema, String kind, JsonNode literal) {
    if (schema == null || !schema.isObject()) {
      return true;
    }
    JsonNode type = schema.get("type");
    if (type != null && !typeAccepts(type, kind, literal)) {
      return false;
    }
    for (String union : List.of("anyOf", "oneOf")) {
      JsonNode alternatives = schema.get(union);
      if (alternatives != null && alternatives.isArray() && alternatives.size() > 0) {
        boolean any = false;
        for (JsonNode alternative : alternatives) {
          any |= accepts(alternative, kind, literal);
        }
        if (!any) {
          return false;
        }
      }
    }
    JsonNode allowed = schema.get("enum");
    if (allowed != null && allowed.isArray() && literal != null) {
      boolean any = false;
      for (JsonNode option : allowed) {
        any |= sameValue(option, literal);
      }
      return any;
    }
    return true;
  }

  private static boolean typeAccepts(JsonNode type, String kind, JsonNode literal) {
    if (type.isTextual()) {
      return typeNameAccepts(type.asText(), kind, literal);
    }
    if (type.isArray()) {
      for (JsonNode name : type) {
        if (typeNameAccepts(name.asText(), kind, literal)) {
          return true;
        }
      }
      return false;
    }
    return true;
  }

  private static boolean typeNameAccepts(String name, String kind, JsonNode literal) {
    if (name.equals("integer")) {
      // JSON Schema counts 2.0 as an integer; 2.5 is not one.
      return kind.equals("number") && (literal == null || literal.isIntegralNumber()
          || (literal.isFloatingPointNumber() && literal.doubleValue() == Math.rint(literal.doubleValue())));
    }
    return name.equals(kind);
  }

  private static boolean sameValue(JsonNode a, JsonNode b) {
    if (a.isNumber() && b.isNumber()) {
      return a.decimalValue().compareTo(b.decimalValue()) == 0;
    }
    return a.equals(b);
  }

  /** "an integer", "a string or null", "one of "USD", "EUR"". */
  private static String describeExpected(JsonNode schema) {
    JsonNode allowed = schema.get("enum");
    if (allowed != null && allowed.isArray()) {
      List<String> options = new ArrayList<>();
      allowed.forEach(option -> options.add(option.toString()));
      return "one of " + String.join(", ", options);
    }
    Set<String> kinds = new LinkedHashSet<>();
    collectExpected(schema, kinds);
    return kinds.isEmpty() ? "a valid value" : String.join(" or ", kinds);
  }

  private static void collectExpected(JsonNode schema, Set<String> kinds) {
    if (schema == null || !schema.isObject()) {
      return;
    }
    JsonNode allowed = schema.get("enum");
    if (allowed != null && allowed.isArray()) {
      List<String> options = new ArrayList<>();
      allowed.forEach(option -> options.add(option.toString()));
      kinds.add("one of " + String.join(", ", options));
      return;
    }
    JsonNode type = schema.get("type");
    if (type != null && type.isTextual()) {
      kinds.add(article(type.asText()));
    } else if (type != null && type.isArray()) {
      type.forEach(name -> kinds.add(article(name.asText())));
    }
    for (String union : List.of("anyOf", "oneOf")) {
      JsonNode alternatives = schema.get(union);
      if (alternatives != null && alternatives.isArray()) {
        alternatives.forEach(alternative -> collectExpected(alternative, kinds));
      }
    }
  }

  private static String describeActual(PlanValue value, String kind) {
    String text = value.toPlanText();
    if (text.length() > 60) {
      text = text.substring(0, 57) + "...";
    }
    return kind.equals("null") ? "null" : text + " (" + article(kind) + ")";
  }

  private static String article(String kind) {
    switch (kind) {
      case "integer":
        return "an integer";
      case "array":
        return "a list";
      case "object":
        return "an object";
      case "null":
        return "null";
      default:
        return "a " + kind;
    }
  }
}
