package dev.llmcompiler.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import org.junit.jupiter.api.Test;

class JsonSchemasTest {

  /** Parses single-quoted JSON. */
  private static JsonNode json(String singleQuoted) {
    return Json.parse(singleQuoted.replace('\'', '"'), "test JSON");
  }

  private static final JsonNode ROOT =
      json(
          "{'$defs':{"
              + "'Money':{'type':'object','properties':{'amount':{'type':'number'},'currency':{'type':'string'}},"
              + "'required':['amount','currency'],'additionalProperties':false},"
              + "'Alias':{'$ref':'#/$defs/Money'},"
              + "'MaybeText':{'type':['string','null']}}}");

  @Test
  void nullabilityIsReadTheSameWayFromEveryForm() {
    for (String nullable :
        new String[] {
          "{'type':'null'}",
          "{'type':['integer','null']}",
          "{'anyOf':[{'type':'string'},{'type':'null'}]}",
          "{'oneOf':[{'$ref':'#/$defs/Money'},{'type':'null'}]}",
          "{'enum':['a',null]}",
          "{'type':['string','null'],'enum':['a',null]}",
          "{'$ref':'#/$defs/MaybeText'}"
        }) {
      assertThat(JsonSchemas.acceptsNull(ROOT, json(nullable))).as(nullable).isTrue();
      assertThat(JsonSchemas.fits(ROOT, json(nullable), NullNode.getInstance()))
          .as(nullable)
          .isTrue();
    }
    for (String notNullable :
        new String[] {
          "{}",
          "{'type':'string'}",
          "{'type':['string','null'],'enum':['a']}",
          "{'anyOf':[{'type':'string'},{'type':'integer'}]}",
          "{'$ref':'#/$defs/Money'}"
        }) {
      assertThat(JsonSchemas.acceptsNull(ROOT, json(notNullable))).as(notNullable).isFalse();
    }
  }

  @Test
  void localReferencesAreFollowedAndMissingOnesAcceptAnything() {
    assertThat(JsonSchemas.resolve(ROOT, json("{'$ref':'#/$defs/Alias'}")))
        .isEqualTo(ROOT.at("/$defs/Money"));
    JsonNode dangling = json("{'$ref':'#/$defs/Nope'}");
    assertThat(JsonSchemas.resolve(ROOT, dangling).isMissingNode()).isTrue();
    assertThat(JsonSchemas.fits(ROOT, dangling, json("42"))).isTrue();
    JsonNode loop = json("{'$defs':{'A':{'$ref':'#/$defs/B'},'B':{'$ref':'#/$defs/A'}}}");
    assertThat(JsonSchemas.resolve(loop, json("{'$ref':'#/$defs/A'}")).isMissingNode()).isTrue();
  }

  @Test
  void typesListWhatASchemaAccepts() {
    assertThat(JsonSchemas.types(ROOT, json("{'type':['integer','null']}")))
        .containsExactly("integer", "null");
    assertThat(
            JsonSchemas.types(ROOT, json("{'anyOf':[{'$ref':'#/$defs/Money'},{'type':'null'}]}")))
        .containsExactly("object", "null");
    assertThat(JsonSchemas.types(ROOT, json("{'enum':['a',1]}")))
        .containsExactly("string", "number");
    assertThat(JsonSchemas.types(ROOT, json("{'description':'anything'}"))).isEmpty();
    assertThat(JsonSchemas.acceptsType(ROOT, json("{'type':'number'}"), "integer")).isTrue();
    assertThat(JsonSchemas.acceptsType(ROOT, json("{'type':'integer'}"), "string")).isFalse();
    assertThat(JsonSchemas.acceptsType(ROOT, json("{}"), "object")).isTrue();
  }

  @Test
  void fitsChecksTypeEnumAndAlternatives() {
    JsonNode integer = json("{'type':'integer'}");
    assertThat(JsonSchemas.fits(ROOT, integer, json("2"))).isTrue();
    assertThat(JsonSchemas.fits(ROOT, integer, json("2.0")))
        .as("JSON Schema counts 2.0 as an integer")
        .isTrue();
    assertThat(JsonSchemas.fits(ROOT, integer, json("2.5"))).isFalse();
    assertThat(JsonSchemas.fits(ROOT, integer, json("\"2\""))).isFalse();
    assertThat(JsonSchemas.fits(ROOT, json("{'enum':[1,'a']}"), json("1.0"))).isTrue();
    assertThat(JsonSchemas.fits(ROOT, json("{'enum':[1,'a']}"), json("'b'".replace('\'', '"'))))
        .isFalse();
    assertThat(JsonSchemas.inEnum(ROOT, json("{'type':'string'}"), json("\"x\"")))
        .as("no enum")
        .isTrue();
    JsonNode union = json("{'oneOf':[{'type':'string'},{'$ref':'#/$defs/Money'}]}");
    assertThat(JsonSchemas.fits(ROOT, union, json("{}"))).as("top level only").isTrue();
    assertThat(JsonSchemas.fits(ROOT, union, json("[]"))).isFalse();
  }

  @Test
  void oneVocabularyDescribesSchemasAndValues() {
    assertThat(JsonSchemas.describe(ROOT, json("{'type':'array'}"))).isEqualTo("a list");
    assertThat(JsonSchemas.describe(ROOT, json("{'type':['integer','null']}")))
        .isEqualTo("an integer or null");
    assertThat(
            JsonSchemas.describe(
                ROOT, json("{'anyOf':[{'$ref':'#/$defs/Money'},{'type':'null'}]}")))
        .isEqualTo("an object or null");
    assertThat(
            JsonSchemas.describe(
                ROOT, json("{'type':['string','null'],'enum':['USD','EUR',null]}")))
        .as("null in the enum")
        .isEqualTo(
            JsonSchemas.describe(
                ROOT, json("{'anyOf':[{'type':'string','enum':['USD','EUR']},{'type':'null'}]}")))
        .isEqualTo("one of \"USD\", \"EUR\" or null");
    assertThat(JsonSchemas.describe(ROOT, json("{'type':'string','format':'date'}")))
        .isEqualTo("a date like \"2024-05-31\"");
    assertThat(JsonSchemas.describe(ROOT, json("{}"))).isEqualTo("a value matching its schema");

    assertThat(JsonSchemas.show(json("[1,2]"))).isEqualTo("[1,2] (a list)");
    assertThat(JsonSchemas.show(json("{}"))).isEqualTo("{} (an object)");
    assertThat(JsonSchemas.show(json("true"))).isEqualTo("true (a boolean)");
    assertThat(JsonSchemas.show(NullNode.getInstance())).isEqualTo("null");
    assertThat(JsonSchemas.show(null)).isEqualTo("null");
    String shown = JsonSchemas.show(json("\"" + "x".repeat(100) + "\""));
    assertThat(shown).hasSize(60 + " (a string)".length()).endsWith("... (a string)");
  }

  @Test
  void problemsNameTheirPathsInOrderUpToTheLimit() {
    JsonNode schema =
        json(
            "{'type':'object','properties':{"
                + "'total':{'$ref':'#/$defs/Money'},"
                + "'lines':{'type':'array','items':{'type':'object','properties':{'qty':{'type':'integer'}},'required':['qty']}},"
                + "'note':{'type':['string','null']},"
                + "'tags':{'type':'object','additionalProperties':{'type':'string'}},"
                + "'extra':{'type':'string'}},"
                + "'required':['total','lines','note'],'additionalProperties':false}");
    assertThat(
            JsonSchemas.problems(
                ROOT, schema, json("{'total':{'amount':1,'currency':'EUR'},'lines':[]}"), "$", 5))
        .as("a required field that accepts null may be left out")
        .isEmpty();
    assertThat(
            JsonSchemas.problems(
                ROOT,
                schema,
                json("{'total':{'amount':1,'currency':'EUR'},'lines':[]," + "'extra':null}"),
                "$",
                5))
        .as("null for a field that is not required counts as absent")
        .isEmpty();

    JsonNode wrong =
        json(
            "{'total':{'amount':'ten','rate':2},'lines':[{'qty':1},{'qty':'2'},{}],'note':3,"
                + "'tags':{'a':1},'other':true}");
    assertThat(JsonSchemas.problems(ROOT, schema, wrong, "order", 10))
        .extracting(JsonSchemas.Problem::toString)
        .containsExactly(
            "order.total is missing the required field 'currency' (a string)",
            "order.total.amount must be a number, but got \"ten\" (a string)",
            "order.total has an unknown field 'rate'; its fields are: amount, currency",
            "order.lines[1].qty must be an integer, but got \"2\" (a string)",
            "order.lines[2] is missing the required field 'qty' (an integer)",
            "order.note must be a string or null, but got 3 (a number)",
            "order.tags.a must be a string, but got 1 (a number)",
            "order has an unknown field 'other'; its fields are: total, lines, note, tags, extra");
    assertThat(JsonSchemas.problems(ROOT, schema, wrong, "order", 2)).hasSize(2);
    assertThat(JsonSchemas.problems(ROOT, schema, json("{'total':null,'lines':[]}"), "$", 5))
        .extracting(JsonSchemas.Problem::toString)
        .containsExactly("$.total must be an object, but got null");
  }
}
