package dev.llmcompiler.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmcompiler.runtime.internal.Json;
import dev.llmcompiler.runtime.internal.JsonSchemas;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The shape a structured final answer must have: a Java type (usually a record) and its JSON
 * Schema. Pass it to {@link LlmCompiler#run(String, AnswerFormat)}: the joiner is asked to finish
 * with JSON matching the schema, and the answer is checked (required fields present and not null,
 * JSON types and enum values as the schema says, in the same words as tool arguments) and bound to
 * the type with the same Jackson settings as tool arguments. An answer that fails is sent back to
 * the joiner once, with the problem; a second failure ends the run with {@link
 * RunOutcome#INVALID_ANSWER}.
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
 * <p>{@code @Agent} implementations build their formats from schemas the annotation processor wrote
 * at build time. Instances are immutable and thread-safe.
 *
 * @param <T> the type the answer is bound to
 */
public final class AnswerFormat<T> {
  /** How many problems one retry names: enough to fix a reply, few enough to read. */
  private static final int MAX_PROBLEMS = 5;

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
    JsonNode schema =
        Json.parse(Objects.requireNonNull(jsonSchema, "jsonSchema"), "The answer schema");
    if (!schema.isObject()) {
      throw new IllegalArgumentException(
          "The answer schema must be a JSON object (a JSON Schema), got: " + jsonSchema);
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
    List<JsonSchemas.Problem> problems =
        JsonSchemas.problems(schema, schema, node, "$", MAX_PROBLEMS);
    if (!problems.isEmpty()) {
      String problem =
          problems.stream().map(JsonSchemas.Problem::toString).collect(Collectors.joining("; "));
      return new Reading<>(null, null, problem);
    }
    try {
      T value = Json.MAPPER.treeToValue(node, type);
      return new Reading<>(Json.write(node, false), value, null);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      String message =
          e instanceof JsonProcessingException json ? json.getOriginalMessage() : e.getMessage();
      return new Reading<>(
          null, null, "it does not fit " + type.getSimpleName() + " (" + message + ")");
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
    if (stripped.isEmpty()
        || stripped.charAt(0) == '{'
        || stripped.charAt(0) == '['
        || stripped.charAt(0) == '"') {
      return stripped;
    }
    int object = stripped.indexOf('{');
    int end = stripped.lastIndexOf('}');
    return object >= 0 && end > object ? stripped.substring(object, end + 1) : stripped;
  }

  @Override
  public String toString() {
    return "AnswerFormat[" + description + "]";
  }
}
