package dev.llmcompiler.runtime.internal.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The streaming JSON plan reader: when it emits, that any chunking gives the same events, and that
 * its tasks and messages are those of the text plan language. The corpus ({@code *.json} in {@link
 * PlanCorpusTest}) covers more plans through the same harness.
 */
class JsonPlanParserTest {

  private static final String PLAN =
      "{\"tasks\": [\n"
          + "  {\"id\": 1, \"tool\": \"search\", \"args\": {\"query\": \"Zürich 🚀 population\"}},\n"
          + "  {\"id\": 2, \"tool\": \"search\", \"args\": {\"query\": \"Genève\"}},\n"
          + "  {\"id\": 3, \"tool\": \"math\", \"args\": {\"problem\": \"${1} / ${2}\", \"context\": [\"$1\", \"$2\"]}},\n"
          + "  {\"id\": 4, \"tool\": \"join\", \"args\": {}}\n"
          + "]}";

  private static RecordingListener read(List<String> chunks) {
    return read(chunks, 1, Set.of());
  }

  private static RecordingListener read(List<String> chunks, int firstId, Set<Integer> earlier) {
    RecordingListener listener = new RecordingListener();
    JsonPlanParser parser = new JsonPlanParser(TestTools.all(), firstId, earlier, listener);
    chunks.forEach(parser::feed);
    parser.finish();
    assertThat(listener.ends).isEqualTo(1);
    return listener;
  }

  private static List<String> withLines(RecordingListener listener) {
    List<String> events = new ArrayList<>(listener.events);
    listener.tasks.forEach(task -> events.add("line " + task.lineNumber() + ": " + task.line()));
    return events;
  }

  @Test
  void readsTasksWithTheirReferencesAndLines() {
    RecordingListener listener = read(List.of(PLAN));
    assertThat(listener.events)
        .containsExactly(
            "task 1 search(query=\"Zürich 🚀 population\") deps=[]",
            "task 2 search(query=\"Genève\") deps=[]",
            "task 3 math(problem=\"$1 / $2\", context=[\"$1\", \"$2\"]) deps=[1, 2]",
            "end join=true");
    assertThat(listener.tasks).extracting(PlannedTask::lineNumber).containsExactly(2, 3, 4);
    assertThat(listener.tasks.get(1).line())
        .isEqualTo("{\"id\": 2, \"tool\": \"search\", \"args\": {\"query\": \"Genève\"}}");
    assertThat(listener.tasks).allSatisfy(task -> assertThat(task.repairs()).isEmpty());
  }

  @Test
  void anyChunkingGivesTheSameEvents() {
    List<String> whole = withLines(read(List.of(PLAN)));
    List<String> chars = new ArrayList<>();
    // One char at a time splits the surrogate pair of the rocket between two feeds.
    PLAN.chars().forEach(c -> chars.add(String.valueOf((char) c)));
    assertThat(withLines(read(chars))).isEqualTo(whole);
    for (int at = 0; at <= PLAN.length(); at++) {
      assertThat(withLines(read(List.of(PLAN.substring(0, at), PLAN.substring(at)))))
          .as("split at %d", at)
          .isEqualTo(whole);
    }
    for (int seed = 1; seed <= 20; seed++) {
      Random random = new Random(seed);
      List<String> chunks = new ArrayList<>();
      for (int at = 0; at < PLAN.length(); ) {
        int end = Math.min(PLAN.length(), at + random.nextInt(9));
        chunks.add(PLAN.substring(at, end));
        at = end;
      }
      assertThat(withLines(read(chunks))).as("chunks %s", chunks).isEqualTo(whole);
    }
  }

  @Test
  void plansThatBreakSayWhereTheSameWayForEverySplit() {
    for (String plan :
        List.of(
            "{\"tasks\": 12}",
            "{\"tasks\": [true]}",
            "{\"tasks\": [{\"id\": 1.5, \"tool\": \"search\"}]}",
            "{\"tasks\": [{\"id\": 1, \"tool\": \"search\", \"args\": {\"query\": \"a\"}} x",
            "\n\n  {\"tasks\": [{\"id\": 1, \"tool\": \"search\", \"args\": {\"query\": \"é\"}}, {\"id\": 2, \"tool\":")) {
      List<String> whole = read(List.of(plan)).events;
      assertThat(whole).as(plan).anySatisfy(event -> assertThat(event).startsWith("error: "));
      for (int at = 0; at <= plan.length(); at++) {
        assertThat(read(List.of(plan.substring(0, at), plan.substring(at))).events)
            .as("%s split at %d", plan, at)
            .isEqualTo(whole);
      }
    }
    assertThat(read(List.of("{\"tasks\": 12}")).error)
        .contains("at line 1, column 11 it is a number");
  }

  @Test
  void aLongStringInATaskIsCutBeforeItEnds() {
    RecordingListener listener = new RecordingListener();
    JsonPlanParser parser = new JsonPlanParser(TestTools.all(), 1, Set.of(), listener);
    parser.feed("{\"tasks\":[{\"id\":1,\"tool\":\"search\",\"args\":{\"query\":\"");
    String piece = "x".repeat(1000);
    for (int i = 0; i < 100 && !listener.ended(); i++) {
      parser.feed(piece);
    }
    assertThat(listener.ended()).as("the plan ends while the string still streams").isTrue();
    assertThat(listener.error).contains("is longer than 65536 bytes");
  }

  @Test
  void aTaskIsEmittedTheMomentItsObjectCloses() {
    RecordingListener listener = new RecordingListener();
    JsonPlanParser parser = new JsonPlanParser(TestTools.all(), 1, Set.of(), listener);
    parser.feed("{\"tasks\":[{\"id\":1,\"tool\":\"search\",\"args\":{\"query\":\"a\"}");
    assertThat(listener.tasks).isEmpty();
    parser.feed("}");
    assertThat(listener.tasks).extracting(PlannedTask::id).containsExactly(1);
    parser.feed(",{\"id\":2,\"tool\":\"join\",\"args\":{");
    assertThat(listener.ended()).isFalse();
    parser.feed("}}");
    assertThat(listener.ended()).isTrue();
    assertThat(listener.joinSeen).isTrue();
    parser.feed(",{\"id\":3,\"tool\":\"search\",\"args\":{\"query\":\"after the join\"}}]}");
    parser.finish();
    assertThat(listener.tasks).hasSize(1);
  }

  @Test
  void failedTasksHaveTheWordsOfTheTextLanguage() {
    String[][] pairs = {
      {"{\"id\":1,\"tool\":\"serch\",\"args\":{\"query\":\"x\"}}", "1. serch(\"x\")"},
      {"{\"id\":1,\"tool\":\"convert\",\"args\":{\"amount\":3}}", "1. convert(3)"},
      {
        "{\"id\":1,\"tool\":\"top_k\",\"args\":{\"items\":[1],\"k\":\"2\"}}", "1. top_k([1], \"2\")"
      },
      {
        "{\"id\":1,\"tool\":\"get_price\",\"args\":{\"symbol\":\"X\",\"currency\":\"GBP\"}}",
        "1. get_price(\"X\", \"GBP\")"
      },
      {"{\"id\":0,\"tool\":\"search\",\"args\":{\"query\":\"x\"}}", "0. search(\"x\")"},
      {"{\"id\":1,\"tool\":\"search\",\"args\":{\"query\":\"$1\"}}", "1. search($1)"},
    };
    for (String[] pair : pairs) {
      PlannedTask json = read(List.of("{\"tasks\":[" + pair[0] + "]}")).tasks.get(0);
      PlannedTask text = PlanParserTest.only(pair[1]);
      assertThat(json.error())
          .as(pair[0])
          .isNotNull()
          .isEqualTo(text.error().replace(" at column 11", "").replace(" at column 9", ""));
    }
  }

  @Test
  void aWholeReferenceKeepsItsTypeForATypedParameterAndIsTextForAString() {
    RecordingListener listener =
        read(
            List.of(
                "{\"tasks\":[{\"id\":1,\"tool\":\"get_price\",\"args\":{\"symbol\":\"X\","
                    + "\"currency\":null}},{\"id\":2,\"tool\":\"convert\",\"args\":{\"amount\":\"$1.price\",\"from\":\"$1.currency\","
                    + "\"to\":\"EUR\"}}]}"));
    PlannedTask convert = listener.tasks.get(1);
    assertThat(convert.arguments().get("amount"))
        .isEqualTo(new PlanValue.Reference(1, List.of("price")));
    assertThat(convert.arguments().get("from"))
        .isEqualTo(
            new PlanValue.Template(List.of(new PlanValue.Reference(1, List.of("currency")))));
  }

  @Test
  void replansNumberOnAndReferenceEarlierRounds() {
    RecordingListener listener =
        read(
            List.of(
                "{\"tasks\":[{\"id\":4,\"tool\":\"math\",\"args\":{\"problem\":\"$1 + $3\","
                    + "\"context\":[\"$2\"]}},{\"id\":5,\"tool\":\"search\",\"args\":{\"query\":\"$2\"}}]}"),
            4,
            Set.of(1, 3));
    assertThat(listener.tasks.get(0).error())
        .contains("references $2, a task of an earlier round that has no result");
    assertThat(listener.tasks.get(1).error()).contains("references $2");
  }

  @Test
  void malformedJsonEndsThePlanWithWhereAndWhatWasExpected() {
    RecordingListener listener =
        read(
            List.of(
                "{\"tasks\":[{\"id\":1,\"tool\":\"search\",\"args\":{\"query\":\"a\"}},\n",
                "{\"id\":2,\"tool\":\"search\" \"args\":{}}]}"));
    assertThat(listener.tasks).extracting(PlannedTask::id).containsExactly(1);
    assertThat(listener.error)
        .startsWith("the JSON plan is malformed at line 2, column 25: Unexpected character")
        .contains("was expecting comma to separate Object entries")
        .contains("in the task object that starts at line 2, column 1")
        .endsWith(
            "the tasks before it ran. Write the plan as one JSON object, {\"tasks\": [...]}.");
    assertThat(listener.joinSeen).isFalse();
  }

  @Test
  void aPlanCutOffSaysWhereItEnded() {
    RecordingListener listener =
        read(List.of("{\"tasks\":[{\"id\":1,\"tool\":\"search\",\"args\":{\"query\":\"a\"}}"));
    assertThat(listener.tasks).hasSize(1);
    assertThat(listener.error)
        .isEqualTo(
            "the JSON plan ended at line 1, column 56 before it was complete (inside the"
                + " \"tasks\" list); the tasks before it ran. Close every object and list, and end the plan with the join task.");
  }

  @Test
  void whatIsNotAPlanObjectIsSaid() {
    assertThat(read(List.of("{\"steps\": []}")).error)
        .startsWith("the JSON plan has no \"tasks\" list");
    assertThat(read(List.of("{\"tasks\": {\"id\": 1}}")).error)
        .startsWith(
            "\"tasks\" must be a list of task objects, but at line 1, column 11 it is an object");
    assertThat(read(List.of("{\"tasks\": [\"search(x)\"]}")).error)
        .startsWith("each element of \"tasks\" must be a task object");
    assertThat(
            read(List.of("{\"tasks\": [{\"id\": \"1\", \"tool\": \"search\", \"args\": {}}]}"))
                .error)
        .startsWith(
            "the task object at line 1, column 12 has the id \"1\" (a string), not a whole number");
    RecordingListener empty = read(List.of(""));
    assertThat(empty.error).isNull();
    assertThat(empty.events).containsExactly("end join=false");
  }

  @Test
  void deepNestingAndHugeTasksAreCut() {
    String deep = "[".repeat(100) + "]".repeat(100);
    RecordingListener nested =
        read(
            List.of(
                "{\"tasks\":[{\"id\":1,\"tool\":\"top_k\",\"args\":{\"items\":"
                    + deep
                    + ",\"k\":1}}]}"));
    assertThat(nested.error).contains("nests lists and objects more than 64 levels deep");
    RecordingListener huge =
        read(
            List.of(
                "{\"tasks\":[{\"id\":1,\"tool\":\"search\",\"args\":{\"query\":\"ok\"}},"
                    + "{\"id\":2,\"tool\":\"search\",\"args\":{\"query\":\""
                    + "x".repeat(PlanParser.MAX_LINE_LENGTH)
                    + "\"}}]}"));
    assertThat(huge.tasks).hasSize(1);
    assertThat(huge.error)
        .contains("the task object that starts at line 1, column 58 is longer than 65536 bytes");
  }

  @Test
  void aLongPlanInSmallPiecesIsReadInLinearTime() {
    int tasks = 20_000;
    StringBuilder plan = new StringBuilder("{\"tasks\":[");
    for (int id = 1; id <= tasks; id++) {
      plan.append(id == 1 ? "" : ",")
          .append("{\"id\":")
          .append(id)
          .append(",\"tool\":\"math\",\"args\":{\"problem\":\"$")
          .append(Math.max(1, id - 1))
          .append(" + 1 and ${")
          .append(Math.max(1, id / 2))
          .append("} é\",\"context\":null}}");
    }
    String text =
        plan.append(",{\"id\":")
            .append(tasks + 1)
            .append(",\"tool\":\"join\",\"args\":{}}]}")
            .toString();
    long start = System.nanoTime();
    List<String> chunks = new ArrayList<>();
    for (int at = 0; at < text.length(); at += 7) {
      chunks.add(text.substring(at, Math.min(text.length(), at + 7)));
    }
    RecordingListener pieces = read(chunks);
    RecordingListener whole = read(List.of(text));
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
    assertThat(pieces.tasks).hasSize(tasks);
    assertThat(pieces.events).isEqualTo(whole.events);
    assertThat(pieces.tasks.get(tasks - 1).dependsOn()).containsExactly(tasks / 2, tasks - 1);
    // About 1.8 MB of plan twice: linear work takes a second or two even on a loaded machine;
    // copying the kept text on every feed or mapping every position from the start would take
    // minutes.
    assertThat(elapsed).isLessThan(Duration.ofSeconds(60));
  }

  private static DirectAnswer joinAnswer(String args) {
    RecordingListener listener =
        read(
            List.of(
                "{\"tasks\": [{\"id\": 1, \"tool\": \"search\", \"args\": {\"query\": \"x\"}},"
                    + " {\"id\": 2, \"tool\": \"join\", \"args\": "
                    + args
                    + "}, {\"id\": 3, \"tool\": \"now\", \"args\": {}}]}"));
    assertThat(listener.tasks).as(args).hasSize(1);
    assertThat(listener.joinSeen).as(args).isTrue();
    return listener.answer;
  }

  @Test
  void theJoinTasksAnswerIsADirectAnswerAsInTheTextLanguage() {
    for (String args : List.of("{\"answer\": \"Found ${1}\"}", "[\"Found $1\"]")) {
      DirectAnswer answer = joinAnswer(args);
      assertThat(answer.usable()).as(args).isTrue();
      assertThat(answer.template()).as(args).isEqualTo("Found $1");
      assertThat(answer.references()).containsExactly(1);
      assertThat(answer.line()).startsWith("{\"id\": 2, \"tool\": \"join\"");
    }
    assertThat(joinAnswer("{\"answer\": \"$1\"}").render(id -> JsonPlanParserTest.text("r")))
        .isEqualTo("r");
    for (String plain : List.of("{}", "null", "{\"answer\": null}", "{\"answer\": \"\"}", "[]")) {
      assertThat(joinAnswer(plain)).as(plain).isNull();
    }
  }

  @Test
  void aJoinTaskWhoseArgumentsCannotBeAnAnswerSaysWhy() {
    assertThat(joinAnswer("{\"answer\": \"a\", \"note\": \"b\"}").problem())
        .startsWith("join has 2 arguments");
    assertThat(joinAnswer("{\"text\": \"a\"}").problem())
        .startsWith("join has no parameter 'text'");
    assertThat(joinAnswer("{\"answer\": [\"a\"]}").problem())
        .contains("the answer in join is [\"a\"], not a string");
    assertThat(joinAnswer("{\"answer\": \"${4}\"}").problem())
        .isEqualTo(
            "the answer in join references ${4}, but only task 1 exists; an answer can only use results of"
                + " tasks listed before the join.");
    assertThat(joinAnswer("{\"answer\": \"a\", \"answer\": \"b\"}").problem())
        .startsWith("the join task cannot be read: the key \"answer\" is given twice");
    assertThat(joinAnswer("\"a\"").problem()).startsWith("the join task's \"args\" is \"a\"");
  }

  private static com.fasterxml.jackson.databind.JsonNode text(String value) {
    return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.textNode(value);
  }
}
