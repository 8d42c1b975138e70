package dev.llmcompiler.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.testing.compile.Compilation;
import dev.llmcompiler.runtime.ToolSet;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The names inside a generated tool set: {@code callX} methods camel-cased from tool names and
 * unique, and locals named after the parameters without clashing with the generated code's own.
 */
class GeneratedNamesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final JavaFileObject CLASHES =
      Compiler.source(
          "test.Clashes",
          "package test;",
          "import dev.llmcompiler.annotations.Tool;",
          "@SuppressWarnings(\"llmcompiler\")",
          "public class Clashes {",
          "  @Tool public String names(String args, String arguments, String result, String target, String targetArg,"
              + " String URL) {",
          "    return String.join(\",\", args, arguments, result, target, targetArg, URL);",
          "  }",
          "  @Tool(name = \"percent_of\") public String underscore() { return \"underscore\"; }",
          "  @Tool(name = \"percent-of\") public String dash() { return \"dash\"; }",
          "  @Tool(name = \"percentOf\") public String camel() { return \"camel\"; }",
          "}");

  private static Compilation compilation;
  private static ToolSet tools;

  @BeforeAll
  static void compile() throws Exception {
    compilation = Compiler.compile(CLASHES);
    ClassLoader loader = Compiler.classLoader(compilation);
    Class<?> target = loader.loadClass("test.Clashes");
    tools =
        (ToolSet)
            loader
                .loadClass("test.ClashesTools")
                .getMethod("of", target)
                .invoke(null, target.getConstructor().newInstance());
  }

  private static String call(String tool, String singleQuoted) throws Exception {
    ObjectNode arguments = (ObjectNode) JSON.readTree(singleQuoted.replace('\'', '"'));
    return tools.invoke(tool, arguments).toCompletableFuture().get(10, TimeUnit.SECONDS).asText();
  }

  private static String generated() throws Exception {
    return compilation
        .generatedSourceFile("test.ClashesTools")
        .orElseThrow()
        .getCharContent(true)
        .toString();
  }

  @Test
  void parametersNamedLikeTheGeneratedCodesOwnNamesGetLocalsOfTheirOwn() throws Exception {
    assertThat(compilation).succeeded();
    assertThat(Compiler.warnings(compilation)).isEmpty();
    assertThat(generated())
        .contains(
            "String argsArg = args.string(\"args\");\n",
            "String argumentsArg = args.string(\"arguments\");\n",
            "String resultArg = args.string(\"result\");\n",
            // targetArg is a parameter's own name, so the renamed target takes the next free one.
            "String targetArg2 = args.string(\"target\");\n",
            "String targetArg = args.string(\"targetArg\");\n",
            "String URLArg = args.string(\"URL\");\n",
            "String result = target.names(argsArg, argumentsArg, resultArg, targetArg2, targetArg, URLArg);\n");
    assertThat(
            call(
                "names",
                "{'args':'a','arguments':'b','result':'c','target':'d','targetArg':'e','URL':'f'}"))
        .isEqualTo("a,b,c,d,e,f");
  }

  @Test
  void callMethodsAreCamelCasedFromToolNamesAndUnique() throws Exception {
    Class<?> toolSet = tools.getClass();
    assertThat(
            Arrays.stream(toolSet.getDeclaredMethods())
                .map(Method::getName)
                .filter(name -> name.startsWith("call")))
        .containsExactlyInAnyOrder(
            "callNames", "callPercentOf", "callPercentOf2", "callPercentOf3");
    assertThat(generated())
        .contains(
            "case \"percent_of\":\n        return callPercentOf(arguments);",
            "case \"percent-of\":\n        return callPercentOf2(arguments);",
            "case \"percentOf\":\n        return callPercentOf3(arguments);");
    assertThat(call("percent_of", "{}")).isEqualTo("underscore");
    assertThat(call("percent-of", "{}")).isEqualTo("dash");
    assertThat(call("percentOf", "{}")).isEqualTo("camel");
  }
}
