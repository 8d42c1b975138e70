package dev.llmcompiler.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.testing.compile.Compilation;
import dev.llmcompiler.runtime.ToolDescriptor;
import dev.llmcompiler.runtime.ToolSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Tools declared on an interface or an abstract class: their tool set takes any implementation, and
 * calls reach the overriding method, as with any Java call.
 */
class InheritanceTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static Compilation compilation;
  private static ClassLoader loader;

  @BeforeAll
  static void compile() {
    compilation =
        Compiler.compile(
            Compiler.source(
                "test.Search",
                "package test;",
                "import dev.llmcompiler.annotations.Tool;",
                "public interface Search {",
                "  /**",
                "   * Finds an entry.",
                "   *",
                "   * @param query what to look for",
                "   */",
                "  @Tool String find(String query);",
                "}"),
            Compiler.source(
                "test.Counter",
                "package test;",
                "import dev.llmcompiler.annotations.Tool;",
                "public abstract class Counter {",
                "  /**",
                "   * Counts the letters of a word.",
                "   *",
                "   * @param word the word",
                "   */",
                "  @Tool public abstract int letters(String word);",
                "}"),
            Compiler.source(
                "test.Service",
                "package test;",
                "import dev.llmcompiler.annotations.Tool;",
                "public class Service extends Counter implements Search {",
                "  @Override public String find(String query) { return \"found \" + query; }",
                "  @Override public int letters(String word) { return word.length(); }",
                "  /**",
                "   * Says hello.",
                "   *",
                "   * @param name who",
                "   */",
                "  @Tool public String hello(String name) { return \"hello \" + name; }",
                "}"));
    loader = Compiler.classLoader(compilation);
  }

  private static ToolSet toolSet(String toolSetClass, String parameterClass, Object target)
      throws Exception {
    return (ToolSet)
        loader
            .loadClass(toolSetClass)
            .getMethod("of", loader.loadClass(parameterClass))
            .invoke(null, target);
  }

  private static JsonNode call(ToolSet tools, String tool, String singleQuoted) throws Exception {
    ObjectNode arguments = (ObjectNode) JSON.readTree(singleQuoted.replace('\'', '"'));
    return tools.invoke(tool, arguments).toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void interfaceAndAbstractToolsGetTheirOwnToolSetsThatTakeAnyImplementation() throws Exception {
    assertThat(compilation).succeeded();
    assertThat(Compiler.warnings(compilation)).isEmpty();
    Object service = loader.loadClass("test.Service").getConstructor().newInstance();

    ToolSet search = toolSet("test.SearchTools", "test.Search", service);
    ToolSet counter = toolSet("test.CounterTools", "test.Counter", service);
    ToolSet own = toolSet("test.ServiceTools", "test.Service", service);

    assertThat(search.tools()).extracting(ToolDescriptor::name).containsExactly("find");
    assertThat(counter.tools()).extracting(ToolDescriptor::name).containsExactly("letters");
    // A class's tool set holds the tools it declares; inherited ones come with their declarer's
    // set.
    assertThat(own.tools()).extracting(ToolDescriptor::name).containsExactly("hello");
    assertThat(call(search, "find", "{'query':'x'}").asText()).isEqualTo("found x");
    assertThat(call(counter, "letters", "{'word':'four'}").asInt()).isEqualTo(4);
    assertThat(call(own, "hello", "{'name':'you'}").asText()).isEqualTo("hello you");
  }
}
