package dev.llmcompiler.runtime;

import static dev.llmcompiler.runtime.ScriptedLlm.reply;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmcompiler.runtime.internal.Json;
import dev.llmcompiler.runtime.llm.LlmRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Structured answers: the joiner is asked for JSON of a schema, which is checked, bound, and
 * retried once.
 */
class StructuredAnswerTest {
  record Comparison(String larger, double difference, List<String> companies) {}

  private static final String SCHEMA =
      "{\"type\":\"object\",\"properties\":{"
          + "\"larger\":{\"type\":\"string\",\"enum\":[\"Apple\",\"Microsoft\"]},"
          + "\"difference\":{\"type\":\"number\"},"
          + "\"companies\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}}},"
          + "\"required\":[\"larger\",\"difference\"],\"additionalProperties\":false}";
  private static final AnswerFormat<Comparison> FORMAT =
      AnswerFormat.of(Comparison.class, SCHEMA, "MarketAgent.compare(String), record Comparison");
  private static final String PLAN =
      "1. search(\"Apple market cap\")\n2. search(\"Microsoft market cap\")\n3. join()<END_OF_PLAN>";
  private static final String VALID =
      "{\"larger\": \"Apple\", \"difference\": 0.5, \"companies\": [\"Apple\", \"Microsoft\"]}";

  private final List<LlmCompiler> compilers = new ArrayList<>();

  @AfterEach
  void close() {
    compilers.forEach(LlmCompiler::close);
  }

  private LlmCompiler compiler(ScriptedLlm llm, ToolSet... tools) {
    LlmCompiler compiler = LlmCompiler.builder().llm(llm).tools(tools).build();
    compilers.add(compiler);
    return compiler;
  }

  private static TestTools search() {
    return new TestTools()
        .tool(
            "search",
            args ->
                Json.NODES.textNode(
                    args.get("query").asText().startsWith("Apple") ? "3.5T" : "3.0T"),
            "query",
            "string");
  }

  private static String finish(String answer) {
    return "Thought: Apple's cap is larger.\nAction: Finish(" + answer + ")";
  }

  private static String userMessage(LlmRequest request) {
    return request.lastUserMessage().orElseThrow().content();
  }

  @Test
  void aValidAnswerIsBoundToTheRecordAndTheJoinerIsAskedForTheSchema() {
    ScriptedLlm llm = new ScriptedLlm(reply(PLAN), reply(finish(VALID)));

    StructuredResult<Comparison> result =
        compiler(llm, search()).run("Is Apple worth more than Microsoft?", FORMAT);

    assertThat(result.value())
        .isEqualTo(new Comparison("Apple", 0.5, List.of("Apple", "Microsoft")));
    assertThat(result.json())
        .isEqualTo(
            "{\"larger\":\"Apple\",\"difference\":0.5,\"companies\":[\"Apple\",\"Microsoft\"]}");
    assertThat(result.result().answer()).isEqualTo(result.json());
    assertThat(result.result().outcome()).isEqualTo(RunOutcome.FINISHED);
    assertThat(result.result().llmCalls()).isEqualTo(2);
    LlmRequest joiner = llm.requests.get(1);
    assertThat(userMessage(joiner))
        .contains("Is Apple worth more than Microsoft?")
        .contains("The final answer must be JSON")
        .contains(FORMAT.schemaText());
    // The schema goes into the user message: the joiner's system prompt stays byte-identical.
    assertThat(joiner.system()).isEqualTo(new Joiner(false).systemPrompt());
  }

  @Test
  void runAsyncGivesTheSameStructuredResult() throws Exception {
    ScriptedLlm llm = new ScriptedLlm(reply(PLAN), reply(finish(VALID)));

    CompletableFuture<StructuredResult<Comparison>> future =
        compiler(llm, search()).runAsync("Is Apple worth more than Microsoft?", FORMAT);

    StructuredResult<Comparison> result = future.get(10, TimeUnit.SECONDS);
    assertThat(result.value())
        .isEqualTo(new Comparison("Apple", 0.5, List.of("Apple", "Microsoft")));
    assertThat(result.result().outcome()).isEqualTo(RunOutcome.FINISHED);
  }

  @Test
  void cancellingAStructuredRunAsyncCancelsTheRun() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch interrupted = new CountDownLatch(1);
    TestTools tools = search().tool("hang", TestTools.hangUntilInterrupted(started, interrupted));
    ScriptedLlm llm = new ScriptedLlm(reply("1. hang()\njoin()<END_OF_PLAN>"));

    CompletableFuture<StructuredResult<Comparison>> future =
        compiler(llm, tools).runAsync("q", FORMAT);
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(future.cancel(true)).isTrue();

    assertThat(interrupted.await(10, TimeUnit.SECONDS))
        .as("the run's tool was interrupted")
        .isTrue();
    assertThat(future).isCancelled();
    assertThat(llm.calls()).as("no joiner call after the cancel").isEqualTo(1);
  }

  @Test
  void aTextAnswerThenValidJsonAfterTheRetry() {
    ScriptedLlm llm =
        new ScriptedLlm(
            reply(PLAN),
            reply(finish("Apple, by about half a trillion dollars")),
            reply(finish("```json\n" + VALID + "\n```")));

    StructuredResult<Comparison> result =
        compiler(llm, search()).run("Is Apple worth more than Microsoft?", FORMAT);

    assertThat(result.value().larger()).isEqualTo("Apple");
    assertThat(result.result().llmCalls()).isEqualTo(3);
    String retry = userMessage(llm.requests.get(2));
    assertThat(retry)
        .startsWith("Your final answer cannot be used: it is not valid JSON")
        .contains(FORMAT.schemaText());
    assertThat(llm.requests.get(2).messages()).hasSize(llm.requests.get(1).messages().size() + 2);
    assertThat(result.result().trace().rounds().get(0).joinerNote().orElseThrow())
        .contains("did not match the answer format");
  }

  @Test
  void aMissingRequiredFieldIsNamedInTheRetry() {
    ScriptedLlm llm =
        new ScriptedLlm(
            reply(PLAN),
            reply(finish("{\"larger\": \"Apple\", \"companies\": null}")),
            reply(finish(VALID)));

    StructuredResult<Comparison> result =
        compiler(llm, search()).run("Is Apple worth more?", FORMAT);

    assertThat(result.value().difference()).isEqualTo(0.5);
    assertThat(userMessage(llm.requests.get(2)))
        .contains("$ is missing the required field 'difference' (a number)");
  }

  @Test
  void wrongTypesAndUnknownValuesAreNamed() {
    AnswerFormat.Reading<Comparison> reading =
        FORMAT.read("{\"larger\": \"Google\", \"difference\": \"big\", \"extra\": 1}");
    assertThat(reading.problem())
        .isEqualTo(
            "$.larger must be one of \"Apple\", \"Microsoft\", but got \"Google\" (a string); "
                + "$.difference must be a number, but got \"big\" (a string); "
                + "$ has an unknown field 'extra'; its fields are: larger, difference, companies");
    assertThat(FORMAT.read("Sure! Here it is: " + VALID + " Hope it helps.").value())
        .isEqualTo(new Comparison("Apple", 0.5, List.of("Apple", "Microsoft")));
  }

  @Test
  void invalidTwiceThrowsNamingTheFormatAndTheProblemWithTheTrace() {
    ScriptedLlm llm =
        new ScriptedLlm(
            reply(PLAN), reply(finish("Apple")), reply(finish("{\"larger\": \"Apple\"}")));

    LlmCompilerException error =
        catchThrowableOfType(
            LlmCompilerException.class,
            () -> compiler(llm, search()).run("Is Apple worth more?", FORMAT));

    assertThat(error.getMessage())
        .contains("MarketAgent.compare(String), record Comparison")
        .contains("$ is missing the required field 'difference' (a number)")
        .contains("{\"larger\": \"Apple\"}");
    assertThat(error.outcome()).contains(RunOutcome.INVALID_ANSWER);
    RunResult partial = error.partialResult().orElseThrow();
    assertThat(partial.trace().rounds()).hasSize(1);
    assertThat(partial.trace().rounds().get(0).tasks()).hasSize(2);
    assertThat(partial.trace().error()).contains(error.getMessage());
    assertThat(llm.calls()).isEqualTo(3);
  }

  @Test
  void toolSetExamplesFollowTheBuiltInOnesInSetOrderThenTheBuildersAndThePromptIsStable() {
    ToolSet first =
        withExamples(search(), "Question: first\n1. search(\"a\")\n2. join()\n<END_OF_PLAN>");
    ToolSet second =
        withExamples(
            new TestTools().tool("math", args -> args, "expression", "string"),
            "Question: second\n1. math(\"1+1\")\n2. join()\n<END_OF_PLAN>");
    String prompt =
        LlmCompiler.builder()
            .llm(new ScriptedLlm())
            .tools(first, second)
            .plannerExample("Question: third\n1. join()\n<END_OF_PLAN>")
            .build()
            .plannerSystemPrompt();
    String again =
        LlmCompiler.builder()
            .llm(new ScriptedLlm())
            .tools(first, second)
            .plannerExample("Question: third\n1. join()\n<END_OF_PLAN>")
            .build()
            .plannerSystemPrompt();

    int builtIn = prompt.indexOf("Question: Germany's population minus France's?");
    int firstAt = prompt.indexOf("Question: first\n1. search(\"a\")\n2. join()\n<END_OF_PLAN>");
    int secondAt = prompt.indexOf("Question: second\n");
    int thirdAt = prompt.indexOf("Question: third\n");
    assertThat(builtIn).isPositive();
    assertThat(firstAt).isGreaterThan(builtIn);
    assertThat(secondAt).isGreaterThan(firstAt);
    assertThat(thirdAt).isGreaterThan(secondAt);
    assertThat(again).isEqualTo(prompt);
  }

  private static ToolSet withExamples(ToolSet tools, String... examples) {
    return new ToolSet() {
      @Override
      public List<ToolDescriptor> tools() {
        return tools.tools();
      }

      @Override
      public CompletionStage<JsonNode> invoke(String tool, ObjectNode arguments) throws Exception {
        return tools.invoke(tool, arguments);
      }

      @Override
      public List<String> examples() {
        return List.of(examples);
      }
    };
  }
}
