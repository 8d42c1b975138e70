package dev.llmcompiler.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmcompiler.runtime.internal.Json;
import dev.llmcompiler.runtime.internal.ToolArguments;
import dev.llmcompiler.runtime.internal.plan.PlanParser;
import dev.llmcompiler.runtime.internal.plan.PlannedTask;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One wrong value, caught in the three places that check values against a schema: the plan parser
 * (before the call), the generated code's argument decoding (at the call), and a structured answer.
 * All three must describe what was expected and what was received in the same words.
 */
class SameMistakeSameWordsTest {
  enum Currency {
    USD,
    EUR
  }

  record Pick(int count, List<String> items, String name, Currency currency, String note) {}

  private static final String SCHEMA =
      ("{'type':'object','properties':{"
              + "'count':{'type':'integer'},"
              + "'items':{'type':'array','items':{'type':'string'}},"
              + "'name':{'type':'string'},"
              + "'currency':{'type':'string','enum':['USD','EUR']},"
              + "'note':{'anyOf':[{'$ref':'#/$defs/Note'},{'type':'null'}]}},"
              + "'required':['count','items','name','currency','note'],'additionalProperties':false,"
              + "'$defs':{'Note':{'type':'string'}}}")
          .replace('\'', '"');

  private static final ToolDescriptor PICK =
      ToolDescriptor.builder()
          .name("pick")
          .parameters(SCHEMA)
          .returns("{}")
          .signature(
              "pick(count: integer, items: list[string], name: string, currency: \"USD\" | \"EUR\","
                  + " note: string | null) -> object")
          .build();

  private static final AnswerFormat<Pick> FORMAT = AnswerFormat.of(Pick.class, SCHEMA);

  private static final Map<String, String> VALID =
      Map.of(
          "count", "2", "items", "[\"a\"]", "name", "\"n\"", "currency", "\"USD\"", "note", "null");

  /**
   * @param parameter the parameter given the wrong value
   * @param wrong the wrong value as JSON, also how the plan writes it
   * @param words what every place must say: {@code must be <expected>, but got <received>}
   * @param decode how generated code would decode the parameter
   */
  record Mistake(String parameter, String wrong, String words, Consumer<ToolArguments> decode) {
    @Override
    public String toString() {
      return parameter + "=" + wrong;
    }
  }

  static List<Mistake> mistakes() {
    return List.of(
        new Mistake(
            "count",
            "\"2\"",
            "must be an integer, but got \"2\" (a string)",
            args -> args.intValue("count")),
        new Mistake(
            "count",
            "2.5",
            "must be an integer, but got 2.5 (a number)",
            args -> args.intValue("count")),
        new Mistake(
            "items",
            "5",
            "must be a list, but got 5 (a number)",
            args -> args.value("items", new TypeReference<List<String>>() {})),
        new Mistake("name", "null", "must be a string, but got null", args -> args.string("name")),
        new Mistake(
            "name",
            "[\"n\"]",
            "must be a string, but got [\"n\"] (a list)",
            args -> args.string("name")),
        new Mistake(
            "currency",
            "\"GBP\"",
            "must be one of \"USD\", \"EUR\", but got \"GBP\" (a string)",
            args -> args.enumValue("currency", Currency.values())),
        new Mistake(
            "note",
            "7",
            "must be a string or null, but got 7 (a number)",
            args -> args.string("note")));
  }

  @ParameterizedTest
  @MethodSource("mistakes")
  void theParserTheInvokerAndAnswerFormatUseTheSameWords(Mistake mistake) {
    StringBuilder call = new StringBuilder("1. pick(");
    StringBuilder json = new StringBuilder("{");
    for (String parameter : PICK.parameterNames()) {
      String value = parameter.equals(mistake.parameter()) ? mistake.wrong() : VALID.get(parameter);
      call.append(call.length() > 8 ? ", " : "").append(parameter).append('=').append(value);
      json.append(json.length() > 1 ? ", " : "")
          .append('"')
          .append(parameter)
          .append("\": ")
          .append(value);
    }
    call.append(")");
    json.append("}");

    PlannedTask planned =
        PlanParser.parse(call.toString(), Map.of("pick", PICK), 1, Set.of()).tasks().get(0);
    assertThat(planned.error())
        .as("at parse time")
        .startsWith(
            "argument '"
                + mistake.parameter()
                + "' of pick "
                + mistake.words()
                + ". Call it as pick(");

    ObjectNode arguments = (ObjectNode) Json.parse(json.toString(), "arguments");
    ToolArgumentException atCall =
        catchThrowableOfType(
            ToolArgumentException.class,
            () -> mistake.decode().accept(ToolArguments.of(PICK, arguments)));
    assertThat(atCall)
        .as("at call time")
        .hasMessage("Tool 'pick': argument '" + mistake.parameter() + "' " + mistake.words() + ".");

    assertThat(FORMAT.read(json.toString()).problem())
        .as("in a structured answer")
        .isEqualTo("$." + mistake.parameter() + " " + mistake.words());
  }

  @ParameterizedTest
  @MethodSource("mistakes")
  void theValidValuesPassAllThree(Mistake mistake) {
    String json =
        "{\"count\": 2, \"items\": [\"a\"], \"name\": \"n\", \"currency\": \"USD\", \"note\": null}";
    String call = "1. pick(2, [\"a\"], \"n\", \"USD\", None)";
    assertThat(PlanParser.parse(call, Map.of("pick", PICK), 1, Set.of()).tasks().get(0).error())
        .isNull();
    mistake.decode().accept(ToolArguments.of(PICK, (ObjectNode) Json.parse(json, "arguments")));
    assertThat(FORMAT.read(json).problem()).isNull();
    assertThat(FORMAT.read(json).value())
        .isEqualTo(new Pick(2, List.of("a"), "n", Currency.USD, null));
  }
}
