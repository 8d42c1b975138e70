package dev.llmcompiler.runtime.internal.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmcompiler.runtime.internal.JsonSchemas;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * An argument value of a planned task, as parsed from the plan: a JSON literal, a reference to an
 * earlier task's result, a string with references inside, or a list or object of these. {@link
 * #resolve} substitutes the results once the referenced tasks are done.
 */
public sealed interface PlanValue {

  /**
   * The value with every reference replaced by the referenced result.
   *
   * @param results the result of a finished task by id; called only for ids this value references
   * @throws PlanReferenceException if a field path does not exist in the referenced result
   */
  JsonNode resolve(IntFunction<JsonNode> results);

  /** Adds the ids of the tasks this value references to {@code ids}. */
  void collectReferences(Set<Integer> ids);

  /** The value as it would be written in a plan, for messages and traces. */
  String toPlanText();

  /** A literal JSON value: a string, number, boolean, null, or a list or object of literals. */
  record Literal(JsonNode value) implements PlanValue {
    public Literal {
      Objects.requireNonNull(value, "value");
    }

    @Override
    public JsonNode resolve(IntFunction<JsonNode> results) {
      return value;
    }

    @Override
    public void collectReferences(Set<Integer> ids) {}

    @Override
    public String toPlanText() {
      return value.toString();
    }
  }

  /**
   * A reference to the result of task {@code taskId}, optionally into it along {@code path}: {@code
   * $2}, {@code ${2}}, {@code $2.price}, {@code ${2.items[0].name}}. As a whole argument it passes
   * the referenced value with its JSON type.
   *
   * @param path field names ({@link String}) and array indexes ({@link Integer}), outermost first
   */
  record Reference(int taskId, List<Object> path) implements PlanValue {
    public Reference {
      path = List.copyOf(path);
      for (Object step : path) {
        if (!(step instanceof String) && !(step instanceof Integer)) {
          throw new IllegalArgumentException("path steps are field names or indexes: " + step);
        }
      }
    }

    /** A reference to a task's whole result. */
    public static Reference to(int taskId) {
      return new Reference(taskId, List.of());
    }

    @Override
    public JsonNode resolve(IntFunction<JsonNode> results) {
      JsonNode node = results.apply(taskId);
      if (node == null) {
        throw new PlanReferenceException(toPlanText() + ": task " + taskId + " has no result.");
      }
      StringBuilder at = new StringBuilder("$").append(taskId);
      for (Object step : path) {
        JsonNode next;
        if (step instanceof Integer index) {
          if (!node.isArray()) {
            throw new PlanReferenceException(
                toPlanText()
                    + ": "
                    + at
                    + " is "
                    + describe(node)
                    + ", not a list, so it has no element ["
                    + index
                    + "].");
          }
          next = node.get(index);
          if (next == null) {
            throw new PlanReferenceException(
                toPlanText()
                    + ": "
                    + at
                    + " has "
                    + node.size()
                    + " elements, so there is no element ["
                    + index
                    + "].");
          }
          at.append('[').append(index).append(']');
        } else {
          String field = (String) step;
          if (!node.isObject()) {
            throw new PlanReferenceException(
                toPlanText()
                    + ": "
                    + at
                    + " is "
                    + describe(node)
                    + ", not an object, so it has no field '"
                    + field
                    + "'.");
          }
          next = node.get(field);
          if (next == null) {
            List<String> fields = new ArrayList<>();
            node.fieldNames().forEachRemaining(fields::add);
            throw new PlanReferenceException(
                toPlanText()
                    + ": "
                    + at
                    + " has no field '"
                    + field
                    + "'; its fields are: "
                    + (fields.isEmpty() ? "(none)" : String.join(", ", fields))
                    + ".");
          }
          at.append('.').append(field);
        }
        node = next;
      }
      return node;
    }

    private static String describe(JsonNode node) {
      return JsonSchemas.show(node);
    }

    @Override
    public void collectReferences(Set<Integer> ids) {
      ids.add(taskId);
    }

    @Override
    public String toPlanText() {
      if (path.isEmpty()) {
        return "$" + taskId;
      }
      StringBuilder text = new StringBuilder("${").append(taskId);
      for (Object step : path) {
        if (step instanceof Integer index) {
          text.append('[').append(index).append(']');
        } else {
          text.append('.').append(step);
        }
      }
      return text.append('}').toString();
    }
  }

  /**
   * A string with references inside, e.g. {@code "${2} / ${1}"}: each reference is rendered as text
   * (a string result without quotes, anything else as compact JSON).
   *
   * @param parts {@link String} pieces and {@link Reference}s, in order
   */
  record Template(List<Object> parts) implements PlanValue {
    public Template {
      parts = List.copyOf(parts);
      for (Object part : parts) {
        if (!(part instanceof String) && !(part instanceof Reference)) {
          throw new IllegalArgumentException("template parts are strings or references: " + part);
        }
      }
    }

    @Override
    public JsonNode resolve(IntFunction<JsonNode> results) {
      StringBuilder text = new StringBuilder();
      for (Object part : parts) {
        if (part instanceof Reference reference) {
          JsonNode value = reference.resolve(results);
          text.append(value.isTextual() ? value.asText() : value.toString());
        } else {
          text.append((String) part);
        }
      }
      return JsonNodeFactory.instance.textNode(text.toString());
    }

    @Override
    public void collectReferences(Set<Integer> ids) {
      for (Object part : parts) {
        if (part instanceof Reference reference) {
          ids.add(reference.taskId());
        }
      }
    }

    @Override
    public String toPlanText() {
      StringBuilder text = new StringBuilder();
      for (int i = 0; i < parts.size(); i++) {
        Object part = parts.get(i);
        if (part instanceof Reference reference) {
          // "$1" before "2", "." or "[" would read back as $12 or a field path: write "${1}".
          Object next = i + 1 < parts.size() ? parts.get(i + 1) : "";
          String following = next instanceof String s ? s : "";
          boolean ambiguous =
              reference.path().isEmpty()
                  && !following.isEmpty()
                  && (Character.isDigit(following.charAt(0))
                      || following.charAt(0) == '.'
                      || following.charAt(0) == '[');
          text.append(ambiguous ? "${" + reference.taskId() + "}" : reference.toPlanText());
        } else {
          text.append((String) part);
        }
      }
      return JsonNodeFactory.instance.textNode(text.toString()).toString();
    }
  }

  /** A list whose elements may hold references. */
  record ListValue(List<PlanValue> elements) implements PlanValue {
    public ListValue {
      elements = List.copyOf(elements);
    }

    @Override
    public JsonNode resolve(IntFunction<JsonNode> results) {
      ArrayNode array = JsonNodeFactory.instance.arrayNode(elements.size());
      for (PlanValue element : elements) {
        array.add(element.resolve(results));
      }
      return array;
    }

    @Override
    public void collectReferences(Set<Integer> ids) {
      elements.forEach(e -> e.collectReferences(ids));
    }

    @Override
    public String toPlanText() {
      List<String> texts = new ArrayList<>(elements.size());
      elements.forEach(e -> texts.add(e.toPlanText()));
      return "[" + String.join(", ", texts) + "]";
    }
  }

  /** An object whose values may hold references; keys keep their order. */
  record ObjectValue(Map<String, PlanValue> fields) implements PlanValue {
    public ObjectValue {
      fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    @Override
    public JsonNode resolve(IntFunction<JsonNode> results) {
      ObjectNode object = JsonNodeFactory.instance.objectNode();
      fields.forEach((key, value) -> object.set(key, value.resolve(results)));
      return object;
    }

    @Override
    public void collectReferences(Set<Integer> ids) {
      fields.values().forEach(v -> v.collectReferences(ids));
    }

    @Override
    public String toPlanText() {
      List<String> texts = new ArrayList<>(fields.size());
      fields.forEach(
          (k, v) -> texts.add(JsonNodeFactory.instance.textNode(k) + ": " + v.toPlanText()));
      return "{" + String.join(", ", texts) + "}";
    }
  }
}
