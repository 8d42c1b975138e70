package dev.llmcompiler.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class OptionalNullsTest {

  /** Parses single-quoted JSON. */
  private static JsonNode json(String singleQuoted) {
    return Json.parse(singleQuoted.replace('\'', '"'), "test JSON");
  }

  private static final JsonNode SCHEMA =
      json(
          "{'type':'object','properties':{"
              + "'title':{'type':'string'},'value':{'type':'number'},'note':{'type':['string','null']},"
              + "'must':{'type':'string'},'items':{'type':'array','items':{'$ref':'#/$defs/Item'}}},"
              + "'required':['title','must'],"
              + "'$defs':{'Item':{'type':'object','properties':{'unit':{'type':'string'}}}}}");

  @Test
  void dropsNullsOnlyWhereTheSchemaLetsAFieldBeAbsentButNotNull() {
    JsonNode value =
        json(
            "{'title':'x','value':null,'note':null,'must':null,'other':null,"
                + "'items':[{'unit':null},{'unit':'m'}]}");
    String before = value.toString();

    JsonNode dropped = OptionalNulls.drop(SCHEMA, value);

    // value: optional and not nullable, so gone, also inside referenced definitions; note may be
    // null;
    // must is required (its null is the tool's mistake to report, not to hide); other is not
    // declared.
    assertThat(dropped)
        .isEqualTo(
            json(
                "{'title':'x','note':null,'must':null,'other':null,"
                    + "'items':[{},{'unit':'m'}]}"));
    assertThat(value.toString()).as("the given value is not modified").isEqualTo(before);
  }

  @Test
  void scalarsAndSchemalessValuesStayAsTheyAre() {
    assertThat(OptionalNulls.drop(json("{}"), json("{'a':null}"))).isEqualTo(json("{'a':null}"));
    assertThat(OptionalNulls.drop(SCHEMA, json("'text'"))).isEqualTo(json("'text'"));
    assertThat(OptionalNulls.drop(SCHEMA, null)).isNull();
  }
}
