package dev.llmcompiler.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class SchemaSignaturesTest {

  /** Parses single-quoted JSON. */
  private static JsonNode json(String singleQuoted) {
    return Json.parse(singleQuoted.replace('\'', '"'), "test JSON");
  }

  private static String signature(String parameters, String returns) {
    return SchemaSignatures.signature(
        "t", json(parameters), returns == null ? null : json(returns));
  }

  @Test
  void parametersShowTheirTypesAndWhichAreOptional() {
    assertThat(
            signature(
                "{'type':'object','properties':{'query':{'type':'string'},'limit':{'type':'integer'}},"
                    + "'required':['query']}",
                "{}"))
        .isEqualTo("t(query: string, limit?: integer) -> any");
    // OpenAI's strict form: every field required, the optional ones nullable.
    assertThat(
            signature(
                "{'type':'object','properties':{'query':{'type':'string'},'limit':{'type':['integer','null']}},"
                    + "'required':['query','limit'],'additionalProperties':false}",
                null))
        .isEqualTo("t(query: string, limit?: integer) -> any");
    assertThat(signature("{'type':'object'}", "{'type':'null'}")).isEqualTo("t() -> null");
  }

  @Test
  void typesReadLikeTheProcessorsSignatures() {
    assertThat(
            signature(
                "{'type':'object','properties':{"
                    + "'day':{'type':'string','format':'date'},"
                    + "'to':{'type':'string','enum':['EUR','USD']},"
                    + "'tags':{'type':'array','items':{'type':'string'}},"
                    + "'ids':{'type':'array','uniqueItems':true,'items':{'type':'integer'}},"
                    + "'rates':{'type':'object','additionalProperties':{'type':'number'}},"
                    + "'extra':{'type':'object'},"
                    + "'money':{'type':'object','properties':{'amount':{'type':'number'},'note':{'type':'string'}},"
                    + "'required':['amount']},"
                    + "'either':{'anyOf':[{'type':'string'},{'type':'integer'}]},"
                    + "'anything':{}},"
                    + "'required':['day','to','tags','ids','rates','extra','money','either','anything']}",
                "{'anyOf':[{'type':'object','properties':{'ok':{'type':'boolean'}},'required':['ok']},{'type':'null'}]}"))
        .isEqualTo(
            "t(day: date, to: \"EUR\"|\"USD\", tags: list[string], ids: set[integer], rates: map[string, number],"
                + " extra: object, money: {amount: number, note?: string}, either: string | integer, anything: any)"
                + " -> {ok: boolean} | null");
  }

  @Test
  void aReferencedDefinitionIsNamedAndUnfoldsOnce() {
    assertThat(
            signature(
                "{'type':'object','properties':{'list':{'$ref':'#/$defs/Node'},"
                    + "'unit':{'$ref':'#/$defs/Unit'}},'required':['list','unit'],"
                    + "'$defs':{'Node':{'type':'object','properties':{'value':{'type':'integer'},'next':{'$ref':'#/$defs/Node'}},"
                    + "'required':['value']},'Unit':{'enum':['m','km']}}}",
                "{'$ref':'#/$defs/Nowhere'}"))
        .isEqualTo("t(list: Node{value: integer, next?: Node}, unit: \"m\"|\"km\") -> any");
  }

  @Test
  void strictModeNeedsClosedObjectsThatRequireEveryField() {
    assertThat(
            SchemaSignatures.strictCompatible(
                json(
                    "{'type':'object','properties':{'a':{'type':'string'},"
                        + "'b':{'type':['integer','null']},'m':{'$ref':'#/$defs/M'}},'required':['a','b','m'],'additionalProperties':false,"
                        + "'$defs':{'M':{'type':'object','properties':{'x':{'type':'number'}},'required':['x'],"
                        + "'additionalProperties':false}}}")))
        .isTrue();
    for (String notStrict :
        new String[] {
          "{'type':'object','properties':{'a':{'type':'string'}},'required':['a']}",
          "{'type':'object','properties':{'a':{'type':'string'}},'required':[],'additionalProperties':false}",
          "{'type':'object','properties':{'a':{'type':'object','additionalProperties':{'type':'string'}}},"
              + "'required':['a'],'additionalProperties':false}",
          "{'type':'object','properties':{'a':{'allOf':[{'type':'string'}]}},'required':['a'],"
              + "'additionalProperties':false}",
          "{'type':'object','properties':{'a':{'$ref':'#/$defs/Open'}},'required':['a'],'additionalProperties':false,"
              + "'$defs':{'Open':{'type':'object','properties':{}}}}",
          "{'properties':{},'additionalProperties':false}"
        }) {
      assertThat(SchemaSignatures.strictCompatible(json(notStrict))).as(notStrict).isFalse();
    }
  }
}
