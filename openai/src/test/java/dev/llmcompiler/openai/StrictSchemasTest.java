package dev.llmcompiler.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmcompiler.runtime.ToolDescriptor;
import dev.llmcompiler.runtime.internal.plan.PlanSchema;
import java.util.List;
import org.junit.jupiter.api.Test;

class StrictSchemasTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode json(String text) throws Exception {
    return JSON.readTree(text.replace('\'', '"'));
  }

  private static ToolDescriptor tool(String parameters) {
    return ToolDescriptor.builder()
        .name("lookup")
        .parameters(parameters.replace('\'', '"'))
        .returns("{}")
        .signature("lookup(...)")
        .build();
  }

  @Test
  void aPlanSchemaOfStrictToolsQualifies() {
    ToolDescriptor strict =
        tool(
            "{'type':'object','properties':{'city':{'type':'string'},"
                + "'days':{'type':['integer','null']}},'required':['city','days'],'additionalProperties':false}");
    assertThat(StrictSchemas.qualifies(PlanSchema.of(List.of(strict)))).isTrue();
    ToolDescriptor optional =
        tool(
            "{'type':'object','properties':{'city':{'type':'string'},"
                + "'days':{'type':'integer'}},'required':['city'],'additionalProperties':false}");
    assertThat(StrictSchemas.qualifies(PlanSchema.of(List.of(strict, optional)))).isFalse();
  }

  @Test
  void whatStrictModeRejects() throws Exception {
    assertThat(
            StrictSchemas.qualifies(
                json(
                    "{'type':'object','properties':{'a':{'type':'string'}},"
                        + "'required':['a'],'additionalProperties':false}")))
        .isTrue();
    assertThat(
            StrictSchemas.qualifies(
                json(
                    "{'type':'object','properties':{'a':{'type':'string'}},"
                        + "'required':['a']}")))
        .as("open object")
        .isFalse();
    assertThat(
            StrictSchemas.qualifies(
                json(
                    "{'type':'object','properties':{'a':{'oneOf':[{'type':'string'}]}},"
                        + "'required':['a'],'additionalProperties':false}")))
        .as("oneOf")
        .isFalse();
    assertThat(StrictSchemas.qualifies(json("{'anyOf':[{'type':'object'}]}")))
        .as("root anyOf")
        .isFalse();
    assertThat(StrictSchemas.qualifies(json("{'type':'array'}"))).as("root array").isFalse();
    assertThat(
            StrictSchemas.qualifies(
                json(
                    "{'type':'object','properties':{'a':{'type':'object',"
                        + "'additionalProperties':{'type':'string'}}},'required':['a'],'additionalProperties':false}")))
        .as("a map")
        .isFalse();
    String deep = "{'type':'object','properties':{},'required':[],'additionalProperties':false}";
    for (int i = 0; i < 10; i++) {
      deep =
          "{'type':'object','properties':{'x':"
              + deep
              + "},'required':['x'],'additionalProperties':false}";
    }
    assertThat(StrictSchemas.qualifies(json(deep))).as("11 levels").isFalse();
  }
}
