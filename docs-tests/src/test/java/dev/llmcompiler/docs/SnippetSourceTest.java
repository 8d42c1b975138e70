package dev.llmcompiler.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * How blocks are read: their kind, their split into files, and the line mapping back to Markdown.
 */
class SnippetSourceTest {
  private static final SnippetContext CONTEXT =
      new SnippetContext("test", List.of("java.time.Duration"), List.of("String name;"), Map.of());

  private static JavaBlock block(String text) {
    return new JavaBlock("README.md", 100, text, null);
  }

  @Test
  void kindsAreReadFromTheFirstTokens() {
    assertThat(SnippetSource.kind(block("package demo;\nclass A {}\n")))
        .isEqualTo(SnippetSource.Kind.FILE);
    assertThat(SnippetSource.kind(block("import java.util.List;\nclass A {}\n")))
        .isEqualTo(SnippetSource.Kind.FILE);
    assertThat(
            SnippetSource.kind(
                block("/** A. */\n@Agent(tools = {A.class, B.class})\npublic interface X {}\n")))
        .isEqualTo(SnippetSource.Kind.TYPES);
    assertThat(SnippetSource.kind(block("record R(int a) {}\n")))
        .isEqualTo(SnippetSource.Kind.TYPES);
    assertThat(SnippetSource.kind(block("@Bean\nLlmCompilerCustomizer c() { return b -> b; }\n")))
        .isEqualTo(SnippetSource.Kind.MEMBERS);
    assertThat(SnippetSource.kind(block("private final int x = 1;\n")))
        .isEqualTo(SnippetSource.Kind.MEMBERS);
    assertThat(SnippetSource.kind(block("try (var a = open()) {\n}\n")))
        .isEqualTo(SnippetSource.Kind.STATEMENTS);
    assertThat(SnippetSource.kind(block("final int x = 1;\n")))
        .isEqualTo(SnippetSource.Kind.STATEMENTS);
  }

  @Test
  void severalTopLevelTypesBecomeOneFileEachWithTheOthersBlanked() {
    JavaBlock block =
        block(
            """
        @Agent(tools = Travel.class, instructions = "Use {braces} and \\"quotes\\"; class X {")
        public interface TravelAgent {
          String ask(String question);
        }

        /** A controller. class Y { */
        @RestController
        class TravelController {
          String plan = \"""
              } class Z {
              \""";
        }
        """);
    List<SnippetSource> sources = SnippetSource.of(block, CONTEXT, "unused");
    assertThat(sources)
        .extracting(SnippetSource::path)
        .containsExactly("TravelAgent.java", "TravelController.java");
    assertThat(sources.get(0).lines())
        .containsExactly(
            "import java.time.Duration;",
            "@Agent(tools = Travel.class, instructions = \"Use {braces} and \\\"quotes\\\"; class X {\")",
            "public interface TravelAgent {",
            "  String ask(String question);",
            "}",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "");
    assertThat(sources.get(1).lines().subList(1, 5)).containsOnly("");
    assertThat(sources.get(1).lines().get(8)).isEqualTo("class TravelController {");
    assertThat(sources.get(1).markdownLine(9)).as("javac's line 9, the class line").isEqualTo(107);
  }

  @Test
  void statementsGoIntoAMethodOfAClassWithTheContextsFields() {
    JavaBlock block = block("Duration d = Duration.ZERO;\nSystem.out.println(name + d);\n");
    SnippetSource source = SnippetSource.of(block, CONTEXT, "README_md_L100").get(0);
    assertThat(source.path()).isEqualTo("README_md_L100.java");
    assertThat(source.lines())
        .containsExactly(
            "import java.time.Duration;",
            "class README_md_L100 {",
            "  String name;",
            "  void snippet() {",
            "Duration d = Duration.ZERO;",
            "System.out.println(name + d);",
            "  }",
            "}");
    assertThat(source.markdownLine(5)).isEqualTo(100);
    assertThat(source.markdownLine(6)).isEqualTo(101);
    assertThat(source.markdownLine(3)).isEqualTo(-1);
  }
}
