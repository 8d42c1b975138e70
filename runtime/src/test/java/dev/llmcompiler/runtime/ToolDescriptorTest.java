package dev.llmcompiler.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ToolDescriptorTest {

  private static ToolDescriptor.Builder tool(String name, String parameters) {
    return ToolDescriptor.builder()
        .name(name)
        .parameters(parameters.replace('\'', '"'))
        .returns("{}")
        .signature(name + "(...)");
  }

  @Test
  void joinIsReservedInAnyCase() {
    for (String name : new String[] {"join", "JOIN", "Join"}) {
      assertThatThrownBy(() -> tool(name, "{'type':'object'}").build())
          .as(name)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "Tool name '"
                  + name
                  + "' is reserved: `join` ends a plan, so the planner could never call"
                  + " this tool. Rename the tool, e.g. 'join_text'.");
    }
    assertThat(tool("join_text", "{'type':'object'}").build().name()).isEqualTo("join_text");
    assertThat(tool("rejoin", "{'type':'object'}").build().name()).isEqualTo("rejoin");
  }

  @Test
  void invalidNamesAndSchemasSayWhatIsWrong() {
    assertThatThrownBy(() -> tool("find it", "{'type':'object'}").build())
        .hasMessage("Tool name 'find it' is invalid: use 1 to 64 letters, digits, '_' or '-'.");
    assertThatThrownBy(() -> tool("find", "{'type':'object'} trailing").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("parameters is not valid JSON: ");
    assertThatThrownBy(
            () -> ToolDescriptor.builder().name("find").returns("{}").signature("find()").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("`parameters` is required but was not set");
  }

  @Test
  void requiredParametersAreThoseThatMustHaveANonNullValue() {
    ToolDescriptor descriptor =
        tool(
                "find",
                "{'type':'object','properties':{"
                    + "'query':{'type':'string'},"
                    + "'limit':{'type':['integer','null']},"
                    + "'filter':{'oneOf':[{'$ref':'#/$defs/Filter'},{'type':'null'}]},"
                    + "'sort':{'anyOf':[{'type':'string','enum':['asc','desc']},{'type':'null'}]},"
                    + "'cursor':{'$ref':'#/$defs/Cursor'},"
                    + "'page':{'type':'integer'}},"
                    + "'required':['query','limit','filter','sort','cursor'],"
                    + "'$defs':{'Filter':{'type':'object'},'Cursor':{'type':['string','null']}}}")
            .build();

    assertThat(descriptor.parameterNames())
        .containsExactly("query", "limit", "filter", "sort", "cursor", "page");
    assertThat(descriptor.requiredParameters()).containsExactly("query");
  }
}
