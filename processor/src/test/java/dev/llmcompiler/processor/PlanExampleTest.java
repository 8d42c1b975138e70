package dev.llmcompiler.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import dev.llmcompiler.runtime.LlmCompiler;
import dev.llmcompiler.runtime.ToolSet;
import dev.llmcompiler.runtime.llm.LlmClient;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * {@code @PlanExample} plans are parsed at build time: each mistake fails the build on the {@code
 * plan} value, naming the plan line and the parser's reason; valid examples reach the generated
 * tool set and, through it, the planner's system prompt.
 */
class PlanExampleTest {
  private static final String PLAN_LINE = "plan = ";

  /**
   * {@code test.Search} with search(query) and add(a, b), and the given annotation lines before the
   * class.
   */
  private static JavaFileObject tools(String... annotations) {
    String[] lines = new String[annotations.length + 16];
    lines[0] = "package test;";
    lines[1] = "import dev.llmcompiler.annotations.*;";
    System.arraycopy(annotations, 0, lines, 2, annotations.length);
    int at = annotations.length + 2;
    String[] body = {
      "public class Search {",
      "  /**",
      "   * Searches.",
      "   * @param query what to look for",
      "   */",
      "  @Tool public String search(String query) { return \"found \" + query; }",
      "  /**",
      "   * Adds.",
      "   * @param a one",
      "   * @param b two",
      "   */",
      "  @Tool public int add(int a, int b) { return a + b; }",
      "}",
      ""
    };
    System.arraycopy(body, 0, lines, at, body.length);
    return Compiler.source("test.Search", java.util.Arrays.copyOf(lines, at + body.length));
  }

  private static void assertPlanError(String message, String plan) {
    JavaFileObject source =
        tools("@PlanExample(question = \"Q?\",", "    " + PLAN_LINE + plan + ")");
    Compilation compilation = Compiler.compile(source);
    assertThat(compilation).failed();
    assertThat(compilation).hadErrorContaining(message).inFile(source).onLineContaining(PLAN_LINE);
    assertThat(compilation).hadErrorCount(1);
  }

  @Test
  void anUnknownTool() {
    assertPlanError(
        "[LlmcInvalidPlanExample] The plan of @PlanExample \"Q?\" is wrong at plan line 2"
            + " `2. serch(\\\"y\\\")`".replace("\\\\", "\\").replace("\\\"", "\""),
        "\"1. search(\\\"x\\\")\\n2. serch(\\\"y\\\")\\n3. join()\"");
  }

  @Test
  void theUnknownToolMessageNamesTheClosestToolAndTheTools() {
    assertPlanError(
        "unknown tool 'serch'; did you mean 'search'? Available tools: search, add. Examples teach the"
            + " planner, so each must be a plan that would run with the tools of Search (search, add).",
        "\"1. serch(\\\"x\\\")\\n2. join()\"");
  }

  @Test
  void tooManyArguments() {
    assertPlanError("is wrong at plan line 1 `1. add(1, 2, 3)`", "\"1. add(1, 2, 3)\\n2. join()\"");
  }

  @Test
  void aMissingArgument() {
    assertPlanError("required argument", "\"1. add(1)\\n2. join()\"");
  }

  @Test
  void anArgumentOfTheWrongType() {
    assertPlanError(
        "is wrong at plan line 1 `1. add(\"one\", 2)`", "\"1. add(\\\"one\\\", 2)\\n2. join()\"");
  }

  @Test
  void aReferenceWhoseResultHasTheWrongType() {
    assertPlanError(
        "is wrong at plan line 2 `2. add($1, 2)`: argument 'a' is $1, the result of search, which is a"
            + " string, but add takes an integer there",
        "\"1. search(\\\"x\\\")\\n2. add($1, 2)\\n3. join()\"");
  }

  @Test
  void aReferenceToAMissingTask() {
    assertPlanError(
        "is wrong at plan line 2 `2. add($1, $5)`: references $5",
        "\"1. add(1, 2)\\n2. add($1, $5)\\n3. join()\"");
  }

  @Test
  void aLineThatDoesNotParse() {
    assertPlanError(
        "is wrong at plan line 1 `1. search(\"x)`: cannot read the task line",
        "\"1. search(\\\"x)\\n2. join()\"");
  }

  @Test
  void aLineTheRuntimeWouldRepairIsAnErrorThatSaysHowToWriteIt() {
    assertPlanError(
        "is wrong at plan line 1 `1. search(Rosetta)`: cannot read the task line `1. search(Rosetta)`:"
            + " unquoted text 'Rosetta' at column 11; write text in quotes, e.g. \"Rosetta\", and references as $<id>."
            + " The runtime would repair this line (read unquoted text as the string \"Rosetta\"), but the planner copies"
            + " its examples, so write it as the plan language has it: `1. search(query=\"Rosetta\")`.",
        "\"1. search(Rosetta)\\n2. join()\"");
    assertPlanError(
        "is wrong at plan line 2 `Step 2: add(1, 2)`: the line `Step 2: add(1, 2)` calls add but does"
            + " not start with a task id; write each task on its own line as <id>. <tool>(<arguments>), here 2. add(...)."
            + " The runtime would repair this line (read the label \"Step 2:\" as task 2), but the planner copies its"
            + " examples, so write it as the plan language has it: `2. add(a=1, b=2)`.",
        "\"1. search(\\\"x\\\")\\nStep 2: add(1, 2)\\n3. join()\"");
  }

  @Test
  void aJoinThatCannotBeADirectAnswer() {
    assertPlanError(
        "is wrong at plan line 2 `2. join(\"x\", $1)`: its join cannot be read as a direct answer: join has 2"
            + " arguments, but a direct answer is one string",
        "\"1. search(\\\"x\\\")\\n2. join(\\\"x\\\", $1)\"");
  }

  @Test
  void aDirectAnswerIsAValidExample() {
    JavaFileObject source =
        tools(
            "@PlanExample(question = \"Sum?\", plan = \"1. add(1, 2)\\n2. join(\\\"The sum is ${1}.\\\")\")",
            "@PlanExample(question = \"Capital of France?\", plan = \"1. join(\\\"Paris\\\")\")");
    Compilation compilation = Compiler.compile(source);
    assertThat(compilation).succeeded();
    org.assertj.core.api.Assertions.assertThat(Compiler.warnings(compilation)).isEmpty();
  }

  @Test
  void noJoin() {
    assertPlanError(
        "The plan of @PlanExample \"Q?\" does not end with join(). A plan ends with a join() task on its"
            + " own last line, e.g. `2. join()`.",
        "\"1. search(\\\"x\\\")\"");
  }

  @Test
  void textAfterJoin() {
    assertPlanError(
        "has text after its join() line, at plan line 3 `3. search(\"z\")`",
        "\"1. search(\\\"x\\\")\\n2. join()\\n3. search(\\\"z\\\")\"");
  }

  @Test
  void theLineNumberCountsThoughtAndBlankLines() {
    // The bad task is the plan's second task but its fifth line.
    assertPlanError(
        "is wrong at plan line 5 `2. add($1, 2)`: argument 'a' is $1",
        "\"Thought: look it up\\n1. search(\\\"x\\\")\\n\\nThought: then add\\n2. add($1, 2)\\n3. join()\"");
    assertPlanError(
        "has text after its join() line, at plan line 4 `3. search(\"z\")`",
        "\"1. search(\\\"x\\\")\\n2. join()\\n\\n  3. search(\\\"z\\\")\"");
  }

  @Test
  void anEmptyQuestion() {
    JavaFileObject source = tools("@PlanExample(question = \"  \", plan = \"1. join()\")");
    Compilation compilation = Compiler.compile(source);
    assertThat(compilation)
        .hadErrorContaining("[LlmcPlanExampleQuestion]")
        .inFile(source)
        .onLineContaining("@PlanExample");
  }

  @Test
  void repeatedExamplesAreEachReportedOnTheirOwnPlan() {
    JavaFileObject source =
        tools(
            "@PlanExample(question = \"Good?\", plan = \"1. search(\\\"x\\\")\\n2. join()\")",
            "@PlanExample(question = \"Bad?\",",
            "    plan = \"1. add(1, true)\\n2. join()\")");
    Compilation compilation = Compiler.compile(source);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation)
        .hadErrorContaining("The plan of @PlanExample \"Bad?\" is wrong at plan line 1")
        .inFile(source)
        .onLineContaining("plan = \"1. add(1, true)");
  }

  @Test
  void anExampleOnAClassWithoutToolsOrAgent() {
    JavaFileObject source =
        Compiler.source(
            "test.Plain",
            "package test;",
            "import dev.llmcompiler.annotations.*;",
            "@PlanExample(question = \"Q?\", plan = \"1. join()\")",
            "public class Plain {}");
    Compilation compilation = Compiler.compile(source);
    assertThat(compilation)
        .hadErrorContaining(
            "[LlmcPlanExampleMisplaced] @PlanExample belongs on a class with @Tool"
                + " methods or on an @Agent interface, whose tools its plan may call, but Plain is neither.")
        .inFile(source)
        .onLineContaining("class Plain");
  }

  @Test
  void agentExamplesAreCheckedAgainstTheAgentsTools() {
    JavaFileObject agent =
        Compiler.source(
            "test.Assistant",
            "package test;",
            "import dev.llmcompiler.annotations.*;",
            "@Agent(tools = Search.class)",
            "@PlanExample(question = \"Sum?\",",
            "    plan = \"1. add(1, 2)\\n2. multiply($1, 3)\\n3. join()\")",
            "public interface Assistant { String ask(String question); }");
    Compilation compilation = Compiler.compile(agent, tools());
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation)
        .hadErrorContaining("is wrong at plan line 2 `2. multiply($1, 3)`: unknown tool 'multiply'")
        .inFile(agent)
        .onLineContaining("plan = ");
  }

  @Test
  void agentExamplesNeedTheAgentsTools() {
    JavaFileObject agent =
        Compiler.source(
            "test.Assistant",
            "package test;",
            "import dev.llmcompiler.annotations.*;",
            "@Agent",
            "@PlanExample(question = \"Sum?\", plan = \"1. add(1, 2)\\n2. join()\")",
            "public interface Assistant { String ask(String question); }");
    Compilation compilation = Compiler.compile(agent);
    assertThat(compilation)
        .hadErrorContaining(
            "[LlmcPlanExampleWithoutTools] The @PlanExample of agent Assistant"
                + " cannot be checked")
        .inFile(agent)
        .onLineContaining("@PlanExample");
  }

  @Test
  void validExamplesReachTheToolSetAndThePlannerPromptInSourceOrder() throws Exception {
    JavaFileObject source =
        tools(
            "@PlanExample(question = \"What is 1 + 2, and what is x?\", plan = \"\"\"",
            "    Thought: independent",
            "    1. add(1, 2)",
            "    2. search(query=\"x\")",
            "    3. join()",
            "    \"\"\")",
            "@PlanExample(question = \"Twice 1 + 2?\", plan = \"1. add(1, 2)\\n2. add($1, $1)\\n3. join()\\n<END_OF_PLAN>\")");
    Compilation compilation = Compiler.compile(source);
    assertThat(compilation).succeeded();
    org.assertj.core.api.Assertions.assertThat(Compiler.warnings(compilation)).isEmpty();
    String generated =
        compilation
            .generatedSourceFile("test.SearchTools")
            .orElseThrow()
            .getCharContent(true)
            .toString();
    org.assertj.core.api.Assertions.assertThat(generated)
        .contains("private static final List<String> EXAMPLES = List.of(")
        .contains("public List<String> examples() {");

    ClassLoader loader = Compiler.classLoader(compilation);
    Class<?> target = loader.loadClass("test.Search");
    ToolSet tools =
        (ToolSet)
            loader
                .loadClass("test.SearchTools")
                .getMethod("of", target)
                .invoke(null, target.getConstructor().newInstance());
    String first =
        "Question: What is 1 + 2, and what is x?\nThought: independent\n1. add(1, 2)\n"
            + "2. search(query=\"x\")\n3. join()\n<END_OF_PLAN>";
    String second =
        "Question: Twice 1 + 2?\n1. add(1, 2)\n2. add($1, $1)\n3. join()\n<END_OF_PLAN>";
    org.assertj.core.api.Assertions.assertThat(tools.examples()).containsExactly(first, second);

    LlmClient unused =
        (request, listener) -> CompletableFuture.failedFuture(new IOException("not called"));
    try (LlmCompiler compiler = LlmCompiler.builder().llm(unused).tools(tools).build()) {
      String prompt = compiler.plannerSystemPrompt();
      org.assertj.core.api.Assertions.assertThat(prompt).contains(first + "\n\n" + second + "\n");
      org.assertj.core.api.Assertions.assertThat(prompt.indexOf(first))
          .isGreaterThan(prompt.indexOf("Question: Germany's population minus France's?"));
    }
  }

  @Test
  void aToolSetWithoutExamplesHasNone() throws Exception {
    Compilation compilation = Compiler.compile(tools());
    ClassLoader loader = Compiler.classLoader(compilation);
    Class<?> target = loader.loadClass("test.Search");
    ToolSet tools =
        (ToolSet)
            loader
                .loadClass("test.SearchTools")
                .getMethod("of", target)
                .invoke(null, target.getConstructor().newInstance());
    org.assertj.core.api.Assertions.assertThat(tools.examples()).isEqualTo(List.of());
  }
}
