package dev.llmcompiler.runtime.internal.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmcompiler.runtime.ToolDescriptor;
import dev.llmcompiler.runtime.internal.JsonSchemas;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps a call's written arguments to the tool's parameters (positional ones in declaration order)
 * and checks them against the parameters' JSON Schema before anything runs: count, names,
 * duplicates, required ones, and the top-level type and {@code enum} of literal values, in the
 * words the tool's decoding uses when it is called ({@link JsonSchemas}).
 */
final class ArgumentBinder {

  /**
   * The outcome for one call.
   *
   * @param arguments the arguments by parameter name, in parameter order; empty if {@code error} is
   *     set
   * @param error why the arguments do not fit the tool, written for the LLM, or {@code null}
   */
  record Bound(Map<String, PlanValue> arguments, String error) {}

  private ArgumentBinder() {}

  static Bound bind(ToolDescriptor tool, List<TaskLineParser.Argument> written) {
    List<String> names = tool.parameterNames();
    List<TaskLineParser.Argument> arguments = unpackKeywordObject(tool, written);
    Map<String, PlanValue> given = new HashMap<>();
    Map<String, Integer> columns = new HashMap<>();
    int positional = countPositional(arguments);
    int nextPosition = 0;
    boolean namedSeen = false;
    for (TaskLineParser.Argument argument : arguments) {
      String name;
      if (argument.name() == null) {
        if (namedSeen) {
          return failure(
              "positional argument"
                  + at(argument.column())
                  + " comes after a named argument; put positional arguments first, or name them all. "
                  + callAs(tool));
        }
        if (nextPosition >= names.size()) {
          return failure(
              tool.name()
                  + " takes "
                  + describeCount(names)
                  + ", but "
                  + positional
                  + (positional == 1 ? " was" : " were")
                  + " given. "
                  + callAs(tool));
        }
        name = names.get(nextPosition++);
      } else {
        namedSeen = true;
        name = argument.name();
        if (!names.contains(name)) {
          return failure(unknownParameter(tool, name, argument.column()));
        }
      }
      Integer earlier = columns.putIfAbsent(name, argument.column());
      if (earlier != null) {
        return failure(
            "argument '"
                + name
                + "' of "
                + tool.name()
                + " is given twice, at columns "
                + earlier
                + " and "
                + argument.column()
                + "; give each argument once. "
                + callAs(tool));
      }
      given.put(name, argument.value());
    }
    List<String> missing = new ArrayList<>();
    for (String required : tool.requiredParameters()) {
      if (!given.containsKey(required)) {
        missing.add("'" + required + "'");
      }
    }
    if (!missing.isEmpty()) {
      return failure(
          "missing required argument"
              + (missing.size() == 1 ? " " : "s ")
              + String.join(", ", missing)
              + " of "
              + tool.name()
              + ". "
              + callAs(tool));
    }
    JsonNode properties = tool.parameters().path("properties");
    Map<String, PlanValue> bound = new LinkedHashMap<>();
    for (String name : names) {
      PlanValue value = given.get(name);
      if (value == null) {
        continue;
      }
      JsonNode schema = properties.path(name);
      value = referenceForTypedParameter(tool, schema, value);
      String mismatch = mismatch(tool, name, schema, value);
      if (mismatch != null) {
        return failure(
            "argument '" + name + "' of " + tool.name() + " " + mismatch + ". " + callAs(tool));
      }
      bound.put(name, value);
    }
    return new Bound(bound, null);
  }

  /**
   * Why a planned value does not fit its parameter's schema at the top level, in the words of
   * {@link JsonSchemas} ({@code must be an integer, but got 2.5 (a number)}), or {@code null} if it
   * fits or cannot be known yet: a reference's value is only known when its task has run, and the
   * tool's own decoding checks inside lists and objects. A {@code null} for a parameter that is not
   * required counts as absent, as it does when the tool is called.
   */
  private static String mismatch(
      ToolDescriptor tool, String name, JsonNode schema, PlanValue value) {
    JsonNode root = tool.parameters();
    if (value instanceof PlanValue.Literal literal) {
      JsonNode node = literal.value();
      if (node.isNull()
          ? !tool.requiredParameters().contains(name)
          : JsonSchemas.fits(root, schema, node)) {
        return null;
      }
      return JsonSchemas.mustBe(JsonSchemas.describe(root, schema), JsonSchemas.show(node));
    }
    String type =
        value instanceof PlanValue.Template
            ? "string"
            : value instanceof PlanValue.ListValue
                ? "array"
                : value instanceof PlanValue.ObjectValue ? "object" : null;
    if (type == null || JsonSchemas.acceptsType(root, schema, type)) {
      return null;
    }
    return JsonSchemas.mustBe(
        JsonSchemas.describe(root, schema), JsonSchemas.show(value.toPlanText(), type));
  }

  /**
   * {@code "$1"} for a parameter that takes no text passes the result itself: rendered as text it
   * could only fail the parameter's type, and the planner clearly meant the value.
   */
  private static PlanValue referenceForTypedParameter(
      ToolDescriptor tool, JsonNode schema, PlanValue value) {
    if (value instanceof PlanValue.Template template
        && template.parts().size() == 1
        && template.parts().get(0) instanceof PlanValue.Reference reference
        && !JsonSchemas.acceptsType(tool.parameters(), schema, "string")) {
      return reference;
    }
    return value;
  }

  /**
   * Planners sometimes pass all arguments as one object, {@code search({"query": "x"})}. That is
   * taken as named arguments when every key is a parameter name and the first parameter does not
   * itself take an object.
   */
  private static List<TaskLineParser.Argument> unpackKeywordObject(
      ToolDescriptor tool, List<TaskLineParser.Argument> arguments) {
    if (arguments.size() != 1
        || arguments.get(0).name() != null
        || tool.parameterNames().isEmpty()) {
      return arguments;
    }
    TaskLineParser.Argument only = arguments.get(0);
    JsonNode firstSchema = tool.parameters().path("properties").path(tool.parameterNames().get(0));
    if (JsonSchemas.acceptsType(tool.parameters(), firstSchema, "object")) {
      return arguments;
    }
    Map<String, PlanValue> fields = new LinkedHashMap<>();
    if (only.value() instanceof PlanValue.ObjectValue object) {
      fields.putAll(object.fields());
    } else if (only.value() instanceof PlanValue.Literal literal
        && literal.value() instanceof ObjectNode node) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        fields.put(field.getKey(), new PlanValue.Literal(field.getValue()));
      }
    } else {
      return arguments;
    }
    if (fields.isEmpty() || !tool.parameterNames().containsAll(fields.keySet())) {
      return arguments;
    }
    List<TaskLineParser.Argument> named = new ArrayList<>();
    fields.forEach(
        (name, value) -> named.add(new TaskLineParser.Argument(name, value, only.column())));
    return named;
  }

  private static int countPositional(List<TaskLineParser.Argument> arguments) {
    int count = 0;
    for (TaskLineParser.Argument argument : arguments) {
      if (argument.name() == null) {
        count++;
      }
    }
    return count;
  }

  private static String describeCount(List<String> names) {
    if (names.isEmpty()) {
      return "no arguments";
    }
    return names.size()
        + (names.size() == 1 ? " argument (" : " arguments (")
        + String.join(", ", names)
        + ")";
  }

  private static String unknownParameter(ToolDescriptor tool, String name, int column) {
    List<String> names = tool.parameterNames();
    if (names.isEmpty()) {
      return tool.name()
          + " takes no arguments, but argument '"
          + name
          + "' is given"
          + at(column)
          + ". "
          + callAs(tool);
    }
    String closest = NameSuggestions.closest(name, names);
    return tool.name()
        + " has no parameter '"
        + name
        + "'"
        + (column > 0 ? " (column " + column + ")" : "")
        + (closest == null ? "; its" : "; did you mean '" + closest + "'? Its")
        + " parameters are: "
        + String.join(", ", names)
        + ". "
        + callAs(tool);
  }

  /** " at column N", or nothing where columns mean nothing (a JSON plan gives 0). */
  private static String at(int column) {
    return column > 0 ? " at column " + column : "";
  }

  private static String callAs(ToolDescriptor tool) {
    return "Call it as " + tool.signature() + ".";
  }

  private static Bound failure(String error) {
    return new Bound(Map.of(), error);
  }
}
