package dev.llmcompiler.langchain4j;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.model.chat.request.json.JsonAnyOfSchema;
import dev.langchain4j.model.chat.request.json.JsonArraySchema;
import dev.langchain4j.model.chat.request.json.JsonBooleanSchema;
import dev.langchain4j.model.chat.request.json.JsonEnumSchema;
import dev.langchain4j.model.chat.request.json.JsonIntegerSchema;
import dev.langchain4j.model.chat.request.json.JsonNullSchema;
import dev.langchain4j.model.chat.request.json.JsonNumberSchema;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonRawSchema;
import dev.langchain4j.model.chat.request.json.JsonReferenceSchema;
import dev.langchain4j.model.chat.request.json.JsonSchemaElement;
import dev.langchain4j.model.chat.request.json.JsonStringSchema;
import dev.llmcompiler.runtime.internal.Json;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a tool's JSON Schema into LangChain4j's schema elements without losing anything: each node
 * becomes the typed element that says exactly the same ({@link JsonStringSchema}, {@link
 * JsonObjectSchema}, {@link JsonAnyOfSchema}, {@link JsonReferenceSchema} with the {@code $defs} as
 * definitions, …), and a node that uses a keyword its typed element cannot hold ({@code format}, a
 * map's schema-valued {@code additionalProperties}, a {@code $ref} with a description, …) is passed
 * on whole as a {@link JsonRawSchema}, which LangChain4j's providers send as it is.
 *
 * <p>A type union such as {@code "type": ["string", "null"]} (how the processor marks an optional
 * parameter under OpenAI's strict mode) becomes an {@code anyOf} of the two types, which means the
 * same and which providers that know no type unions understand.
 */
final class JsonSchemaConverter {
  private static final String DEFS_PREFIX = "#/$defs/";
  private static final Set<String> SCALAR_KEYS = Set.of("type", "description");
  // LangChain4j's null element has no description.
  private static final Set<String> NULL_KEYS = Set.of("type");
  private static final Set<String> ENUM_KEYS = Set.of("type", "description", "enum");
  private static final Set<String> ARRAY_KEYS = Set.of("type", "description", "items");
  private static final Set<String> OBJECT_KEYS =
      Set.of("type", "description", "properties", "required", "additionalProperties", "$defs");
  private static final Set<String> ANY_OF_KEYS = Set.of("anyOf", "description");
  private static final Set<String> REF_KEYS = Set.of("$ref");

  private JsonSchemaConverter() {}

  /**
   * The parameters of a tool: its object schema as a {@link JsonObjectSchema}, which is what a
   * {@code ToolSpecification} holds. Keywords of the root that an object schema cannot hold are
   * left out; the processor's schemas have none.
   */
  static JsonObjectSchema parameters(ObjectNode schema) {
    JsonSchemaElement element = element(schema);
    if (element instanceof JsonObjectSchema object) {
      return object;
    }
    return object(schema);
  }

  /** One schema node. */
  static JsonSchemaElement element(JsonNode schema) {
    if (!schema.isObject()) {
      // Boolean schemas: true accepts anything, false nothing.
      return JsonRawSchema.from(schema.asBoolean(true) ? "{}" : "{\"not\":{}}");
    }
    if (schema.has("$ref")) {
      return reference(schema);
    }
    if (schema.has("anyOf")) {
      return anyOf(schema);
    }
    JsonNode type = schema.path("type");
    if (type.isArray()) {
      return typeUnion(schema, type);
    }
    switch (type.asText("")) {
      case "string":
        return schema.has("enum")
            ? enumeration(schema)
            : scalar(schema, JsonStringSchema.builder().description(description(schema)).build());
      case "integer":
        return scalar(schema, JsonIntegerSchema.builder().description(description(schema)).build());
      case "number":
        return scalar(schema, JsonNumberSchema.builder().description(description(schema)).build());
      case "boolean":
        return scalar(schema, JsonBooleanSchema.builder().description(description(schema)).build());
      case "null":
        return only(schema, NULL_KEYS) ? new JsonNullSchema() : raw(schema);
      case "array":
        return array(schema);
      case "object":
        return onlyObjectKeywords(schema) ? object(schema) : raw(schema);
      default:
        // No type (any value) or one LangChain4j has no element for.
        return raw(schema);
    }
  }

  private static JsonSchemaElement reference(JsonNode schema) {
    JsonNode ref = schema.get("$ref");
    if (only(schema, REF_KEYS) && ref.isTextual() && ref.asText().startsWith(DEFS_PREFIX)) {
      return JsonReferenceSchema.builder()
          .reference(ref.asText().substring(DEFS_PREFIX.length()))
          .build();
    }
    return raw(schema);
  }

  private static JsonSchemaElement anyOf(JsonNode schema) {
    JsonNode options = schema.get("anyOf");
    if (!only(schema, ANY_OF_KEYS) || !options.isArray() || options.isEmpty()) {
      return raw(schema);
    }
    List<JsonSchemaElement> elements = new ArrayList<>();
    options.forEach(option -> elements.add(element(option)));
    return JsonAnyOfSchema.builder().description(description(schema)).anyOf(elements).build();
  }

  /** {@code "type": ["string", "null"]}: each type with the node's other keywords, in an anyOf. */
  private static JsonSchemaElement typeUnion(JsonNode schema, JsonNode types) {
    List<JsonSchemaElement> elements = new ArrayList<>();
    for (JsonNode type : types) {
      if (!type.isTextual()) {
        return raw(schema);
      }
      if (type.asText().equals("null")) {
        elements.add(new JsonNullSchema());
        continue;
      }
      ObjectNode single = ((ObjectNode) schema).deepCopy();
      single.put("type", type.asText());
      // The description belongs to the whole property, so it goes on the anyOf only.
      single.remove("description");
      elements.add(element(single));
    }
    if (elements.size() == 1) {
      return element(((ObjectNode) schema).deepCopy().put("type", types.get(0).asText()));
    }
    return JsonAnyOfSchema.builder().description(description(schema)).anyOf(elements).build();
  }

  private static JsonSchemaElement scalar(JsonNode schema, JsonSchemaElement typed) {
    return only(schema, SCALAR_KEYS) ? typed : raw(schema);
  }

  private static JsonSchemaElement enumeration(JsonNode schema) {
    JsonNode values = schema.get("enum");
    if (!only(schema, ENUM_KEYS) || !values.isArray() || values.isEmpty()) {
      return raw(schema);
    }
    List<String> constants = new ArrayList<>();
    for (JsonNode value : values) {
      if (!value.isTextual()) {
        return raw(schema);
      }
      constants.add(value.asText());
    }
    return JsonEnumSchema.builder().description(description(schema)).enumValues(constants).build();
  }

  private static JsonSchemaElement array(JsonNode schema) {
    JsonNode items = schema.get("items");
    if (!only(schema, ARRAY_KEYS) || (items != null && !items.isObject())) {
      return raw(schema);
    }
    return JsonArraySchema.builder()
        .description(description(schema))
        .items(items == null ? null : element(items))
        .build();
  }

  private static boolean onlyObjectKeywords(JsonNode schema) {
    JsonNode additional = schema.get("additionalProperties");
    JsonNode required = schema.get("required");
    return only(schema, OBJECT_KEYS)
        // A map's value schema has no typed form.
        && (additional == null || additional.isBoolean())
        && schema.path("properties").isObject() == schema.has("properties")
        && schema.path("$defs").isObject() == schema.has("$defs")
        && (required == null || allText(required));
  }

  private static JsonObjectSchema object(JsonNode schema) {
    JsonObjectSchema.Builder object = JsonObjectSchema.builder().description(description(schema));
    Map<String, JsonSchemaElement> properties = new LinkedHashMap<>();
    schema
        .path("properties")
        .fields()
        .forEachRemaining(p -> properties.put(p.getKey(), element(p.getValue())));
    object.addProperties(properties);
    List<String> required = new ArrayList<>();
    schema.path("required").forEach(name -> required.add(name.asText()));
    if (!required.isEmpty()) {
      object.required(required);
    }
    JsonNode additional = schema.path("additionalProperties");
    if (additional.isBoolean()) {
      object.additionalProperties(additional.asBoolean());
    }
    if (schema.path("$defs").isObject()) {
      Map<String, JsonSchemaElement> definitions = new LinkedHashMap<>();
      schema
          .get("$defs")
          .fields()
          .forEachRemaining(d -> definitions.put(d.getKey(), element(d.getValue())));
      object.definitions(definitions);
    }
    return object.build();
  }

  private static JsonRawSchema raw(JsonNode schema) {
    return JsonRawSchema.from(Json.write(schema, false));
  }

  private static String description(JsonNode schema) {
    JsonNode description = schema.get("description");
    return description != null && description.isTextual() ? description.asText() : null;
  }

  private static boolean only(JsonNode schema, Set<String> keywords) {
    for (Iterator<String> names = schema.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!keywords.contains(name)
          || (name.equals("description") && !schema.get(name).isTextual())) {
        return false;
      }
    }
    return true;
  }

  private static boolean allText(JsonNode array) {
    if (!array.isArray()) {
      return false;
    }
    for (JsonNode item : array) {
      if (!item.isTextual()) {
        return false;
      }
    }
    return true;
  }
}
