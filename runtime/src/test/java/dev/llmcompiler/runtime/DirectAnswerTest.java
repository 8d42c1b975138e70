package dev.llmcompiler.runtime;

import static dev.llmcompiler.runtime.ScriptedLlm.reply;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmcompiler.runtime.internal.Json;
import dev.llmcompiler.runtime.llm.LlmRequest;
import dev.llmcompiler.runtime.llm.TokenUsage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Direct answers through the public API: a plan that ends with {@code join("...${N}...")} finishes
 * the run with the rendered text and no joiner call when every referenced task succeeded; otherwise
 * the joiner answers and is told why. And the answer's pieces as the joiner streams them.
 */
class DirectAnswerTest {
  private static final String FINISH = "Thought: The results answer it.\nAction: Finish(%s)";

  private final List<LlmCompiler> compilers = new ArrayList<>();

  @AfterEach
  void close() {
    compilers.forEach(LlmCompiler::close);
  }

  private LlmCompiler compiler(
      ScriptedLlm llm, RunListener listener, UnaryOperator<LlmCompiler.Builder> configure) {
    LlmCompiler.Builder builder = LlmCompiler.builder().llm(llm).tools(tools());
    if (listener != null) {
      builder.listener(listener);
    }
    LlmCompiler compiler = configure.apply(builder).build();
    compilers.add(compiler);
    return compiler;
  }

  private LlmCompiler compiler(ScriptedLlm llm) {
    return compiler(llm, null, b -> b);
  }

  private final TestTools tools =
      new TestTools()
          .tool(
              "population",
              args -> {
                String city = args.get("city").asText();
                if (city.equals("Atlantis")) {
                  throw new IllegalArgumentException("no population known for Atlantis");
                }
                return Json.NODES.numberNode(city.equals("Lyon") ? 522_000 : 342_000);
              },
              "city",
              "string")
          .tool(
              "ratio",
              args -> Json.NODES.numberNode(args.get("a").asDouble() / args.get("b").asDouble()),
              "a",
              "number",
              "b",
              "number")
          .tool(
              "quote",
              args ->
                  Json.parse(
                      "{\"company\":\"" + args.get("company").asText() + "\",\"cap\":3400}",
                      "quote"),
              "company",
              "string");

  private TestTools tools() {
    return tools;
  }

  /** Records answer pieces and decisions, in the order they arrive. */
  private static final class Recorder implements RunListener {
    final List<String> events = Collections.synchronizedList(new ArrayList<>());
    final List<String> deltas = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void onAnswerDelta(int round, String delta) {
      deltas.add(delta);
      events.add("delta " + round + " " + delta);
    }

    @Override
    public void onJoinerDecision(int round, JoinerDecision decision, String text) {
      events.add("decision " + round + " " + decision);
    }

    @Override
    public void onRunEnded(RunResult result) {
      events.add("ended");
    }
  }

  private static String joinerPrompt(ScriptedLlm llm, int call) {
    LlmRequest request = llm.requests.get(call);
    assertThat(request.purpose()).isEqualTo("joiner");
    return request.lastUserMessage().orElseThrow().content();
  }

  @Test
  void aDirectAnswerEndsTheRunWithTheRenderedTextAndNoJoinerCall() throws Exception {
    Recorder recorder = new Recorder();
    ScriptedLlm llm =
        new ScriptedLlm(
            reply(
                    "Thought: both at once\n1. population(\"Lyon\")\n2. population('Nice')\n"
                        + "3. ratio($1, $2)\n4. join(\"Lyon has ${1} people, ${3}x Nice's $2 (about $1.50 a head).\")\n"
                        + "<END_OF_PLAN>")
                .chunks(4)
                .usage(300, 40));

    RunResult result = compiler(llm, recorder, b -> b).run("How much larger is Lyon than Nice?");

    String answer =
        "Lyon has 522000 people, 1.5263157894736843x Nice's 342000 (about $1.50 a head).";
    assertThat(result.outcome()).isEqualTo(RunOutcome.FINISHED);
    assertThat(result.answer()).isEqualTo(answer);
    assertThat(llm.calls()).as("the planner only").isEqualTo(1);
    assertThat(result.llmCalls()).isEqualTo(1);
    assertThat(result.joinerUsage()).isEqualTo(TokenUsage.ZERO);
    RoundTrace round = result.trace().rounds().get(0);
    assertThat(round.decision()).isEqualTo(JoinerDecision.FINISH);
    assertThat(round.directAnswer()).isTrue();
    assertThat(round.tasks()).extracting(TaskTrace::status).containsOnly(TaskStatus.OK);
    assertThat(round.llmCalls()).extracting(LlmCallTrace::purpose).containsExactly("planner");
    assertThat(round.joinerNote()).isEmpty();
    assertThat(result.trace().firstAnswerMs()).isPresent();
    assertThat(result.trace().firstAnswerMs().getAsLong())
        .isBetween(round.planMs(), result.trace().wallMs());
    // The whole answer is one piece, before the decision and the end.
    assertThat(recorder.events).containsExactly("delta 1 " + answer, "decision 1 FINISH", "ended");

    JsonNode json = Json.MAPPER.readTree(result.trace().toJson());
    assertThat(json.at("/rounds/0/directAnswer").asBoolean()).isTrue();
    assertThat(json.get("firstAnswerMs").asLong())
        .isEqualTo(result.trace().firstAnswerMs().getAsLong());
    RunTrace again = RunTrace.fromJson(result.trace().toJson());
    assertThat(again.rounds().get(0).directAnswer()).isTrue();
    assertThat(again.firstAnswerMs()).isEqualTo(result.trace().firstAnswerMs());
  }

  @Test
  void aQuestionThatNeedsNoToolIsAnsweredInOneCall() {
    ScriptedLlm llm = new ScriptedLlm(reply("1. join(\"Paris\")\n<END_OF_PLAN>"));

    RunResult result = compiler(llm).run("What is the capital of France?");

    assertThat(result.answer()).isEqualTo("Paris");
    assertThat(llm.calls()).isEqualTo(1);
    assertThat(result.trace().tasks()).isEmpty();
    assertThat(tools.calls).isEmpty();
    assertThat(result.trace().rounds().get(0).directAnswer()).isTrue();
  }

  @Test
  void aDirectAnswerWhoseTaskFailedGoesToTheJoinerWhichIsToldWhy() {
    ScriptedLlm llm =
        new ScriptedLlm(
            reply(
                "1. population(\"Atlantis\")\n2. population(\"Nice\")\n3. ratio($1, $2)\n"
                    + "4. join(\"The ratio is ${3}.\")<END_OF_PLAN>"),
            reply(
                String.format(FINISH, "Atlantis has no known population, so there is no ratio.")));

    RunResult result = compiler(llm).run("How much larger is Atlantis than Nice?");

    assertThat(llm.calls()).isEqualTo(2);
    assertThat(result.answer())
        .isEqualTo("Atlantis has no known population, so there is no ratio.");
    RoundTrace round = result.trace().rounds().get(0);
    assertThat(round.directAnswer()).isFalse();
    String why =
        "The plan ended with the direct answer `4. join(\"The ratio is ${3}.\")`, which could not be used:"
            + " it uses the result of task 3, which was skipped: depends on task 1, which failed:";
    // In the prompt the reason is fenced like every observation: a JSON string.
    String fenced =
        "The plan ended with the direct answer `4. join(\\\"The ratio is ${3}.\\\")`, which could not be"
            + " used: it uses the result of task 3, which was skipped: depends on task 1, which failed:";
    assertThat(joinerPrompt(llm, 1))
        .contains("(Direct answer not used: \"" + fenced)
        .contains("no population known for Atlantis");
    assertThat(round.joinerNote())
        .hasValueSatisfying(
            note -> assertThat(note).startsWith(why).endsWith("The joiner was asked."));
    assertThat(result.trace().toJson()).doesNotContain("\"directAnswer\"");
  }

  @Test
  void aJoinThatCannotBeAnAnswerGoesToTheJoinerWhichIsToldWhy() {
    ScriptedLlm llm =
        new ScriptedLlm(
            reply("1. population(\"Lyon\")\n2. join(\"Lyon\", $1)<END_OF_PLAN>"),
            reply(String.format(FINISH, "522000")));

    RunResult result = compiler(llm).run("How many people live in Lyon?");

    assertThat(llm.calls()).isEqualTo(2);
    assertThat(result.answer()).isEqualTo("522000");
    assertThat(joinerPrompt(llm, 1)).contains("which could not be used: join has 2 arguments");
  }

  @Test
  void aReplanMayAnswerDirectlyWithResultsOfEarlierRounds() {
    ScriptedLlm llm =
        new ScriptedLlm(
            reply("1. quote(\"Apple\")\n2. population(\"Atlantis\")\n3. join()<END_OF_PLAN>"),
            reply("Thought: Atlantis failed\nAction: Replan(use Lyon instead)"),
            reply(
                "3. population(\"Lyon\")\n4. join(\"${1.company}: ${1.cap}; Lyon: $3\")<END_OF_PLAN>"));

    RunResult result = compiler(llm).run("q");

    assertThat(result.answer()).isEqualTo("Apple: 3400; Lyon: 522000");
    assertThat(llm.calls()).isEqualTo(3);
    assertThat(result.trace().rounds())
        .extracting(RoundTrace::directAnswer)
        .containsExactly(false, true);
    assertThat(result.trace().rounds())
        .extracting(RoundTrace::decision)
        .containsExactly(JoinerDecision.REPLAN, JoinerDecision.FINISH);
  }

  @Test
  void withDirectAnswersOffThePromptDoesNotTeachThemAndTheJoinerAnswers() {
    ScriptedLlm llm =
        new ScriptedLlm(
            reply("1. join(\"Paris\")<END_OF_PLAN>"),
            reply(String.format(FINISH, "Paris, France")));
    LlmCompiler compiler = compiler(llm, null, b -> b.directAnswers(false));

    RunResult result = compiler.run("What is the capital of France?");

    assertThat(result.answer()).isEqualTo("Paris, France");
    assertThat(llm.calls()).isEqualTo(2);
    assertThat(result.trace().rounds().get(0).directAnswer()).isFalse();
    assertThat(result.trace().rounds().get(0).joinerNote())
        .hasValue(
            "The plan ended with the direct answer"
                + " `1. join(\"Paris\")`, but direct answers are off (directAnswers(false)), so the joiner was asked.");
    assertThat(compiler.plannerSystemPrompt())
        .doesNotContain("Direct answer")
        .doesNotContain("join(\"")
        .contains("Takes no arguments.")
        .contains("4. join()\n")
        .contains("If no tool is needed, the plan is just the join.");
    LlmCompiler on = compiler(new ScriptedLlm(), null, b -> b);
    assertThat(on.plannerSystemPrompt())
        .contains("Direct answer: only if it needs no judgment over the results")
        .contains("1. join(\"Paris\")")
        .contains("4. join(\"Germany has ${3} more people.\")")
        .isEqualTo(compiler(new ScriptedLlm(), null, b -> b).plannerSystemPrompt());
  }

  @Test
  void aJsonPlansJoinTaskCarriesTheAnswerAndTheSchemaAllowsItOnlyWhenDirectAnswersAreOn() {
    ScriptedLlm llm =
        new ScriptedLlm(
            reply(
                    "{\"tasks\": [{\"id\": 1, \"tool\": \"population\", \"args\": {\"city\":"
                        + " \"Lyon\"}}, {\"id\": 2, \"tool\": \"join\", \"args\": {\"answer\": \"Lyon: $1\"}}]}")
                .chunks(5));
    LlmCompiler json = compiler(llm, null, b -> b.planFormat(PlanFormat.JSON));

    RunResult result = json.run("How many people live in Lyon?");

    assertThat(result.answer()).isEqualTo("Lyon: 522000");
    assertThat(llm.calls()).isEqualTo(1);
    assertThat(json.plannerSystemPrompt())
        .contains(
            "{\"id\":4,\"tool\":\"join\",\"args\":{\"answer\":\"Germany has ${3} more people.\"}}");
    String schema = llm.requests.get(0).responseSchema().orElseThrow().schema().toString();
    assertThat(schema).contains("\"answer\"");
    LlmCompiler off =
        compiler(new ScriptedLlm(), null, b -> b.planFormat(PlanFormat.JSON).directAnswers(false));
    assertThat(off.plannerSystemPrompt())
        .doesNotContain("\"answer\"")
        .doesNotContain("Direct answer");
  }

  @Test
  void aStructuredRunUsesADirectAnswerOnlyIfItMatchesTheFormat() {
    record City(String name, long population) {}
    AnswerFormat<City> format =
        AnswerFormat.of(
            City.class,
            "{\"type\":\"object\",\"properties\":{"
                + "\"name\":{\"type\":\"string\"},\"population\":{\"type\":\"integer\"}},\"required\":[\"name\",\"population\"],"
                + "\"additionalProperties\":false}",
            "City");
    ScriptedLlm matches =
        new ScriptedLlm(
            reply(
                "1. population(\"Lyon\")\n2. join('{\"name\": \"Lyon\", \"population\": $1}')<END_OF_PLAN>"));
    StructuredResult<City> direct = compiler(matches).run("How many people live in Lyon?", format);
    assertThat(direct.value()).isEqualTo(new City("Lyon", 522_000));
    assertThat(matches.calls()).isEqualTo(1);
    assertThat(direct.result().trace().rounds().get(0).directAnswer()).isTrue();

    ScriptedLlm prose =
        new ScriptedLlm(
            reply("1. population(\"Lyon\")\n2. join(\"Lyon has $1 people\")<END_OF_PLAN>"),
            reply(String.format(FINISH, "{\"name\": \"Lyon\", \"population\": 522000}")));
    StructuredResult<City> joined = compiler(prose).run("How many people live in Lyon?", format);
    assertThat(joined.value()).isEqualTo(new City("Lyon", 522_000));
    assertThat(prose.calls()).isEqualTo(2);
    assertThat(joinerPrompt(prose, 1))
        .contains("which could not be used: it does not match the answer format");
  }

  @Test
  void theJoinersAnswerStreamsToTheListenerAsItArrives() {
    Recorder recorder = new Recorder();
    CountDownLatch firstPiece = new CountDownLatch(1);
    RunListener listener =
        new RunListener() {
          @Override
          public void onAnswerDelta(int round, String delta) {
            recorder.onAnswerDelta(round, delta);
            firstPiece.countDown();
          }

          @Override
          public void onJoinerDecision(int round, JoinerDecision decision, String text) {
            recorder.onJoinerDecision(round, decision, text);
          }
        };
    String answer = "Lyon (522000) is about 1.53x Nice (342000)";
    ScriptedLlm.Script finish =
        reply("Thought: both known\nAction: Finish(" + answer + ")\n")
            .chunks(3)
            .pauseBefore("Nice", firstPiece);
    ScriptedLlm llm =
        new ScriptedLlm(
            reply("1. population(\"Lyon\")\n2. join()<END_OF_PLAN>"),
            reply("Thought: Nice is missing\nAction: Replan(look up Nice)").chunks(2),
            reply("3. population(\"Nice\")\n4. join()<END_OF_PLAN>"),
            finish);

    RunResult result = compiler(llm, listener, b -> b).run("How much larger is Lyon than Nice?");

    assertThat(result.answer()).isEqualTo(answer);
    assertThat(finish.gateOpenedInTime)
        .as("a piece arrived while the rest of the reply was held back")
        .isTrue();
    assertThat(recorder.deltas).hasSizeGreaterThan(3);
    assertThat(String.join("", recorder.deltas)).isEqualTo(answer);
    // The replan's reply sent nothing; every piece came in round 2, before its decision.
    assertThat(recorder.events.get(0)).isEqualTo("decision 1 REPLAN");
    assertThat(recorder.events.subList(1, recorder.events.size() - 1))
        .allSatisfy(e -> assertThat(e).startsWith("delta 2 "));
    assertThat(recorder.events.get(recorder.events.size() - 1)).isEqualTo("decision 2 FINISH");
    long first = result.trace().firstAnswerMs().orElseThrow();
    List<LlmCallTrace> calls = result.trace().rounds().get(1).llmCalls();
    assertThat(first).isBetween(calls.get(1).startMs(), calls.get(1).endMs());
  }

  @Test
  void repliesWithoutAFinishLineStreamNoAnswer() {
    Recorder recorder = new Recorder();
    ScriptedLlm llm =
        new ScriptedLlm(
            reply("1. population(\"Lyon\")\n2. join()<END_OF_PLAN>"),
            reply("Sure! The answer is 522000 people."),
            reply("Still no format, sorry: 522000 people."));

    RunResult partial =
        org.assertj.core.api.Assertions.catchThrowableOfType(
                () -> compiler(llm, recorder, b -> b).run("How many people live in Lyon?"),
                LlmCompilerException.class)
            .partialResult()
            .orElseThrow();

    // Two unreadable replies are no answer (see LlmCompiler, "How runs end"), so nothing was
    // streamed.
    assertThat(partial.outcome()).isEqualTo(RunOutcome.INVALID_ANSWER);
    assertThat(recorder.deltas).isEmpty();
    assertThat(partial.trace().firstAnswerMs()).isEmpty();
  }

  @Test
  void aRunWithoutAnAnswerHasNoTimeToFirstAnswer() {
    ScriptedLlm llm = new ScriptedLlm(reply("1. population(\"Lyon\")\n2. join()<END_OF_PLAN>"));
    RunResult partial =
        org.assertj.core.api.Assertions.catchThrowableOfType(
                () -> compiler(llm).run("q"), LlmCompilerException.class)
            .partialResult()
            .orElseThrow();
    assertThat(partial.outcome()).isEqualTo(RunOutcome.LLM_FAILED);
    assertThat(partial.trace().firstAnswerMs()).isEmpty();
    assertThat(partial.trace().toJson()).doesNotContain("firstAnswerMs");
  }
}
