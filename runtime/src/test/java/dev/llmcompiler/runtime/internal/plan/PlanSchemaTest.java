package dev.llmcompiler.runtime.internal.plan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmcompiler.runtime.ToolDescriptor;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class PlanSchemaTest {
  private static final ToolDescriptor LOOKUP =
      ToolDescriptor.builder()
          .name("lookup")
          .description("Looks up a price.")
          .parameters(
              "{\"type\":\"object\",\"properties\":{\"item\":{\"$ref\":\"#/$defs/Item\"},"
                  + "\"limit\":{\"type\":[\"integer\",\"null\"]}},\"required\":[\"item\",\"limit\"],\"additionalProperties\":false,"
                  + "\"$defs\":{\"Item\":{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\"},"
                  + "\"parts\":{\"type\":\"array\",\"items\":{\"$ref\":\"#/$defs/Item\"}}},\"required\":[\"name\",\"parts\"],"
                  + "\"additionalProperties\":false}}}")
          .returns("{\"type\":\"number\"}")
          .signature("lookup(item: Item, limit: integer | null) -> number")
          .strict(true)
          .build();

  @Test
  void aBranchPerToolWithItsParametersAndAReferenceForEachArgument() {
    ObjectNode schema = PlanSchema.of(List.of(TestTools.SEARCH, LOOKUP));
    JsonNode branches = schema.at("/properties/tasks/items/anyOf");
    assertThat(branches).hasSize(4);
    assertThat(branches.get(0).at("/properties/tool/const").asText()).isEqualTo("search");
    assertThat(branches.get(1).at("/properties/tool/const").asText()).isEqualTo("lookup");
    assertThat(branches.get(2).at("/properties/tool/const").asText()).isEqualTo("join");
    assertThat(branches.get(2).at("/properties/args/properties")).isEmpty();
    // A join with a direct answer: its own branch, so the answer is required there and strict mode
    // holds.
    assertThat(branches.get(3).at("/properties/tool/const").asText()).isEqualTo("join");
    assertThat(branches.get(3).at("/properties/args/properties/answer/type").asText())
        .isEqualTo("string");
    assertThat(branches.get(3).at("/properties/args/required").get(0).asText()).isEqualTo("answer");
    JsonNode query = branches.get(0).at("/properties/args/properties/query/anyOf");
    assertThat(query.get(0).get("type").asText()).isEqualTo("string");
    assertThat(query.get(1).get("$ref").asText()).isEqualTo("#/$defs/reference");
    assertThat(branches.get(0).at("/properties/args/required").get(0).asText()).isEqualTo("query");
    assertThat(schema.at("/$defs/reference/pattern").asText())
        .isEqualTo(PlanSchema.REFERENCE_PATTERN);
    assertThat(schema.at("/required").get(0).asText()).isEqualTo("tasks");
  }

  @Test
  void withoutDirectAnswersTheJoinTakesNoArguments() {
    JsonNode branches =
        PlanSchema.of(List.of(TestTools.SEARCH), false).at("/properties/tasks/items/anyOf");
    assertThat(branches).hasSize(2);
    assertThat(branches.get(1).at("/properties/tool/const").asText()).isEqualTo("join");
    assertThat(branches.get(1).at("/properties/args/properties")).isEmpty();
    assertThat(PlanSchema.of(List.of(TestTools.SEARCH), true).toString())
        .isEqualTo(PlanSchema.of(List.of(TestTools.SEARCH)).toString());
  }

  @Test
  void aToolsDefinitionsMoveToThePlanSchemaWithTheirReferences() {
    ObjectNode schema = PlanSchema.of(List.of(LOOKUP));
    JsonNode item =
        schema.at("/properties/tasks/items/anyOf/0/properties/args/properties/item/anyOf/0");
    assertThat(item.get("$ref").asText()).isEqualTo("#/$defs/lookup.Item");
    assertThat(schema.at("/$defs/lookup.Item/properties/parts/items/$ref").asText())
        .isEqualTo("#/$defs/lookup.Item");
    assertThat(schema.at("/properties/tasks/items/anyOf/0/properties/args").has("$defs")).isFalse();
    assertThat(LOOKUP.parameters().has("$defs")).as("the descriptor is untouched").isTrue();
  }

  @Test
  void strictToolsGiveAStrictShapedSchema() {
    List<String> problems = new ArrayList<>();
    strictShape(PlanSchema.of(List.of(LOOKUP)), "", problems);
    assertThat(problems).isEmpty();
    List<String> loose = new ArrayList<>();
    strictShape(PlanSchema.of(List.of(TestTools.WEATHER)), "", loose);
    assertThat(loose).as("weather's days is optional").isNotEmpty();
  }

  /** Every object closed and every property required, as OpenAI's strict mode wants. */
  private static void strictShape(JsonNode node, String at, List<String> problems) {
    if (node.isObject()) {
      if (node.has("properties")) {
        Set<String> names = new TreeSet<>();
        node.get("properties").fieldNames().forEachRemaining(names::add);
        Set<String> required = new TreeSet<>();
        node.path("required").forEach(r -> required.add(r.asText()));
        if (!names.equals(required)
            || !node.path("additionalProperties").isBoolean()
            || node.get("additionalProperties").asBoolean()) {
          problems.add(at);
        }
      }
      for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
        String name = it.next();
        strictShape(node.get(name), at + "/" + name, problems);
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        strictShape(node.get(i), at + "/" + i, problems);
      }
    }
  }

  @Test
  void theSameToolsGiveTheSameBytes() {
    String first = PlanSchema.of(List.of(TestTools.SEARCH, TestTools.MATH, LOOKUP)).toString();
    assertThat(PlanSchema.of(List.of(TestTools.SEARCH, TestTools.MATH, LOOKUP)).toString())
        .isEqualTo(first);
    assertThat(PlanSchema.of(List.of(TestTools.MATH, TestTools.SEARCH, LOOKUP)).toString())
        .isNotEqualTo(first);
  }

  @Test
  void theReferencePatternIsTheReferenceGrammar() {
    Pattern pattern = Pattern.compile(PlanSchema.REFERENCE_PATTERN);
    for (String reference :
        List.of(
            "$1",
            "$12",
            "$2.price",
            "$2.items[0].name",
            "$3[1][2]",
            "${2}",
            "${2.price}",
            "${2.items[0].name}",
            "${3.a-b.c_d}",
            "$123456789")) {
      assertThat(pattern.matcher(reference).matches()).as(reference).isTrue();
      assertThat(new TaskLineParser(reference, 0).readWholeReference(id -> true))
          .as("the parser reads %s as one reference", reference)
          .isNotNull();
    }
    for (String text :
        List.of(
            "$0",
            "$x",
            "1",
            "$",
            "${}",
            "${1",
            "$1.",
            "$1 and more",
            "$1.5",
            "${1 }",
            "$01",
            "$1234567890",
            "x$1",
            "$1.price!")) {
      assertThat(pattern.matcher(text).matches()).as(text).isFalse();
    }
    for (String text :
        List.of("$x", "1", "$", "${}", "${1", "$1.", "$1 and more", "x$1", "$1.price!")) {
      assertThat(new TaskLineParser(text, 0).readWholeReference(id -> true)).as(text).isNull();
    }
  }

  @Test
  void theReferencePatternDoesNotBacktrack() {
    Pattern pattern = Pattern.compile(PlanSchema.REFERENCE_PATTERN);
    long start = System.nanoTime();
    for (int i = 0; i < 200; i++) {
      assertThat(pattern.matcher("$1" + ".a".repeat(300) + "!").matches()).isFalse();
      assertThat(pattern.matcher("${1" + "[1]".repeat(300) + "]").matches()).isFalse();
    }
    // Each failure is found in one pass; exponential backtracking would not finish at all.
    assertThat(System.nanoTime() - start).isLessThan(30_000_000_000L);
  }
}
