package dev.llmcompiler.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/** Every @Agent rule fails on the element at fault, with the rule, what was found and the fix. */
class AgentValidationTest {

  /** A tool class every agent here may use: search(query) and add(a, b). */
  static final JavaFileObject SEARCH =
      Compiler.source(
          "test.Search",
          "package test;",
          "import dev.llmcompiler.annotations.Tool;",
          "/** Search tools. */",
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
          "}");

  private static JavaFileObject agent(String... lines) {
    String[] source = new String[lines.length + 5];
    source[0] = "package test;";
    source[1] = "import dev.llmcompiler.annotations.*;";
    source[2] = "import java.util.*;";
    source[3] = "/** An agent. */";
    System.arraycopy(lines, 0, source, 4, lines.length);
    source[source.length - 1] = "";
    return Compiler.source("test.Assistant", source);
  }

  private static void assertError(String message, String line, String... lines) {
    JavaFileObject source = agent(lines);
    Compilation compilation = Compiler.compile(source, SEARCH);
    assertThat(compilation).failed();
    assertThat(compilation).hadErrorContaining(message).inFile(source).onLineContaining(line);
    assertThat(compilation).hadErrorCount(1);
  }

  @Test
  void aClassIsNotAnAgent() {
    assertError(
        "[LlmcAgentNotInterface] @Agent must annotate an interface, whose methods the processor implements,"
            + " but test.Assistant is a class. Declare it as an interface.",
        "class Assistant",
        "@Agent public abstract class Assistant { public abstract String ask(String q); }");
  }

  @Test
  void aGenericInterface() {
    assertError(
        "[LlmcAgentGeneric] @Agent interfaces cannot be generic",
        "interface Assistant<T>",
        "@Agent public interface Assistant<T> { String ask(String q); }");
  }

  @Test
  void aGenericMethod() {
    assertError(
        "[LlmcAgentGenericMethod] Agent methods cannot be generic",
        "<T> String ask",
        "@Agent public interface Assistant {",
        "  <T> String ask(String q, T hint);",
        "}");
  }

  @Test
  void aPrivateNestedInterface() {
    JavaFileObject source =
        Compiler.source(
            "test.Outer",
            "package test;",
            "import dev.llmcompiler.annotations.*;",
            "public class Outer {",
            "  @Agent private interface Hidden { String ask(String q); }",
            "}");
    Compilation compilation = Compiler.compile(source);
    assertThat(compilation)
        .hadErrorContaining(
            "[LlmcAgentNotAccessible] @Agent interfaces must be reachable from the"
                + " generated Outer_HiddenImpl, but test.Outer.Hidden is private.")
        .inFile(source)
        .onLineContaining("Hidden");
  }

  @Test
  void theQuestionIsNotAString() {
    assertError(
        "[LlmcAgentQuestion] The first parameter of an agent method is the question and must be a String, but"
            + " Assistant.ask(int) takes int. Declare it as e.g. ask(String question, ...).",
        "int number",
        "@Agent public interface Assistant {",
        "  String ask(",
        "      int number);",
        "}");
  }

  @Test
  void noQuestionAtAll() {
    assertError(
        "Assistant.ask() has no parameters",
        "String ask()",
        "@Agent public interface Assistant {",
        "  String ask();",
        "}");
  }

  @Test
  void anUnsupportedContextParameter() {
    assertError(
        "[LlmcAgentContextType] Context parameter 'thread' of Assistant.ask(String, Thread) has type"
            + " java.lang.Thread, which cannot be written into the question as JSON:",
        "Thread thread",
        "@Agent public interface Assistant {",
        "  String ask(String q,",
        "      Thread thread);",
        "}");
  }

  @Test
  void anUnsupportedReturnType() {
    assertError(
        "[LlmcAgentReturn] Assistant.ask(String) returns int, which cannot be an agent's answer: an agent"
            + " method returns the answer as a String, or as a record for a structured answer. Return String or a record.",
        "int ask",
        "@Agent public interface Assistant {",
        "  int ask(String q);",
        "}");
  }

  @Test
  void aRecordWithAnUnsupportedComponent() {
    assertError(
        "[LlmcAgentReturn] Assistant.ask(String) returns test.Assistant.Bad",
        "Bad ask",
        "@Agent public interface Assistant {",
        "  record Bad(Thread thread) {}",
        "  Bad ask(String q);",
        "}");
  }

  @Test
  void aGenericRecordAnswer() {
    assertError(
        "a generic record cannot be bound from JSON by its class alone",
        "Box<String> ask",
        "@Agent public interface Assistant {",
        "  record Box<T>(T value) {}",
        "  Box<String> ask(String q);",
        "}");
  }

  @Test
  void aToolsClassWithoutTools() {
    assertError(
        "[LlmcAgentToolsWithoutTools] @Agent(tools) lists the classes whose @Tool methods the agent uses, but"
            + " java.lang.String has no @Tool methods.",
        "String.class",
        "@Agent(tools = {Search.class,",
        "    String.class})",
        "public interface Assistant { String ask(String q); }");
  }

  @Test
  void everyProblemOfOneAgentIsReportedInOneCompile() {
    JavaFileObject source =
        agent(
            "@Agent public interface Assistant {",
            "  String first(int q);",
            "  long second(String q);",
            "  String third(String q, Thread t);",
            "}");
    Compilation compilation = Compiler.compile(source, SEARCH);
    assertThat(compilation).hadErrorCount(3);
    assertThat(compilation)
        .hadErrorContaining("LlmcAgentQuestion")
        .inFile(source)
        .onLineContaining("first");
    assertThat(compilation)
        .hadErrorContaining("LlmcAgentReturn")
        .inFile(source)
        .onLineContaining("second");
    assertThat(compilation)
        .hadErrorContaining("LlmcAgentContextType")
        .inFile(source)
        .onLineContaining("third");
  }

  @Test
  void defaultStaticAndObjectMethodsAreLeftAloneAndOverloadsAreFine() {
    JavaFileObject source =
        agent(
            "@Agent(tools = Search.class) public interface Assistant {",
            "  void close();",
            "  String ask(String q);",
            "  String ask(String q, int limit);",
            "  default String shout(String q) { return ask(q).toUpperCase(); }",
            "  static String hello() { return \"hi\"; }",
            "  String toString();",
            "  boolean equals(Object other);",
            "}");
    Compilation compilation = Compiler.compile(source, SEARCH);
    assertThat(compilation).succeeded();
    org.assertj.core.api.Assertions.assertThat(Compiler.warnings(compilation)).isEmpty();
    assertThat(compilation).generatedSourceFile("test.AssistantImpl");
  }
}
