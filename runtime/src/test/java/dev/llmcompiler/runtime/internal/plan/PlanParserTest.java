package dev.llmcompiler.runtime.internal.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class PlanParserTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  static RecordingListener parse(String text) {
    return parse(text, 1, Set.of());
  }

  static RecordingListener parse(String text, int firstId, Set<Integer> earlierIds) {
    RecordingListener listener = new RecordingListener();
    PlanParser parser = new PlanParser(TestTools.all(), firstId, earlierIds, listener);
    parser.feed(text);
    parser.finish();
    return listener;
  }

  /** The plan read strictly, without repairs. */
  static RecordingListener strict(String text) {
    RecordingListener listener = new RecordingListener();
    PlanParser parser = new PlanParser(TestTools.all(), 1, Set.of(), listener, false);
    parser.feed(text);
    parser.finish();
    return listener;
  }

  /** The one task of a plan of one line, read strictly. */
  static PlannedTask onlyStrict(String line) {
    RecordingListener listener = strict(line);
    assertThat(listener.tasks).as("tasks of %s", line).hasSize(1);
    return listener.tasks.get(0);
  }

  /** The one task of a plan of one line. */
  static PlannedTask only(String line) {
    RecordingListener listener = parse(line);
    assertThat(listener.tasks).as("tasks of %s", line).hasSize(1);
    return listener.tasks.get(0);
  }

  /** The last task of a plan, whose earlier lines set the stage. */
  static PlannedTask last(String text) {
    RecordingListener listener = parse(text);
    assertThat(listener.tasks).isNotEmpty();
    return listener.tasks.get(listener.tasks.size() - 1);
  }

  static String error(String text) {
    PlannedTask task = last(text);
    assertThat(task.error()).as("error of the last task of %s", text).isNotNull();
    return task.error();
  }

  static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static JsonNode literal(PlannedTask task, String argument) {
    PlanValue value = task.arguments().get(argument);
    assertThat(value).as("argument %s of %s", argument, task).isInstanceOf(PlanValue.Literal.class);
    return ((PlanValue.Literal) value).value();
  }

  @Nested
  class WholePlans {
    @Test
    void parseGivesTheTasksTheJoinLineAndWhatFollowsTheEnd() {
      PlanParser.ParsedPlan plan =
          PlanParser.parse(
              String.join(
                  "\n",
                  "Thought: look both up",
                  "1. search(\"a\")",
                  "",
                  "2. math(",
                  "  \"${1} + 1\")",
                  "3. join()",
                  "<END_OF_PLAN>",
                  "Question: next"),
              TestTools.all(),
              1,
              Set.of());
      assertThat(plan.tasks()).extracting(PlannedTask::id).containsExactly(1, 2);
      assertThat(plan.tasks()).extracting(PlannedTask::lineNumber).containsExactly(2, 4);
      assertThat(plan.joinSeen()).isTrue();
      assertThat(plan.joinLineNumber()).isEqualTo(6);
      assertThat(plan.rest()).isEqualTo("\n<END_OF_PLAN>\nQuestion: next");
      assertThat(plan.restLineNumber()).isEqualTo(6);
    }

    @Test
    void aPlanWithoutJoinSaysSo() {
      PlanParser.ParsedPlan plan =
          PlanParser.parse("1. search(\"a\")\n2. serch(\"b\")", TestTools.all(), 1, Set.of());
      assertThat(plan.joinSeen()).isFalse();
      assertThat(plan.joinLineNumber()).isEqualTo(-1);
      assertThat(plan.rest()).isEmpty();
      assertThat(plan.tasks()).extracting(PlannedTask::lineNumber).containsExactly(1, 2);
      assertThat(plan.tasks().get(1).error()).contains("unknown tool 'serch'");
    }

    @Test
    void aJoinReadAtItsLineEndIsNumberedToo() {
      PlanParser.ParsedPlan plan =
          PlanParser.parse(
              "1. search(\"a\")\r\n\r\njoin\r\nleft over", TestTools.all(), 1, Set.of());
      assertThat(plan.joinSeen()).isTrue();
      assertThat(plan.joinLineNumber()).isEqualTo(3);
      assertThat(plan.rest()).isEqualTo("left over");
      assertThat(plan.restLineNumber()).isEqualTo(4);
    }
  }

  @Nested
  class TaskLines {
    @Test
    void acceptsTheIdFormsModelsWrite() {
      RecordingListener listener =
          parse(
              String.join(
                  "\n",
                  "1. search(\"a\")",
                  "2) search(\"b\")",
                  "3: search(\"c\")",
                  "4 search(\"d\")",
                  "  5.search(\"e\")",
                  "- 6. search(\"f\")",
                  "* 7. search(\"g\")",
                  "\t8. `search(\"h\")`",
                  "9. search(\"i\");",
                  "10. search(\"j\")  # look it up",
                  "11. search(\"k\") // look it up",
                  "• 12. search ( \"l\" )"));
      assertThat(listener.tasks)
          .extracting(PlannedTask::id)
          .containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
      assertThat(listener.tasks)
          .allSatisfy(
              task -> {
                assertThat(task.error()).isNull();
                assertThat(task.tool()).isEqualTo("search");
              });
      assertThat(listener.tasks)
          .extracting(task -> literal(task, "query").asText())
          .containsExactly("a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l");
      assertThat(listener.tasks.get(0).line()).isEqualTo("1. search(\"a\")");
    }

    @Test
    void acceptsIdsInMarkdownBoldOrAfterAHash() {
      RecordingListener listener =
          parse("**1.** search(\"a\")\n**2**. search(\"b\")\n#3 search(\"c\")\n**4.** join()");
      assertThat(listener.events)
          .containsExactly(
              "task 1 search(query=\"a\") deps=[]",
              "task 2 search(query=\"b\") deps=[]",
              "task 3 search(query=\"c\") deps=[]",
              "end join=true");
    }

    @Test
    void aCallInAProseLineIsAFailedTaskNotASilentDrop() {
      RecordingListener listener =
          strict(
              "1. search(\"a\")\nAction: search(\"b\")\nStep 3: math(\"$1\", None);\n"
                  + "First I will use search() to find it.\n4. search(\"c\")");
      // Unnumbered (id 0): they take no id, so task 4 keeps the planner's own number.
      assertThat(listener.tasks)
          .extracting(PlannedTask::id)
          .containsExactly(1, PlannedTask.UNNUMBERED, PlannedTask.UNNUMBERED, 4);
      assertThat(listener.tasks.get(1).tool()).isEqualTo("search");
      assertThat(listener.tasks.get(1).lineNumber()).isEqualTo(2);
      assertThat(listener.tasks.get(1).error())
          .isEqualTo(
              "the line `Action: search(\"b\")` calls search but does not"
                  + " start with a task id; write each task on its own line as <id>. <tool>(<arguments>), here 2. search(...).");
      assertThat(listener.tasks.get(2).error())
          .contains("calls math but does not start with a task id");
      assertThat(listener.tasks.get(3).error()).isNull();
      assertThat(listener.tasks.get(3).thought())
          .isEqualTo("First I will use search() to find it.");
    }

    @Test
    void ignoresBlankLinesAndCodeFences() {
      RecordingListener listener =
          parse("```plan\n\n1. search(\"a\")\n   \n```\n~~~\n2. search(\"b\")\n```\n");
      assertThat(listener.events)
          .containsExactly(
              "task 1 search(query=\"a\") deps=[]",
              "task 2 search(query=\"b\") deps=[]",
              "end join=false");
    }

    @Test
    void crlfAndLoneCrEndLines() {
      RecordingListener listener =
          parse("1. search(\"a\")\r\n2. search(\"b\")\r3. search(\"c\")\r\n");
      assertThat(listener.tasks)
          .extracting(PlannedTask::line)
          .containsExactly("1. search(\"a\")", "2. search(\"b\")", "3. search(\"c\")");
      assertThat(listener.tasks).allSatisfy(task -> assertThat(task.error()).isNull());
    }

    @Test
    void crlfSplitAcrossChunksIsOneLineBreak() {
      RecordingListener listener = new RecordingListener();
      PlanParser parser = new PlanParser(TestTools.all(), 1, Set.of(), listener);
      parser.feed("Thought: t\r");
      parser.feed("\n1. search(\"a\")\r");
      assertThat(listener.tasks).hasSize(1);
      parser.feed("\n\r\n2. search(\"b\")");
      parser.finish();
      assertThat(listener.events)
          .containsExactly(
              "task 1 search(query=\"a\") deps=[]",
              "  thought: t",
              "task 2 search(query=\"b\") deps=[]",
              "end join=false");
    }

    @Test
    void lastLineWithoutLineBreakIsReadAtFinish() {
      RecordingListener listener = new RecordingListener();
      PlanParser parser = new PlanParser(TestTools.all(), 1, Set.of(), listener);
      parser.feed("1. search(\"a\")");
      assertThat(listener.tasks).isEmpty();
      parser.finish();
      assertThat(listener.tasks).hasSize(1);
      assertThat(listener.joinSeen).isFalse();
      parser.finish();
      parser.feed("2. search(\"b\")\n");
      assertThat(listener.tasks).hasSize(1);
      assertThat(listener.ends).isEqualTo(1);
    }

    @Test
    void emptyPlanEndsWithoutTasks() {
      RecordingListener listener = parse("");
      assertThat(listener.events).containsExactly("end join=false");
    }
  }

  @Nested
  class TasksOverSeveralLines {
    @Test
    void aCallGoesOnWhileItsBracketsAreOpenAndIsEmittedWhenTheyClose() {
      RecordingListener listener = new RecordingListener();
      PlanParser parser = new PlanParser(TestTools.all(), 1, Set.of(), listener);
      parser.feed("Thought: big order\n1. create_order(\n  {\"item\": \"book (paper)\",\n");
      parser.feed("   \"tags\": [\"a\", \"]\"]},\n");
      assertThat(listener.tasks).isEmpty();
      parser.feed("  quantity=2)\n");
      assertThat(listener.tasks).hasSize(1);
      PlannedTask task = listener.tasks.get(0);
      assertThat(task.error()).isNull();
      assertThat(task.thought()).isEqualTo("big order");
      assertThat(literal(task, "order"))
          .isEqualTo(json("{\"item\":\"book (paper)\",\"tags\":[\"a\",\"]\"]}"));
      assertThat(task.line())
          .isEqualTo(
              "1. create_order(\n  {\"item\": \"book (paper)\",\n   \"tags\": [\"a\", \"]\"]},\n  quantity=2)");
    }

    @Test
    void aTaskThoughtBlankLineOrTheEndCutsAnOpenCallOff() {
      for (String next :
          List.of("2. search(\"b\")", "Thought: t", "", "```", "join()", "<END_OF_PLAN>")) {
        RecordingListener listener = strict("1. search(\"a\"\n" + next + "\n");
        assertThat(listener.tasks).as(next).isNotEmpty();
        assertThat(listener.tasks.get(0).error())
            .as(next)
            .contains(
                "the call to search opened at column 10 is not closed: expected ')' before the task ended");
      }
      RecordingListener cut = strict("1. search(\"a\"\n2. search(\"b\")\njoin()");
      assertThat(cut.events)
          .containsExactly(
              cut.events.get(0), "task 2 search(query=\"b\") deps=[]", "end join=true");
    }

    @Test
    void anOpenStringDoesNotGoOn() {
      RecordingListener listener = parse("1. search(\"a\n2. search(\"b\")");
      assertThat(listener.tasks).hasSize(2);
      assertThat(listener.tasks.get(0).error())
          .contains("unterminated string starting at column 11");
      assertThat(listener.tasks.get(1).error()).isNull();
    }

    @Test
    void aContinuationThatClosesTooMuchFails() {
      PlannedTask task = only("1. search(\n\"a\"))");
      assertThat(task.error()).contains("unexpected text after the closing ')'");
    }

    @Test
    void aTaskOverTooManyLinesIsCutOff() {
      StringBuilder plan = new StringBuilder("1. top_k([\n");
      for (int i = 0; i < PlanParser.MAX_TASK_LINES + 5; i++) {
        plan.append(i).append(",\n");
      }
      plan.append("], 1)\n2. search(\"after\")\n");
      RecordingListener listener = parse(plan.toString());
      assertThat(listener.tasks.get(0).error())
          .contains("the list opened at column 10 is not closed");
      assertThat(listener.tasks.get(listener.tasks.size() - 1).error()).isNull();
    }
  }

  @Nested
  class Repairs {
    /**
     * The one task of a one-line plan: read as repaired, with these notes; read strictly, failed.
     */
    private PlannedTask repaired(String text, String... notes) {
      PlannedTask task = last(text);
      assertThat(task.error()).as("error of %s", text).isNull();
      assertThat(task.repairs()).as("repairs of %s", text).containsExactly(notes);
      RecordingListener strict = strict(text);
      assertThat(strict.tasks.get(strict.tasks.size() - 1).error())
          .as("strict reading of %s", text)
          .isNotNull();
      return task;
    }

    /** The last task of the plan fails with the same message with and without repairs. */
    private String refused(String text) {
      PlannedTask task = last(text);
      RecordingListener strict = strict(text);
      assertThat(task.error())
          .as("error of %s", text)
          .isNotNull()
          .isEqualTo(strict.tasks.get(strict.tasks.size() - 1).error());
      assertThat(task.repairs()).isEmpty();
      return task.error();
    }

    @Test
    void unquotedTextForTheOnlyStringParameter() {
      PlannedTask task =
          repaired("8. search(Rosetta)", "read unquoted text as the string \"Rosetta\"");
      assertThat(literal(task, "query").asText()).isEqualTo("Rosetta");
      for (String text :
          List.of(
              "Austin Powers International Man of Mystery",
              "Arthur's Magazine",
              "First for Women (magazine)",
              "Mission: Impossible",
              "2001: A Space Odyssey",
              "True Detective",
              "3D printing",
              "Washington, D.C.",
              "the \"best\" pizza")) {
        assertThat(
                literal(
                        repaired(
                            "1. search(" + text + ")",
                            "read unquoted text as the string "
                                + JsonNodeFactory.instance.textNode(text)),
                        "query")
                    .asText())
            .isEqualTo(text);
      }
      assertThat(
              literal(
                      repaired(
                          "1. search(query=Rosetta Stone)",
                          "read unquoted text as the string \"Rosetta Stone\""),
                      "query")
                  .asText())
          .isEqualTo("Rosetta Stone");
      assertThat(
              literal(
                      repaired(
                          "1. weather(city: Paris)", "read unquoted text as the string \"Paris\""),
                      "city")
                  .asText())
          .isEqualTo("Paris");
    }

    @Test
    void unquotedTextKeepsItsReferences() {
      PlannedTask task =
          repaired(
              "1. search(\"a\")\n2. search(\"b\")\n3. math(max($1, $2) / ${2})",
              "read unquoted text as the string \"max($1, $2) / $2\"");
      assertThat(task.arguments().get("problem"))
          .isEqualTo(
              new PlanValue.Template(
                  List.of(
                      "max(",
                      PlanValue.Reference.to(1),
                      ", ",
                      PlanValue.Reference.to(2),
                      ") / ",
                      PlanValue.Reference.to(2))));
      assertThat(task.dependsOn()).containsExactly(1, 2);
      PlannedTask money =
          repaired(
              "1. search(\"a\")\n2. search(costs $100 or $1.50 and $1)",
              "read unquoted text as the string \"costs $100 or $1.50 and $1\"");
      assertThat(money.dependsOn()).containsExactly(1);
    }

    @Test
    void unquotedTextForTheLastStringParameter() {
      assertThat(
              literal(
                      repaired(
                          "1. convert(3, \"USD\", EUR)",
                          "read unquoted text as the string \"EUR\""),
                      "to")
                  .asText())
          .isEqualTo("EUR");
      assertThat(
              literal(
                      repaired(
                          "1. get_price(\"MSFT\", EUR)",
                          "read unquoted text as the string \"EUR\""),
                      "currency")
                  .asText())
          .isEqualTo("EUR");
    }

    @Test
    void unquotedTextThatCouldMeanSomethingElseIsRefused() {
      assertThat(refused("1. convert(3, USD, \"EUR\")"))
          .contains("unquoted text 'USD' at column 15");
      // A comma may separate the text from a later parameter's argument.
      assertThat(refused("1. get_price(MSFT, USD)")).contains("unquoted text 'MSFT'");
      assertThat(refused("1. weather(Paris, France)")).contains("unquoted text 'Paris'");
      assertThat(refused("1. search(\"a\")\n2. math(cheetah speed, [\"$1\"])"))
          .contains("unquoted text 'cheetah'");
      // A known tool's call is a nested call, a malformed reference a reference.
      assertThat(refused("1. search(search(\"x\"))")).contains("nested call search(...)");
      assertThat(refused("1. search(\"a\")\n2. search($x)"))
          .contains("'$' at column 11 must be followed by a task id");
      assertThat(refused("1. search(a ${1.x)")).contains("unquoted text 'a'");
      assertThat(refused("1. search(foo ) bar)")).contains("unquoted text 'foo'");
      assertThat(refused("1. top_k(apple, 1)")).contains("unquoted text 'apple'");
      assertThat(refused("1. get_price(\"MSFT\", GBP)")).contains("unquoted text 'GBP'");
      assertThat(refused("1. search(Rosetta, a=1)")).contains("unquoted text 'Rosetta'");
      assertThat(refused("1. now(Rosetta)")).contains("unquoted text 'Rosetta'");
      assertThat(refused("1. search(True)")).contains("must be a string, but got true");
      assertThat(refused("1. search(\"a\")\n2. search(${7} and more)"))
          .contains("expected ',' or ')'");
    }

    @Test
    void aMissingFinalParenthesis() {
      RecordingListener listener =
          parse(
              "1. search(\"cheetah\")\n"
                  + "2. math(\"cheetah max speed in km/h if 1.3 times slower?\", [\"$1\"]\n"
                  + "3. search(\"greyhound\"\n"
                  + "join()");
      assertThat(listener.events)
          .containsExactly(
              "task 1 search(query=\"cheetah\") deps=[]",
              "task 2 math(problem=\"cheetah max speed in km/h if 1.3 times slower?\", context=[\"$1\"]) deps=[1]",
              "  repaired: added the missing ')' at the end of the line",
              "task 3 search(query=\"greyhound\") deps=[]",
              "  repaired: added the missing ')' at the end of the line",
              "end join=true");
      repaired(
          "1. search(Rosetta",
          "read unquoted text as the string \"Rosetta\"",
          "added the missing ')' at the end of the line");
    }

    @Test
    void aMissingParenthesisWhereMoreWasToComeIsRefused() {
      assertThat(refused("1. weather(\"Paris\","))
          .contains("the call to weather opened at column 11 is not closed");
      assertThat(refused("1. top_k([1, 2")).contains("the list opened at column 10 is not closed");
      assertThat(refused("1. search(\"a")).contains("unterminated string");
      assertThat(
              refused(
                  "1. create_order({\"a\": 1},\n  2\n2. search(\"b\")"
                      .replace("2. search", "Thought: t")))
          .contains("the call to create_order opened at column 16 is not closed");
    }

    @Test
    void aMissingParenthesisWaitsForTheNextLine() {
      RecordingListener listener = new RecordingListener();
      PlanParser parser = new PlanParser(TestTools.all(), 1, Set.of(), listener);
      parser.feed("1. search(\"a\"\n");
      assertThat(listener.tasks).as("the call may go on on the next line").isEmpty();
      parser.feed("2");
      assertThat(listener.tasks).isEmpty();
      parser.feed(". search(\"b\")\n");
      assertThat(listener.tasks).extracting(PlannedTask::id).containsExactly(1, 2);
      assertThat(listener.tasks.get(0).repairs())
          .containsExactly("added the missing ')' at the end of the line");
    }

    @Test
    void labelsBeforeTheId() {
      RecordingListener listener =
          parse(
              "Step 1: search(\"a\")\nTask 2: search(\"b\")\n**Step 3:** `search`(\"c\")\n"
                  + "step 4 search(\"d\")\nStep 5: find the populations\n6. search(\"e\")\nStep 7: join()\n8. search(\"f\")");
      assertThat(listener.events)
          .containsExactly(
              "task 1 search(query=\"a\") deps=[]",
              "  repaired: read the label \"Step 1:\" as task 1",
              "task 2 search(query=\"b\") deps=[]",
              "  repaired: read the label \"Task 2:\" as task 2",
              "task 3 search(query=\"c\") deps=[]",
              "  repaired: read the label \"**Step 3:**\" as task 3",
              "  repaired: read the tool name in backticks, `search`, as search",
              "task 4 search(query=\"d\") deps=[]",
              "  repaired: read the label \"step 4\" as task 4",
              "task 6 search(query=\"e\") deps=[]",
              "  thought: Step 5: find the populations",
              "end join=true");
      assertThat(strict("Step 1: search(\"a\")").tasks.get(0).error())
          .contains("calls search but does not start with a task id");
    }

    @Test
    void aLabelledJoinEndsThePlanTheMomentItIsRead() {
      RecordingListener listener = new RecordingListener();
      PlanParser parser = new PlanParser(TestTools.all(), 1, Set.of(), listener);
      parser.feed("1. search(\"a\")\nStep 2: join()");
      assertThat(listener.joinSeen).isTrue();
      RecordingListener backticks = new RecordingListener();
      PlanParser other = new PlanParser(TestTools.all(), 1, Set.of(), backticks);
      other.feed("1. search(\"a\")\n2. `join`()");
      assertThat(backticks.joinSeen).isTrue();
    }

    @Test
    void aToolNameInBackticks() {
      PlannedTask task =
          repaired("1. `search`(\"x\")", "read the tool name in backticks, `search`, as search");
      assertThat(literal(task, "query").asText()).isEqualTo("x");
      assertThat(only("1. `search(\"x\")`").repairs())
          .as("the call in backticks is the plan language")
          .isEmpty();
    }

    @Test
    void separatorsAreIgnored() {
      String plan =
          "###\n1. search(\"a\")\n###\n---\n* * *\n=====\n2. search(\"b\")\n2.5 ### not a separator";
      assertThat(parse(plan).tasks.get(1).thought()).isEmpty();
      assertThat(strict(plan).tasks.get(1).thought()).isEqualTo("###\n---\n* * *\n=====");
      RecordingListener cut = parse("1. search(\"a\"\n###\n2. search(\"b\")");
      assertThat(cut.tasks.get(0).repairs())
          .containsExactly("added the missing ')' at the end of the line");
    }

    @Test
    void aQuestionAfterTheFirstTaskEndsThePlan() {
      RecordingListener listener =
          parse(
              "Question: Which magazine came first?\nThought: look both up\n"
                  + "1. search(\"Arthur's Magazine\")\n2. search(\"First for Women\"\n\n###\n\n"
                  + "**Question:** Who was born first?\n1. search(\"x\")\n2. join()");
      assertThat(listener.events)
          .containsExactly(
              "task 1 search(query=\"Arthur's Magazine\") deps=[]",
              "  thought: look both up",
              "task 2 search(query=\"First for Women\") deps=[]",
              "  repaired: added the missing ')' at the end of the line",
              "end join=false");
      assertThat(strict("1. search(\"a\")\nQuestion: next\n1. search(\"b\")").tasks).hasSize(2);
    }

    @Test
    void contextListsOfReferencesInStringsNeedNoRepair() {
      PlannedTask task = last("1. search('a')\n2. search(\"b\")\n3. math('ratio', ['$1', \"$2\"])");
      assertThat(task.error()).isNull();
      assertThat(task.repairs()).isEmpty();
      assertThat(task.dependsOn()).containsExactly(1, 2);
      JsonNode context =
          task.arguments()
              .get("context")
              .resolve(
                  id ->
                      id == 1
                          ? json("{\"height\": 8849}")
                          : JsonNodeFactory.instance.textNode("5895 m"));
      assertThat(context).isEqualTo(json("[\"{\\\"height\\\":8849}\", \"5895 m\"]"));
    }

    @Test
    void parseCanReadStrictly() {
      assertThat(
              PlanParser.parse("1. search(Rosetta)", TestTools.all(), 1, Set.of())
                  .tasks()
                  .get(0)
                  .error())
          .isNull();
      assertThat(
              PlanParser.parse("1. search(Rosetta)", TestTools.all(), 1, Set.of(), false)
                  .tasks()
                  .get(0)
                  .error())
          .contains("unquoted text 'Rosetta'");
    }
  }

  @Nested
  class Thoughts {
    @Test
    void thoughtIsAttachedToTheNextTaskOnly() {
      RecordingListener listener = parse("Thought: first\n1. search(\"a\")\n2. search(\"b\")\n");
      assertThat(listener.tasks.get(0).thought()).isEqualTo("first");
      assertThat(listener.tasks.get(1).thought()).isEmpty();
    }

    @Test
    void severalThoughtLinesAreJoinedWithLineBreaks() {
      PlannedTask task =
          last(
              "Thought: one\nthought 2: two\n**Thought:** three\nThoughts: four\n1. search(\"a\")");
      assertThat(task.thought()).isEqualTo("one\ntwo\nthree\nfour");
    }

    @Test
    void proseBeforeThePlanIsIgnoredAndProseInsideItIsKeptAsThought() {
      RecordingListener listener =
          parse(
              "Here is the plan:\nSure!\n1. search(\"a\")\nNow compare the two.\n2. search(\"b\")\n");
      assertThat(listener.tasks.get(0).thought()).isEmpty();
      assertThat(listener.tasks.get(1).thought()).isEqualTo("Now compare the two.");
    }

    @Test
    void aFailedTaskKeepsItsThought() {
      PlannedTask task = only("Thought: look it up\n1. serch(\"a\")");
      assertThat(task.error()).isNotNull();
      assertThat(task.thought()).isEqualTo("look it up");
    }

    @Test
    void thoughtsAfterTheLastTaskAreDropped() {
      RecordingListener listener = parse("1. search(\"a\")\nThought: done\njoin()");
      assertThat(listener.events)
          .containsExactly("task 1 search(query=\"a\") deps=[]", "end join=true");
    }
  }

  @Nested
  class Arguments {
    @Test
    void positionalArgumentsMapToParametersInOrder() {
      PlannedTask task = only("1. convert(12.5, \"USD\", \"EUR\")");
      assertThat(task.arguments().keySet()).containsExactly("amount", "from", "to");
      assertThat(literal(task, "amount").doubleValue()).isEqualTo(12.5);
    }

    @Test
    void namedArgumentsWithEqualsOrColonAreOrderedByParameter() {
      PlannedTask task = only("1. convert(to=\"EUR\", from: 'USD', amount = 3,)");
      assertThat(task.error()).isNull();
      assertThat(task.arguments().keySet()).containsExactly("amount", "from", "to");
      assertThat(RecordingListener.render(task))
          .containsExactly("task 1 convert(amount=3, from=\"USD\", to=\"EUR\") deps=[]");
    }

    @Test
    void positionalThenNamed() {
      PlannedTask task = only("1. weather(\"Paris\", days=3)");
      assertThat(RecordingListener.render(task))
          .containsExactly("task 1 weather(city=\"Paris\", days=3) deps=[]");
    }

    @Test
    void optionalParametersMayBeLeftOut() {
      PlannedTask task = only("1. weather(\"Paris\")");
      assertThat(task.error()).isNull();
      assertThat(task.arguments()).containsOnlyKeys("city");
    }

    @Test
    void noArgumentsForAToolWithoutParameters() {
      PlannedTask task = only("1. now()");
      assertThat(task.error()).isNull();
      assertThat(task.arguments()).isEmpty();
    }

    @Test
    void oneObjectOfParameterNamesIsReadAsNamedArguments() {
      PlannedTask task = only("1. search({\"query\": \"x\"})");
      assertThat(task.error()).isNull();
      assertThat(literal(task, "query").asText()).isEqualTo("x");
      PlannedTask withReference =
          last("1. search(\"a\")\n2. convert({amount: $1, from: \"USD\", to: \"EUR\"})");
      assertThat(withReference.error()).isNull();
      assertThat(withReference.arguments().get("amount")).isEqualTo(PlanValue.Reference.to(1));
    }

    @Test
    void anObjectForAnObjectParameterStaysAnObject() {
      PlannedTask task = only("1. create_order({\"quantity\": 2}, 1)");
      assertThat(task.error()).isNull();
      assertThat(literal(task, "order")).isEqualTo(json("{\"quantity\":2}"));
      assertThat(literal(task, "quantity").intValue()).isEqualTo(1);
    }
  }

  @Nested
  class Literals {
    @Test
    void jsonAndPythonConstants() {
      PlannedTask task =
          only(
              "1. create_order({\"a\": true, \"b\": True, \"c\": false, \"d\": False,"
                  + " \"e\": null, \"f\": None}, 1, express=True)");
      assertThat(literal(task, "order"))
          .isEqualTo(json("{\"a\":true,\"b\":true,\"c\":false,\"d\":false,\"e\":null,\"f\":null}"));
      assertThat(literal(task, "express").booleanValue()).isTrue();
    }

    @Test
    void numbers() {
      PlannedTask task =
          only(
              "1. top_k([0, -7, 2.5, -0.25, 1e3, 6.02E+23, 1.5e-3, +4, 3000000000,"
                  + " 123456789012345678901234567890], 1)");
      JsonNode list = literal(task, "items");
      assertThat(list.get(0).isInt()).isTrue();
      assertThat(list.get(1).intValue()).isEqualTo(-7);
      assertThat(list.get(2).doubleValue()).isEqualTo(2.5);
      assertThat(list.get(3).doubleValue()).isEqualTo(-0.25);
      assertThat(list.get(4).doubleValue()).isEqualTo(1000.0);
      assertThat(list.get(5).doubleValue()).isEqualTo(6.02e23);
      assertThat(list.get(6).doubleValue()).isEqualTo(0.0015);
      assertThat(list.get(7).intValue()).isEqualTo(4);
      assertThat(list.get(8).isLong()).isTrue();
      assertThat(list.get(8).longValue()).isEqualTo(3_000_000_000L);
      assertThat(list.get(9).bigIntegerValue())
          .isEqualTo(new BigInteger("123456789012345678901234567890"));
    }

    @Test
    void stringsInEitherQuoteWithEscapes() {
      PlannedTask task =
          only("1. search('it\\'s \"quoted\" \\n\\t\\r\\\\ \\/ \\u00e9\\u20AC \\x41 \\$1 \\d')");
      assertThat(literal(task, "query").asText())
          .isEqualTo("it's \"quoted\" \n\t\r\\ / é€ A $1 \\d");
      PlannedTask doubleQuoted = only("1. search(\"say \\\"hi\\\" and 'bye'\")");
      assertThat(literal(doubleQuoted, "query").asText()).isEqualTo("say \"hi\" and 'bye'");
    }

    @Test
    void surrogatePairEscapes() {
      PlannedTask task = only("1. search(\"\\ud83d\\ude00\")");
      assertThat(literal(task, "query").asText()).isEqualTo("\uD83D\uDE00");
    }

    @Test
    void nestedListsAndObjectsWithTrailingCommasAndBareKeys() {
      PlannedTask task =
          only(
              "1. create_order({item: {name: 'book', tags: ['a', [1, 2,],],}, \"n-1\": {},"
                  + " empty: [],}, quantity=2)");
      assertThat(literal(task, "order"))
          .isEqualTo(
              json(
                  "{\"item\":{\"name\":\"book\",\"tags\":[\"a\",[1,2]]},\"n-1\":{},\"empty\":[]}"));
    }

    @Test
    void objectKeysAreNeverReferences() {
      PlannedTask task = last("1. search(\"a\")\n2. create_order({\"$1\": 1}, 1)");
      assertThat(task.error()).isNull();
      assertThat(literal(task, "order")).isEqualTo(json("{\"$1\":1}"));
      assertThat(task.dependsOn()).isEmpty();
    }
  }

  @Nested
  class References {
    @Test
    void wholeArgumentReferencesKeepTheirType() {
      PlannedTask task = last("1. search(\"a\")\n2. search(\"b\")\n3. top_k($1, ${2})");
      assertThat(task.arguments().get("items")).isEqualTo(PlanValue.Reference.to(1));
      assertThat(task.arguments().get("k")).isEqualTo(PlanValue.Reference.to(2));
      assertThat(task.dependsOn()).containsExactly(1, 2);
    }

    @Test
    void fieldPaths() {
      PlannedTask task =
          last(
              "1. search(\"a\")\n2. search(\"b\")\n3. top_k($1.items[0].list, ${2.items[1].name})");
      assertThat(task.arguments().get("items"))
          .isEqualTo(new PlanValue.Reference(1, List.of("items", 0, "list")));
      assertThat(task.arguments().get("k"))
          .isEqualTo(new PlanValue.Reference(2, List.of("items", 1, "name")));
      PlannedTask bracketKey = last("1. search(\"a\")\n2. top_k(${1[\"the list\"]}, ${ 1.k })");
      assertThat(bracketKey.arguments().get("items"))
          .isEqualTo(new PlanValue.Reference(1, List.of("the list")));
      assertThat(bracketKey.arguments().get("k"))
          .isEqualTo(new PlanValue.Reference(1, List.of("k")));
    }

    @Test
    void referencesInsideStringsMakeTemplates() {
      PlannedTask task =
          last("1. search(\"a\")\n2. search(\"b\")\n3. math(\"${2} / $1.price per $1\", None)");
      assertThat(task.arguments().get("problem"))
          .isEqualTo(
              new PlanValue.Template(
                  List.of(
                      PlanValue.Reference.to(2),
                      " / ",
                      new PlanValue.Reference(1, List.of("price")),
                      " per ",
                      PlanValue.Reference.to(1))));
      assertThat(task.dependsOn()).containsExactly(1, 2);
      JsonNode resolved =
          task.arguments()
              .get("problem")
              .resolve(
                  id ->
                      id == 1
                          ? json("{\"price\": 4}")
                          : JsonNodeFactory.instance.textNode("twelve"));
      assertThat(resolved.asText()).isEqualTo("twelve / 4 per {\"price\":4}");
    }

    @Test
    void referencesInsideListsAndObjects() {
      PlannedTask task =
          last("1. search(\"a\")\n2. create_order({\"item\": $1, \"ids\": [1, \"$1\"]}, 1)");
      assertThat(task.arguments().get("order")).isInstanceOf(PlanValue.ObjectValue.class);
      assertThat(task.arguments().get("order").toPlanText())
          .isEqualTo("{\"item\": $1, \"ids\": [1, \"$1\"]}");
      assertThat(task.dependsOn()).containsExactly(1);
    }

    @Test
    void oneDoesNotMatchInsideTwelve() {
      StringBuilder plan = new StringBuilder();
      for (int i = 1; i <= 12; i++) {
        plan.append(i).append(". search(\"q").append(i).append("\")\n");
      }
      plan.append("13. math(\"$12 + $1\", [$12])");
      PlannedTask task = last(plan.toString());
      assertThat(task.dependsOn()).containsExactly(1, 12);
      assertThat(task.arguments().get("problem"))
          .isEqualTo(
              new PlanValue.Template(
                  List.of(PlanValue.Reference.to(12), " + ", PlanValue.Reference.to(1))));
      PlannedTask onlyOne = last("1. search(\"a\")\n2. search(\"$12 is not $1\")");
      assertThat(onlyOne.arguments().get("query"))
          .isEqualTo(new PlanValue.Template(List.of("$12 is not ", PlanValue.Reference.to(1))));
    }

    @Test
    void dollarsThatNameNoEarlierTaskAreText() {
      PlannedTask task =
          last("1. search(\"a\")\n2. search(\"costs $100, $1.50 or $1,000; $ and ${x} and \\$1\")");
      assertThat(task.error()).isNull();
      assertThat(literal(task, "query").asText())
          .isEqualTo("costs $100, $1.50 or $1,000; $ and ${x} and $1");
      assertThat(task.dependsOn()).isEmpty();
    }

    @Test
    void aStringThatIsOneReferencePassesTheValueToATypedParameter() {
      PlannedTask task = last("1. search(\"a\")\n2. top_k(\"$1\", \"${1.k}\")");
      assertThat(task.error()).isNull();
      assertThat(task.arguments().get("items")).isEqualTo(PlanValue.Reference.to(1));
      assertThat(task.arguments().get("k")).isEqualTo(new PlanValue.Reference(1, List.of("k")));
      PlannedTask text = last("1. search(\"a\")\n2. search(\"$1\")");
      assertThat(text.arguments().get("query"))
          .isEqualTo(new PlanValue.Template(List.of(PlanValue.Reference.to(1))));
    }

    @Test
    void earlierRoundsMayBeReferenced() {
      PlannedTask task = lastOfReplan("4. math(\"$1 + $3\", [$2])", 4, Set.of(1, 2, 3));
      assertThat(task.error()).isNull();
      assertThat(task.dependsOn()).containsExactly(1, 2, 3);
    }

    private PlannedTask lastOfReplan(String text, int firstId, Set<Integer> earlier) {
      List<PlannedTask> tasks = parse(text, firstId, earlier).tasks;
      return tasks.get(tasks.size() - 1);
    }

    @Test
    void aFailedTaskMayBeReferenced() {
      RecordingListener listener = parse("1. serch(\"a\")\n2. search($1)");
      assertThat(listener.tasks.get(0).error()).isNotNull();
      assertThat(listener.tasks.get(1).error()).isNull();
      assertThat(listener.tasks.get(1).dependsOn()).containsExactly(1);
    }

    @Test
    void wholeArgumentReferenceToAMissingOrLaterTaskFails() {
      String message =
          error("1. search(\"a\")\n2. search(\"b\")\n3. search(\"c\")\n4. math($7, None)");
      assertThat(message)
          .isEqualTo(
              "references $7 at column 9, but only tasks 1-3 exist so far;"
                  + " a task can only use results of tasks listed before it.");
      assertThat(error("1. search($1)"))
          .contains("references $1 at column 11, but no task exists before it");
      assertThat(error("1. search(\"a\")\n2. search(${2.x})"))
          .contains("references ${2.x}", "only task 1 exists");
    }

    @Test
    void bracedReferenceToAMissingTaskInsideAStringFails() {
      assertThat(error("1. search(\"a\")\n2. search(\"about ${5}\")"))
          .contains("references ${5} at column 18, but only task 1 exists so far");
    }

    @Test
    void referenceToAnEarlierRoundsTaskWithoutResultFails() {
      List<PlannedTask> tasks = parse("5. math($2, None)", 5, Set.of(1, 3, 4)).tasks;
      assertThat(tasks.get(0).error())
          .contains(
              "references $2 at column 9, a task of an earlier round that has"
                  + " no result; use only results that exist (tasks 1, 3-4)");
    }

    @Test
    void malformedReferences() {
      assertThat(error("1. search(\"a\")\n2. search(\"${1.price\")"))
          .contains("malformed reference '${1.price\")'");
      assertThat(error("1. search(\"a\")\n2. search($x)"))
          .contains("'$' at column 11 must be followed by a task id");
      assertThat(error("1. search(\"a\")\n2. search(${x})"))
          .contains("'${' at column 11 must be followed by a task id");
      assertThat(error("1. search(\"a\")\n2. search(${1[-1]})"))
          .contains("negative indexes are not supported");
    }
  }

  @Nested
  class DirectAnswers {
    private static final String TASKS = "1. search(\"a\")\n2. get_price(\"MSFT\", \"USD\")\n";

    private DirectAnswer answer(String join) {
      RecordingListener listener = parse(TASKS + join + "\n4. search(\"never read\")");
      assertThat(listener.tasks).as(join).hasSize(2);
      assertThat(listener.joinSeen).as(join).isTrue();
      return listener.answer;
    }

    private String problem(String join) {
      DirectAnswer answer = answer(join);
      assertThat(answer).as(join).isNotNull();
      assertThat(answer.usable()).as(join).isFalse();
      assertThat(answer.line()).isEqualTo(join);
      return answer.problem();
    }

    @Test
    void oneStringIsTheAnswerInEveryFormAJoinMayTake() {
      for (String join :
          List.of(
              "3. join(\"Price: ${2.price} (${1})\")",
              "join('Price: ${2.price} (${1})')",
              "3. join(answer=\"Price: ${2.price} (${1})\")",
              "- 3) JOIN ( \"Price: ${2.price} (${1})\" ) ;",
              "`join(\"Price: ${2.price} (${1})\")`",
              "3. join(\"Price: ${2.price} (${1})\")  # done",
              "Step 3: `join`(\"Price: ${2.price} (${1})\")")) {
        DirectAnswer answer = answer(join);
        assertThat(answer).as(join).isNotNull();
        assertThat(answer.usable()).as(join).isTrue();
        assertThat(answer.template()).as(join).isEqualTo("Price: ${2.price} ($1)");
        assertThat(answer.references()).as(join).containsExactly(1, 2);
        assertThat(answer.render(id -> id == 1 ? json("\"a result\"") : json("{\"price\": 412.5}")))
            .isEqualTo("Price: 412.5 (a result)");
      }
    }

    @Test
    void aJoinWithoutAnAnswerIsAPlainJoin() {
      for (String join :
          List.of("3. join()", "join( )", "3. join(\"\")", "join('  ')", "join", "3. join(")) {
        assertThat(answer(join)).as(join).isNull();
      }
    }

    @Test
    void anAnswerSpreadOverLinesIsReadWhenItsBracketsClose() {
      RecordingListener listener =
          parse(TASKS + "3. join(\n  \"The price is ${2.price}\"\n)\n4. search(\"x\")");
      assertThat(listener.answer.template()).isEqualTo("The price is ${2.price}");
      assertThat(listener.tasks).hasSize(2);
    }

    @Test
    void textThatOnlyLooksLikeAReferenceStaysText() {
      DirectAnswer answer = answer("3. join(\"It costs $1.50, not $100 \\$2 ${1}\")");
      assertThat(answer.template()).isEqualTo("It costs $1.50, not $100 $2 $1");
      assertThat(answer.references()).containsExactly(1);
    }

    @Test
    void aJoinThatCannotBeAnAnswerEndsThePlanAndSaysWhy() {
      assertThat(problem("3. join(\"a\", \"b\")"))
          .isEqualTo(
              "join has 2 arguments, but a direct answer is one"
                  + " string; write the answer as one string, join(\"...\"), with ${N} for a result.");
      assertThat(problem("3. join(42)")).contains("the answer in join is 42, not a string");
      assertThat(problem("3. join($2.price)"))
          .contains("the answer in join is ${2.price}, not a string")
          .contains("e.g. join(\"${2.price}\")");
      assertThat(problem("3. join($1)")).contains("e.g. join(\"${1}\")");
      assertThat(problem("3. join(text=\"a\")")).startsWith("join has no parameter 'text'");
      assertThat(problem("3. join(\"${3}\")"))
          .isEqualTo(
              "the answer in join references ${3} at column 10, but only"
                  + " tasks 1-2 exist; an answer can only use results of tasks listed before the join.");
      assertThat(problem("3. join(\"unclosed)"))
          .startsWith(
              "cannot read the answer in `3. join(\"unclosed)`:"
                  + " unterminated string starting at column 9");
      assertThat(problem("3. join(\"a\") and then I answer"))
          .contains("unexpected text after the closing ')'");
      assertThat(problem("3. join(search(\"x\"))")).contains("nested call search(...)");
    }

    @Test
    void aReferenceToAFailedTaskIsAReferenceTheRuntimeChecksLater() {
      RecordingListener listener = parse("1. serch(\"a\")\n2. join(\"${1}\")");
      assertThat(listener.tasks.get(0).error()).contains("unknown tool");
      assertThat(listener.answer.references()).containsExactly(1);
    }

    @Test
    void theAnswerComesWhenItsLineEndsRightBeforeTheEnd() {
      RecordingListener listener = new RecordingListener();
      PlanParser parser = new PlanParser(TestTools.all(), 1, Set.of(), listener);
      parser.feed("1. search(\"a\")\n2. join(\"x) (y");
      parser.feed("\")");
      assertThat(listener.ended()).as("a join with arguments ends at its line's end").isFalse();
      parser.feed("\n");
      assertThat(listener.events)
          .containsExactly(
              "task 1 search(query=\"a\") deps=[]", "answer \"x) (y\" refs=[]", "end join=true");
    }

    @Test
    void aWholePlanReadAtOnceCarriesItsAnswer() {
      PlanParser.ParsedPlan plan =
          PlanParser.parse("1. join(\"Paris\")\n<END_OF_PLAN>", TestTools.all(), 1, Set.of());
      assertThat(plan.tasks()).isEmpty();
      assertThat(plan.joinSeen()).isTrue();
      assertThat(plan.directAnswer().template()).isEqualTo("Paris");
      assertThat(
              PlanParser.parse("1. search(\"a\")\n2. join()", TestTools.all(), 1, Set.of())
                  .directAnswer())
          .isNull();
    }

    @Test
    void renderingAPathTheResultDoesNotHaveFails() {
      DirectAnswer answer = answer("3. join(\"${2.cost}\")");
      assertThatThrownBy(() -> answer.render(id -> json("{\"price\": 1}")))
          .isInstanceOf(PlanReferenceException.class)
          .hasMessageContaining("has no field 'cost'");
    }
  }

  @Nested
  class JoinAndEnd {
    @Test
    void joinEndsThePlanTheMomentItsParenthesisArrives() {
      RecordingListener listener = new RecordingListener();
      PlanParser parser = new PlanParser(TestTools.all(), 1, Set.of(), listener);
      parser.feed("1. search(\"a\")\n2. join(");
      assertThat(listener.ended()).isFalse();
      parser.feed(")");
      assertThat(listener.joinSeen).isTrue();
      parser.feed("\n3. search(\"b\")\n");
      parser.finish();
      assertThat(listener.events)
          .containsExactly("task 1 search(query=\"a\") deps=[]", "end join=true");
    }

    @Test
    void joinForms() {
      for (String join :
          List.of(
              "join()",
              "3. join()",
              " - 3) JOIN ( )",
              "`join()`",
              "3. join() <END_OF_PLAN>",
              "join()<END_OF_PLAN>",
              "3. join(\"done\")",
              "Join()\n")) {
        RecordingListener listener =
            parse("1. search(\"a\")\n2. search(\"b\")\n" + join + "\n4. search(\"c\")");
        assertThat(listener.tasks).as(join).hasSize(2);
        assertThat(listener.joinSeen).as(join).isTrue();
      }
    }

    @Test
    void joinWithoutParentheses() {
      for (String join : List.of("join", "- JOIN", "3. join", "3. `join`")) {
        RecordingListener listener =
            parse("1. search(\"a\")\n2. search(\"b\")\n" + join + "\n4. search(\"c\")");
        assertThat(listener.tasks).as(join).hasSize(2);
        assertThat(listener.joinSeen).as(join).isTrue();
      }
      assertThat(parse("1. join the lists").tasks.get(0).error())
          .contains("expected '(' after the tool name 'join'");
    }

    @Test
    void endOfPlanOnItsOwnLineOrAfterATask() {
      RecordingListener ownLine = parse("1. search(\"a\")\n<END_OF_PLAN>\n2. search(\"b\")\n");
      assertThat(ownLine.events)
          .containsExactly("task 1 search(query=\"a\") deps=[]", "end join=false");
      RecordingListener afterTask = parse("1. search(\"a\")<END_OF_PLAN>2. search(\"b\")");
      assertThat(afterTask.events)
          .containsExactly("task 1 search(query=\"a\") deps=[]", "end join=false");
      RecordingListener doubled = parse("1. search(\"a\")\n<<END_OF_PLAN>>");
      assertThat(doubled.events)
          .containsExactly("task 1 search(query=\"a\") deps=[]", "end join=false");
    }

    @Test
    void endOfPlanSplitAcrossChunks() {
      RecordingListener listener = new RecordingListener();
      PlanParser parser = new PlanParser(TestTools.all(), 1, Set.of(), listener);
      parser.feed("1. search(\"a\")\n<END_OF");
      assertThat(listener.ended()).isFalse();
      parser.feed("_PLAN");
      assertThat(listener.ended()).isFalse();
      parser.feed(">tail");
      assertThat(listener.ended()).isTrue();
      assertThat(listener.joinSeen).isFalse();
    }

    @Test
    void textAfterTheEndIsIgnored() {
      RecordingListener listener = new RecordingListener();
      PlanParser parser = new PlanParser(TestTools.all(), 1, Set.of(), listener);
      parser.feed("1. search(\"a\")\njoin()\n2. search(\"b\")\n");
      parser.feed("3. search(\"c\"");
      parser.feed("\"\"\"unterminated");
      parser.finish();
      parser.feed("4. more\n");
      assertThat(listener.events)
          .containsExactly("task 1 search(query=\"a\") deps=[]", "end join=true");
    }
  }

  @Nested
  class Errors {
    @Test
    void unterminatedString() {
      PlannedTask task = only("3. search(\"x");
      assertThat(task.id()).isEqualTo(3);
      assertThat(task.tool()).isEqualTo("search");
      assertThat(task.line()).isEqualTo("3. search(\"x");
      assertThat(task.error())
          .isEqualTo(
              "cannot read the task line `3. search(\"x`: unterminated string starting"
                  + " at column 11; close it with \" on the same line (write a line break inside a string as \\n).");
    }

    @Test
    void unclosedCallListAndObject() {
      assertThat(onlyStrict("3. search(\"x\"").error())
          .contains("the call to search opened at column 10 is not closed: expected ')'");
      assertThat(only("1. top_k([1, 2, 3)").error())
          .contains("expected ',' or ']' at column 18 in the list opened at column 10");
      assertThat(only("1. top_k([1, 2").error())
          .contains("the list opened at column 10 is not closed: expected ']'");
      assertThat(only("1. create_order({\"a\": 1").error())
          .contains("the object opened at column 17 is not closed");
      assertThat(only("1. create_order({\"a\" 1}, 1)").error())
          .contains("expected ':' after the key 'a' at column 18");
      assertThat(only("1. create_order({\"a\": 1, \"a\": 2}, 1)").error())
          .contains("duplicate key 'a' at column 26");
    }

    @Test
    void missingToolCall() {
      PlannedTask task = only("4. First we look up the price.");
      assertThat(task.id()).isEqualTo(4);
      assertThat(task.error()).contains("expected '(' after the tool name 'First' at column 9");
      assertThat(only("4. (\"x\")").error())
          .contains("expected a tool call such as tool(arguments) at column 4");
    }

    @Test
    void unknownToolSuggestsTheClosestName() {
      PlannedTask task = only("1. serch(\"x\")");
      assertThat(task.tool()).isEqualTo("serch");
      assertThat(task.error())
          .isEqualTo(
              "unknown tool 'serch'; did you mean 'search'? Available tools: search, math,"
                  + " get_price, convert, top_k, create_order, weather, now.");
      assertThat(only("1. Search(\"x\")").error()).contains("did you mean 'search'?");
      assertThat(only("1. translate(\"x\")").error())
          .startsWith("unknown tool 'translate'; available tools: search, math,");
    }

    @Test
    void tooManyPositionalArguments() {
      assertThat(only("1. search(\"a\", \"b\")").error())
          .isEqualTo(
              "search takes 1 argument (query), but 2 were"
                  + " given. Call it as search(query: string) -> string.");
      assertThat(only("1. now(1)").error()).startsWith("now takes no arguments, but 1 was given.");
    }

    @Test
    void missingRequiredArguments() {
      assertThat(only("1. convert(3)").error())
          .isEqualTo(
              "missing required arguments 'from', 'to' of convert."
                  + " Call it as convert(amount: number, from: string, to: string) -> number.");
      assertThat(only("1. search()").error())
          .startsWith("missing required argument 'query' of search.");
    }

    @Test
    void unknownNamedArgument() {
      assertThat(only("1. weather(\"Paris\", day=2)").error())
          .isEqualTo(
              "weather has no parameter 'day' (column"
                  + " 21); did you mean 'days'? Its parameters are: city, days. Call it as weather(city: string, days?:"
                  + " integer | null) -> object.");
      assertThat(only("1. search(q=\"x\")").error())
          .startsWith("search has no parameter 'q' (column 11); its" + " parameters are: query.");
      assertThat(only("1. now(x=1)").error())
          .startsWith("now takes no arguments, but argument 'x' is given");
    }

    @Test
    void duplicateArgument() {
      assertThat(only("1. search(\"a\", query=\"b\")").error())
          .startsWith(
              "argument 'query' of search is given twice, at columns 11 and 16; give each argument once.");
      assertThat(only("1. search(query=\"a\", query=\"b\")").error()).contains("is given twice");
    }

    @Test
    void positionalAfterNamed() {
      assertThat(only("1. convert(amount=1, \"USD\", \"EUR\")").error())
          .startsWith(
              "positional argument at column"
                  + " 22 comes after a named argument; put positional arguments first, or name them all.");
    }

    @Test
    void namedArgumentWithoutValue() {
      assertThat(only("1. search(query=)").error())
          .contains("argument 'query' at column 11 has no value after '='");
    }

    @Test
    void literalTypesAreCheckedAgainstTheSchema() {
      assertThat(only("1. top_k([1], 2.5)").error())
          .startsWith(
              "argument 'k' of top_k must be an integer, but got"
                  + " 2.5 (a number). Call it as top_k(items: list, k: integer) -> list.");
      assertThat(only("1. top_k([1], 2.0)").error()).isNull();
      assertThat(only("1. top_k([1], \"2\")").error())
          .contains("'k' of top_k must be an integer, but got \"2\" (a string)");
      assertThat(only("1. top_k(\"a, b\", 2)").error())
          .contains("'items' of top_k must be a list, but got \"a, b\"");
      assertThat(only("1. search(42)").error())
          .contains("'query' of search must be a string, but got 42 (a number)");
      assertThat(only("1. search(None)").error())
          .contains("'query' of search must be a string, but got null");
      assertThat(only("1. search([\"a\"])").error())
          .contains("must be a string, but got [\"a\"] (a list)");
      assertThat(only("1. create_order(\"book\", 1)").error())
          .contains("'order' of create_order must be an object");
      assertThat(only("1. create_order({}, 1, express=\"yes\")").error())
          .contains("'express' of create_order must be a boolean, but got \"yes\" (a string)");
      assertThat(only("1. convert(\"ten\", \"USD\", \"EUR\")").error())
          .contains("'amount' of convert must be a number");
    }

    @Test
    void nullableUnionsAndEnums() {
      assertThat(only("1. weather(\"Paris\", None)").error()).isNull();
      assertThat(only("1. weather(\"Paris\", 2.5)").error())
          .contains("must be an integer or null, but got 2.5 (a number)");
      assertThat(only("1. math(\"1+1\", None)").error()).isNull();
      assertThat(only("1. math(\"1+1\", [\"x\"])").error()).isNull();
      assertThat(only("1. math(\"1+1\", \"x\")").error())
          .contains("'context' of math must be a list or null, but got \"x\"");
      assertThat(only("1. get_price(\"MSFT\", \"EUR\")").error()).isNull();
      assertThat(only("1. get_price(\"MSFT\", None)").error()).isNull();
      assertThat(only("1. get_price(\"MSFT\", \"GBP\")").error())
          .contains(
              "'currency' of get_price must be one of \"USD\", \"EUR\" or null, but got \"GBP\" (a string)");
    }

    @Test
    void templatesAndReferencesAreCheckedOnlyWhereTheirTypeIsKnown() {
      assertThat(last("1. search(\"a\")\n2. top_k($1, $1.k)").error()).isNull();
      assertThat(last("1. search(\"a\")\n2. top_k([$1], \"top ${1}\")").error())
          .contains("'k' of top_k must be an integer, but got \"top $1\" (a string)");
      assertThat(last("1. search(\"a\")\n2. search([$1])").error())
          .contains("must be a string, but got [$1] (a list)");
    }

    @Test
    void idsMustIncreaseAndNotRepeat() {
      RecordingListener listener =
          parse(
              "1. search(\"a\")\n2. search(\"b\")\n2. search(\"c\")\n1. search(\"d\")\n"
                  + "3. search($2)");
      assertThat(listener.tasks).extracting(PlannedTask::id).containsExactly(1, 2, 2, 1, 3);
      assertThat(listener.tasks.get(2).error())
          .isEqualTo("the id 2 is used twice; give each task a new id, larger than 2.");
      assertThat(listener.tasks.get(3).error())
          .isEqualTo("the id 1 is used twice; give each task a new id, larger than 2.");
      assertThat(listener.tasks.get(4).error()).isNull();
      RecordingListener skipping = parse("1. search(\"a\")\n5. search(\"b\")\n3. search(\"c\")");
      assertThat(skipping.tasks.get(1).error()).isNull();
      assertThat(skipping.tasks.get(2).error())
          .isEqualTo("the id 3 comes after task 5; ids must increase from line to line, so use 6.");
    }

    @Test
    void idsBelowTheFirstId() {
      assertThat(only("0. search(\"a\")").error())
          .isEqualTo("task ids start at 1; number the tasks 1, 2, 3, ....");
      List<PlannedTask> replan =
          parse("2. search(\"a\")\n4. search(\"b\")", 4, Set.of(1, 2, 3)).tasks;
      assertThat(replan.get(0).id()).isEqualTo(2);
      assertThat(replan.get(0).error())
          .isEqualTo(
              "the id 2 is below 4, the first id of this plan: earlier rounds used"
                  + " ids up to 3, so number this plan's tasks from 4 on.");
      assertThat(replan.get(1).error()).isNull();
    }

    @Test
    void aTaskWithoutIdIsUnnumberedAndTakesNoId() {
      RecordingListener listener = parse("1. search(\"a\")\nsearch(\"b\")\n2. search(\"c\")");
      assertThat(listener.tasks)
          .extracting(PlannedTask::id)
          .containsExactly(1, PlannedTask.UNNUMBERED, 2);
      assertThat(listener.tasks.get(1).error())
          .isEqualTo("the task has no id; write it as 2. search(...), numbering tasks in order.");
      assertThat(listener.tasks.get(2).error()).isNull();
    }

    @Test
    void tooLargeId() {
      PlannedTask task = only("12345678901. search(\"a\")");
      assertThat(task.id()).isEqualTo(PlannedTask.UNNUMBERED);
      assertThat(task.error()).contains("the task id 12345678901 at column 1 is too large");
    }

    @Test
    void valueSyntaxErrors() {
      assertThat(onlyStrict("1. search(apple pie)").error())
          .contains(
              "unquoted text 'apple' at column 11; write text in" + " quotes, e.g. \"apple\"");
      assertThat(onlyStrict("1. math(search(\"x\"), None)").error())
          .contains("nested call search(...) at column 9; a task" + " calls exactly one tool");
      assertThat(onlyStrict("1. top_k([1], 12abc)").error())
          .contains("invalid number '12abc' at column 15");
      assertThat(onlyStrict("1. top_k([1], -)").error())
          .contains("expected a number after '-' at column 15");
      assertThat(onlyStrict("1. search(\"\\u12\")").error())
          .contains(
              "invalid escape '\\u12\")' at column 12; write \\u followed" + " by 4 hex digits");
      assertThat(onlyStrict("1. search(@x)").error())
          .contains("unexpected '@x)' at column 11; expected a value");
      assertThat(onlyStrict("1. search(\"a\" \"b\")").error())
          .contains("expected ',' or ')' after the argument at column 15");
      assertThat(onlyStrict("1. search(\"a\") and then more").error())
          .contains("unexpected text after the closing ')' at column 16: 'and then more'");
      assertThat(onlyStrict("1. top_k([1], 1e999)").error())
          .contains("the number 1e999 at column 15 is too large");
    }

    @Test
    void deepNestingIsCut() {
      String deep = "[".repeat(100) + "]".repeat(100);
      assertThat(only("1. top_k(" + deep + ", 1)").error())
          .contains("lists and objects are nested more than 64 levels deep at column 74");
      assertThat(only("1. top_k(" + "[".repeat(64) + "]".repeat(64) + ", 1)").error()).isNull();
    }

    @Test
    void anOverlongLineIsAFailedTaskAndTheParserGoesOn() {
      String huge = "2. search(\"" + "x".repeat(PlanParser.MAX_LINE_LENGTH + 10) + "\")";
      RecordingListener listener =
          parse("1. search(\"a\")\nThought: big\n" + huge + "\n3. search(\"b\")\njoin()");
      assertThat(listener.tasks).extracting(PlannedTask::id).containsExactly(1, 2, 3);
      PlannedTask failed = listener.tasks.get(1);
      assertThat(failed.error())
          .isEqualTo(
              "the line is "
                  + huge.length()
                  + " characters long, more than the limit"
                  + " of 65536; keep each task on a short line and pass large data by reference ($N) instead of writing it"
                  + " into the plan.");
      assertThat(failed.line()).hasSize(203).startsWith("2. search(\"xxx").endsWith("...");
      assertThat(failed.thought()).isEqualTo("big");
      assertThat(failed.tool()).isEqualTo("search");
      assertThat(listener.tasks.get(2).error()).isNull();
      assertThat(listener.joinSeen).isTrue();
    }

    @Test
    void anOverlongCallWithoutIdIsUnnumberedAndOverlongProseIsThought() {
      RecordingListener listener =
          parse(
              "1. search(\"a\")\nsearch(\""
                  + "y".repeat(PlanParser.MAX_LINE_LENGTH)
                  + "\")\n"
                  + "z".repeat(PlanParser.MAX_LINE_LENGTH + 1)
                  + "\n2. search(\"b\")");
      assertThat(listener.tasks)
          .extracting(PlannedTask::id)
          .containsExactly(1, PlannedTask.UNNUMBERED, 2);
      assertThat(listener.tasks.get(1).error()).startsWith("the line is 65546 characters long");
      assertThat(listener.tasks.get(2).thought()).startsWith("zzz");
    }

    @Test
    void anIdFarAheadFailsAndTheNextTaskStillGetsItsOwn() {
      RecordingListener listener = parse("1. search(\"a\")\n5000. search(\"b\")\n2. search(\"c\")");
      assertThat(listener.tasks).extracting(PlannedTask::id).containsExactly(1, 5000, 2);
      assertThat(listener.tasks.get(1).error())
          .contains("jumps far ahead of task 1; number the tasks in order, so use 2");
      assertThat(listener.tasks.get(2).error()).isNull();
    }
  }

  @Test
  void aListenerExceptionIsTheCallersAndIsNotTurnedIntoAFailedTask() {
    IllegalStateException boom = new IllegalStateException("listener failed");
    List<PlannedTask> seen = new java.util.ArrayList<>();
    PlanParser parser =
        new PlanParser(
            TestTools.all(),
            1,
            Set.of(),
            new PlanListener() {
              @Override
              public void onTask(PlannedTask task) {
                seen.add(task);
                throw boom;
              }

              @Override
              public void onPlanEnd(boolean joinSeen) {}

              @Override
              public void onPlanError(String error) {}
            });
    assertThatThrownBy(() -> parser.feed("1. search(\"a\")\n")).isSameAs(boom);
    assertThat(seen).hasSize(1);
    assertThat(seen.get(0).error()).isNull();
  }

  @Test
  void withoutToolsEveryCallIsUnknown() {
    RecordingListener listener = new RecordingListener();
    PlanParser parser = new PlanParser(Map.of(), 1, Set.of(), listener);
    parser.feed("1. search(\"a\")\njoin()");
    assertThat(listener.tasks.get(0).error())
        .isEqualTo(
            "unknown tool 'search'; no tools are available, so the question must be answered without them.");
  }

  @Test
  void constructorChecksItsArguments() {
    RecordingListener listener = new RecordingListener();
    assertThatThrownBy(() -> new PlanParser(Map.of(), 0, Set.of(), listener))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("firstId must be at least 1");
    assertThatThrownBy(() -> new PlanParser(null, 1, Set.of(), listener))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new PlanParser(Map.of(), 1, Set.of(), null))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void templateTextIsUnambiguousWhenWrittenBack() {
    PlannedTask task = last("1. search(\"a\")\n2. search(\"${1}2 and ${1}.5 and $1 ok\")");
    assertThat(task.arguments().get("query").toPlanText())
        .isEqualTo("\"${1}2 and ${1}.5 and $1 ok\"");
  }
}
