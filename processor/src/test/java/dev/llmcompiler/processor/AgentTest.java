package dev.llmcompiler.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.testing.compile.Compilation;
import dev.llmcompiler.runtime.LlmCompiler;
import dev.llmcompiler.runtime.LlmCompilerException;
import dev.llmcompiler.runtime.RunOutcome;
import dev.llmcompiler.runtime.ToolSet;
import dev.llmcompiler.runtime.llm.LlmClient;
import dev.llmcompiler.runtime.llm.LlmRequest;
import dev.llmcompiler.runtime.llm.LlmResponse;
import dev.llmcompiler.runtime.llm.LlmStreamListener;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An {@code @Agent} interface compiles to a working agent: the generated {@code AssistantImpl} is
 * loaded and run against a scripted LLM through the real runtime, with text and structured answers.
 */
class AgentTest {
  static final JavaFileObject ASSISTANT =
      Compiler.source(
          "test.Assistant",
          "package test;",
          "import dev.llmcompiler.annotations.*;",
          "import java.util.List;",
          "/** Answers questions about numbers and words. */",
          "@Agent(tools = Search.class, instructions = \"Answer in one short sentence.\")",
          "@PlanExample(question = \"What is 2 + 3?\", plan = \"1. add(2, 3)\\n2. join()\")",
          "public interface Assistant {",
          "  /**",
          "   * A sum and its terms.",
          "   * @param total the sum",
          "   * @param terms what was added",
          "   */",
          "  record Sum(int total, List<Integer> terms) {}",
          "",
          "  String ask(String question);",
          "",
          "  Sum sum(String question, int bonus, List<String> tags);",
          "",
          "  default String shout(String question) { return ask(question).toUpperCase(); }",
          "}");

  private static Compilation compilation;
  private static ClassLoader loader;

  @BeforeAll
  static void compile() {
    compilation = Compiler.compile(ASSISTANT, AgentValidationTest.SEARCH);
    loader = Compiler.classLoader(compilation);
  }

  private static ToolSet search() throws Exception {
    Class<?> target = loader.loadClass("test.Search");
    return (ToolSet)
        loader
            .loadClass("test.SearchTools")
            .getMethod("of", target)
            .invoke(null, target.getConstructor().newInstance());
  }

  private static AutoCloseable agent(LlmClient llm) throws Exception {
    Method create =
        loader
            .loadClass("test.AssistantImpl")
            .getMethod("create", LlmClient.class, ToolSet[].class);
    return (AutoCloseable) create.invoke(null, llm, new ToolSet[] {search()});
  }

  private static Object call(Object agent, String method, Object... arguments) throws Throwable {
    for (Method candidate : loader.loadClass("test.Assistant").getMethods()) {
      if (candidate.getName().equals(method) && candidate.getParameterCount() == arguments.length) {
        try {
          return candidate.invoke(agent, arguments);
        } catch (InvocationTargetException e) {
          throw e.getCause();
        }
      }
    }
    throw new AssertionError("no method " + method);
  }

  private static Object component(Object record, String name) throws Exception {
    return record.getClass().getMethod(name).invoke(record);
  }

  @Test
  void theGeneratedAgentCompilesCleanly() {
    assertThat(compilation).succeeded();
    assertThat(Compiler.warnings(compilation)).isEmpty();
    assertThat(compilation).generatedSourceFile("test.AssistantImpl");
  }

  @Test
  void aTextMethodRunsTheQuestionThroughPlannerToolsAndJoiner() throws Throwable {
    ScriptedReplies llm =
        new ScriptedReplies(
            "1. search(\"apple\")\n2. add(2, 3)\n3. join()<END_OF_PLAN>",
            "Thought: Both results are in.\nAction: Finish(Found apple; 2 + 3 is 5.)");
    try (AutoCloseable agent = agent(llm)) {
      assertThat(call(agent, "ask", "What about apple, and 2 + 3?"))
          .isEqualTo("Found apple; 2 + 3 is 5.");
    }
    String system = llm.requests.get(0).system();
    assertThat(system)
        .contains("Answer in one short sentence.")
        .contains("Question: What is 2 + 3?\n1. add(2, 3)\n2. join()\n<END_OF_PLAN>")
        .contains("search(query: string) -> string");
    assertThat(llm.userMessage(0)).isEqualTo("Question: What about apple, and 2 + 3?");
    assertThat(llm.userMessage(1)).contains("found apple").contains("5");
  }

  @Test
  void defaultMethodsAreLeftAlone() throws Throwable {
    ScriptedReplies llm = new ScriptedReplies("1. join()<END_OF_PLAN>", "Action: Finish(quiet)");
    try (AutoCloseable agent = agent(llm)) {
      assertThat(call(agent, "shout", "Say it")).isEqualTo("QUIET");
    }
  }

  @Test
  void aRecordMethodGetsAStructuredAnswerWithItsContextInTheQuestion() throws Throwable {
    ScriptedReplies llm =
        new ScriptedReplies(
            "1. add(5, 7)\n2. join()<END_OF_PLAN>",
            "Thought: 5 + 7 = 12.\nAction: Finish({\"total\": 12, \"terms\": [5, 7]})");
    Object sum;
    try (AutoCloseable agent = agent(llm)) {
      sum = call(agent, "sum", "Add 5 and the bonus.", 7, List.of("urgent", "math"));
    }
    assertThat(component(sum, "total")).isEqualTo(12);
    assertThat(component(sum, "terms")).isEqualTo(List.of(5, 7));
    assertThat(llm.userMessage(0))
        .isEqualTo(
            "Question: Add 5 and the bonus.\n\nContext:\nbonus: 7\ntags: [\"urgent\",\"math\"]");
    assertThat(llm.userMessage(1))
        .contains("The final answer must be JSON")
        .contains(
            "{\"type\":\"object\",\"properties\":{\"total\":{\"type\":\"integer\",\"description\":\"the sum\"},"
                + "\"terms\":{\"type\":\"array\",\"items\":{\"type\":\"integer\"},\"description\":\"what was added\"}},"
                + "\"required\":[\"total\",\"terms\"],\"additionalProperties\":false}");
  }

  @Test
  void anInvalidStructuredAnswerIsRetriedOnce() throws Throwable {
    ScriptedReplies llm =
        new ScriptedReplies(
            "1. add(5, 7)\n2. join()<END_OF_PLAN>",
            "Action: Finish(The total is 12.)",
            "Action: Finish({\"total\": 12, \"terms\": [5, 7]})");
    try (AutoCloseable agent = agent(llm)) {
      Object sum = call(agent, "sum", "Add 5 and 7.", 0, List.of());
      assertThat(component(sum, "total")).isEqualTo(12);
    }
    assertThat(llm.requests).hasSize(3);
    assertThat(llm.userMessage(2))
        .startsWith("Your final answer cannot be used: it is not valid JSON");
  }

  @Test
  void anAnswerInvalidTwiceThrowsNamingTheMethodTheRecordAndTheProblem() throws Throwable {
    ScriptedReplies llm =
        new ScriptedReplies(
            "1. add(5, 7)\n2. join()<END_OF_PLAN>",
            "Action: Finish({\"terms\": [5, 7]})",
            "Action: Finish({\"total\": \"twelve\", \"terms\": [5, 7]})");
    try (AutoCloseable agent = agent(llm)) {
      assertThatThrownBy(() -> call(agent, "sum", "Add 5 and 7.", 0, List.of()))
          .isInstanceOfSatisfying(
              LlmCompilerException.class,
              error -> {
                assertThat(error.getMessage())
                    .contains("Assistant.sum(String, int, List), record Sum")
                    .contains("$.total must be an integer, but got \"twelve\" (a string)");
                assertThat(error.outcome()).contains(RunOutcome.INVALID_ANSWER);
                assertThat(error.partialResult().orElseThrow().trace().rounds().get(0).tasks())
                    .hasSize(1);
              });
    }
    assertThat(llm.userMessage(2)).contains("$ is missing the required field 'total' (an integer)");
  }

  @Test
  void creatingWithoutTheAgentsToolsFailsNamingThem() throws Exception {
    ToolSet other =
        new ToolSet() {
          @Override
          public List<dev.llmcompiler.runtime.ToolDescriptor> tools() {
            return List.of(
                dev.llmcompiler.runtime.ToolDescriptor.builder()
                    .name("lookup")
                    .parameters("{\"type\":\"object\",\"properties\":{}}")
                    .returns("{}")
                    .signature("lookup() -> any")
                    .build());
          }

          @Override
          public java.util.concurrent.CompletionStage<com.fasterxml.jackson.databind.JsonNode>
              invoke(String tool, com.fasterxml.jackson.databind.node.ObjectNode arguments) {
            throw new UnsupportedOperationException();
          }
        };
    Method create =
        loader
            .loadClass("test.AssistantImpl")
            .getMethod("create", LlmClient.class, ToolSet[].class);
    CountingClose llm = new CountingClose(new ScriptedReplies());
    assertThatThrownBy(
            () -> {
              try {
                create.invoke(null, llm, new ToolSet[] {other});
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            })
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "AssistantImpl needs the tools of @Agent(tools = ...), but these are missing: [search, add]. Pass"
                + " SearchTools.of(...) to create(...).");
    // create(llm, tools) took ownership of llm, so its failure must not leak it.
    assertThat(llm.closes).hasValue(1);
  }

  @Test
  void theBuilderFactoryKeepsItsOptionsAndCloseClosesTheCompiler() throws Throwable {
    ScriptedReplies llm = new ScriptedReplies("1. join()<END_OF_PLAN>", "Action: Finish(done)");
    Method create =
        loader.loadClass("test.AssistantImpl").getMethod("create", LlmCompiler.Builder.class);
    AutoCloseable agent =
        (AutoCloseable)
            create.invoke(
                null,
                LlmCompiler.builder()
                    .llm(llm)
                    .tools(search())
                    .runDeadline(Duration.ofSeconds(30))
                    .maxReplans(0));
    LlmCompiler compiler = (LlmCompiler) agent.getClass().getMethod("compiler").invoke(agent);
    assertThat(compiler.plannerSystemPrompt()).contains("Question: What is 2 + 3?");
    assertThat(call(agent, "ask", "Anything?")).isEqualTo("done");
    agent.close();
    assertThatThrownBy(() -> call(agent, "ask", "Again?"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void anAgentCreatedWithAClientClosesItOnceAfterItsCompiler() throws Throwable {
    CountingClose llm =
        new CountingClose(new ScriptedReplies("1. join()<END_OF_PLAN>", "Action: Finish(done)"));
    AutoCloseable agent = agent(llm);
    llm.compiler = (LlmCompiler) agent.getClass().getMethod("compiler").invoke(agent);
    assertThat(call(agent, "ask", "Anything?")).isEqualTo("done");
    assertThat(llm.closes).hasValue(0);

    agent.close();
    assertThat(llm.closes).hasValue(1);
    assertThat(llm.compilerClosedFirst).isTrue();
    agent.close();
    assertThat(llm.closes)
        .as("closing the agent again must not close the client again")
        .hasValue(1);
  }

  @Test
  void anAgentCreatedFromABuilderLeavesTheClientToTheCaller() throws Throwable {
    CountingClose llm =
        new CountingClose(new ScriptedReplies("1. join()<END_OF_PLAN>", "Action: Finish(done)"));
    Method create =
        loader.loadClass("test.AssistantImpl").getMethod("create", LlmCompiler.Builder.class);
    AutoCloseable agent =
        (AutoCloseable) create.invoke(null, LlmCompiler.builder().llm(llm).tools(search()));
    assertThat(call(agent, "ask", "Anything?")).isEqualTo("done");
    agent.close();
    agent.close();
    assertThat(llm.closes).hasValue(0);
  }

  /**
   * An LLM that counts its {@code close()} calls and notes whether the agent's compiler was closed
   * by then.
   */
  private static final class CountingClose implements LlmClient {
    private final LlmClient delegate;
    final AtomicInteger closes = new AtomicInteger();
    volatile LlmCompiler compiler;
    volatile boolean compilerClosedFirst;

    CountingClose(LlmClient delegate) {
      this.delegate = delegate;
    }

    @Override
    public CompletableFuture<LlmResponse> chat(LlmRequest request, LlmStreamListener listener) {
      return delegate.chat(request, listener);
    }

    @Override
    public void close() {
      closes.incrementAndGet();
      if (compiler != null) {
        // A closed compiler refuses a run at once, before any call to this client.
        try {
          compiler.run("closed yet?");
        } catch (RuntimeException e) {
          compilerClosedFirst =
              e instanceof IllegalStateException && e.getMessage().contains("closed");
        }
      }
    }
  }
}
