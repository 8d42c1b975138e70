package dev.llmcompiler.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.internal.JsonSchemaElementJsonUtils;
import dev.langchain4j.model.chat.request.json.JsonAnyOfSchema;
import dev.langchain4j.model.chat.request.json.JsonArraySchema;
import dev.langchain4j.model.chat.request.json.JsonEnumSchema;
import dev.langchain4j.model.chat.request.json.JsonIntegerSchema;
import dev.langchain4j.model.chat.request.json.JsonNullSchema;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonRawSchema;
import dev.langchain4j.model.chat.request.json.JsonReferenceSchema;
import dev.langchain4j.model.chat.request.json.JsonSchemaElement;
import dev.langchain4j.model.chat.request.json.JsonStringSchema;
import dev.llmcompiler.runtime.ToolDescriptor;
import dev.llmcompiler.runtime.internal.Json;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The processor's schemas reach LangChain4j whole: typed elements where they say the same, raw
 * schemas where they cannot. Checked by writing the converted elements back with LangChain4j's own
 * lossless serializer and comparing with the catalog's schema.
 */
class JsonSchemaConverterTest {
  private final Map<String, ToolDescriptor> tools = byName(LibraryTools.of(new Library()).tools());

  private static Map<String, ToolDescriptor> byName(Iterable<ToolDescriptor> descriptors) {
    Map<String, ToolDescriptor> map = new java.util.LinkedHashMap<>();
    descriptors.forEach(tool -> map.put(tool.name(), tool));
    return map;
  }

  private static JsonNode written(JsonSchemaElement element) {
    return Json.MAPPER.valueToTree(JsonSchemaElementJsonUtils.toMap(element));
  }

  /**
   * The catalog's schema with type unions spelled as anyOf, the one rewrite the conversion makes.
   */
  private static JsonNode unionsAsAnyOf(JsonNode schema) {
    JsonNode copy = schema.deepCopy();
    rewrite(copy);
    return copy;
  }

  private static void rewrite(JsonNode node) {
    if (node.isObject()) {
      ObjectNode object = (ObjectNode) node;
      if (object.path("type").isArray()) {
        ArrayNode anyOf = Json.NODES.arrayNode();
        object.get("type").forEach(type -> anyOf.addObject().put("type", type.asText()));
        object.remove("type");
        object.set("anyOf", anyOf);
      }
      for (Iterator<JsonNode> children = object.elements(); children.hasNext(); ) {
        rewrite(children.next());
      }
    } else if (node.isArray()) {
      node.forEach(JsonSchemaConverterTest::rewrite);
    }
  }

  @Test
  void aStrictToolWithNestedRecordsListsEnumsOptionalsAndDatesRoundTrips() {
    ToolDescriptor find = tools.get("find");

    JsonObjectSchema parameters = JsonSchemaConverter.parameters(find.parameters());

    assertThat(written(parameters)).isEqualTo(unionsAsAnyOf(find.parameters()));
    assertThat(parameters.properties().get("query")).isInstanceOf(JsonStringSchema.class);
    assertThat(parameters.properties().get("limit")).isInstanceOf(JsonIntegerSchema.class);
    assertThat(parameters.required())
        .containsExactly("query", "genre", "authors", "since", "limit");
    assertThat(parameters.additionalProperties()).isFalse();

    JsonAnyOfSchema genre = (JsonAnyOfSchema) parameters.properties().get("genre");
    assertThat(genre.description()).isEqualTo("only this genre, if given");
    assertThat(genre.anyOf()).hasSize(2);
    assertThat(((JsonEnumSchema) genre.anyOf().get(0)).enumValues())
        .containsExactly("FICTION", "SCIENCE", "HISTORY");
    assertThat(genre.anyOf().get(1)).isInstanceOf(JsonNullSchema.class);

    JsonArraySchema authors = (JsonArraySchema) parameters.properties().get("authors");
    JsonObjectSchema author = (JsonObjectSchema) authors.items();
    assertThat(author.properties()).containsOnlyKeys("name", "born");
    JsonAnyOfSchema born = (JsonAnyOfSchema) author.properties().get("born");
    assertThat(born.description()).isEqualTo("the year of birth, if known");
    assertThat(born.anyOf().get(0)).isInstanceOf(JsonIntegerSchema.class);
    assertThat(born.anyOf().get(1)).isInstanceOf(JsonNullSchema.class);

    // A date's format has no typed form: the property travels as raw schema, format and all.
    JsonRawSchema since = (JsonRawSchema) parameters.properties().get("since");
    assertThat(Json.parse(since.schema(), "since"))
        .isEqualTo(find.parameters().path("properties").path("since"));
  }

  @Test
  void aRecursiveRecordBecomesDefinitionsAndReferencesAndAMapKeepsItsValueSchema() {
    ToolDescriptor count = tools.get("count");

    JsonObjectSchema parameters = JsonSchemaConverter.parameters(count.parameters());

    assertThat(written(parameters)).isEqualTo(count.parameters());
    JsonObjectSchema shelf = (JsonObjectSchema) parameters.definitions().get("Shelf");
    JsonArraySchema children = (JsonArraySchema) shelf.properties().get("children");
    assertThat(((JsonReferenceSchema) children.items()).reference()).isEqualTo("Shelf");
    // A reference with its own description, and a map's value schema, are raw.
    assertThat(parameters.properties().get("shelf")).isInstanceOf(JsonRawSchema.class);
    assertThat(
            Json.parse(((JsonRawSchema) parameters.properties().get("weights")).schema(), "weights")
                .path("additionalProperties")
                .path("type")
                .asText())
        .isEqualTo("integer");
  }

  @Test
  void specificationsCarryNameDescriptionAndStrictnessFromTheCatalog() {
    ToolSpecification find = LangChain4jTools.specification(tools.get("find"));
    ToolSpecification count = LangChain4jTools.specification(tools.get("count"));

    assertThat(find.name()).isEqualTo("find");
    assertThat(find.description()).isEqualTo("Finds books.");
    // Strict-capable: the model's strictTools setting decides. A map cannot be strict, whatever the
    // setting.
    assertThat(find.strict()).isNull();
    assertThat(count.strict()).isFalse();
  }

  @Test
  void schemasOutsideWhatTheProcessorWritesArePassedOnRaw() {
    JsonNode schema =
        Json.parse(
            """
        {"type":"object","properties":{
          "any":{},
          "yes":true,
          "code":{"type":"integer","enum":[1,2,3]},
          "pattern":{"type":"string","pattern":"^[A-Z]+$"},
          "external":{"$ref":"https://example.com/schema.json"},
          "choice":{"oneOf":[{"type":"string"},{"type":"integer"}]},
          "nothing":{"type":"null"}
        },"required":["code"]}""",
            "schema");

    JsonObjectSchema converted = JsonSchemaConverter.parameters((ObjectNode) schema);

    assertThat(written(converted).path("properties").path("yes")).isEqualTo(Json.object());
    ((ObjectNode) schema.get("properties")).set("yes", Json.object());
    assertThat(written(converted)).isEqualTo(schema);
    assertThat(converted.properties().get("nothing")).isInstanceOf(JsonNullSchema.class);
    assertThat(converted.properties().values())
        .filteredOn(element -> element instanceof JsonRawSchema)
        .hasSize(6);
  }
}
