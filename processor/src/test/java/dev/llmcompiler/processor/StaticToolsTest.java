package dev.llmcompiler.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.testing.compile.Compilation;
import dev.llmcompiler.runtime.ToolSet;
import dev.llmcompiler.runtime.llm.LlmClient;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * Static {@code @Tool} methods: a class whose tools are all static gets {@code of()} without a
 * target; a class that mixes static and instance tools gets only {@code of(target)}.
 */
class StaticToolsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final JavaFileObject MIXED =
      Compiler.source(
          "test.Mixed",
          "package test;",
          "import dev.llmcompiler.annotations.Tool;",
          "/** Greets, with an instance tool and a static one. */",
          "public class Mixed {",
          "  private final String greeting;",
          "  public Mixed(String greeting) { this.greeting = greeting; }",
          "  /**",
          "   * Greets someone.",
          "   *",
          "   * @param name who",
          "   */",
          "  @Tool public String greet(String name) { return greeting + \", \" + name; }",
          "  /**",
          "   * Shouts a text.",
          "   *",
          "   * @param text what to shout",
          "   */",
          "  @Tool public static String shout(String text) { return text.toUpperCase(java.util.Locale.ROOT); }",
          "}");

  /** A static-only tool class with an agent nested in it that uses the class's tools. */
  private static final JavaFileObject UNITS =
      Compiler.source(
          "test.Units",
          "package test;",
          "import dev.llmcompiler.annotations.Agent;",
          "import dev.llmcompiler.annotations.Tool;",
          "/** Unit conversions. */",
          "public final class Units {",
          "  private Units() {}",
          "  /** Answers questions about units. */",
          "  @Agent(tools = Units.class)",
          "  public interface Advisor {",
          "    String ask(String question);",
          "  }",
          "  /**",
          "   * Meters in some kilometers.",
          "   *",
          "   * @param km the kilometers",
          "   */",
          "  @Tool public static int metersOf(int km) { return km * 1000; }",
          "}");

  private static JsonNode call(ToolSet tools, String tool, String singleQuoted) throws Exception {
    ObjectNode arguments = (ObjectNode) JSON.readTree(singleQuoted.replace('\'', '"'));
    return tools.invoke(tool, arguments).toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** The parameter lists of the public static {@code of} factories of a class. */
  private static List<List<Class<?>>> ofFactories(Class<?> toolSet) {
    return Arrays.stream(toolSet.getMethods())
        .filter(method -> method.getName().equals("of") && Modifier.isStatic(method.getModifiers()))
        .map(method -> List.of(method.getParameterTypes()))
        .toList();
  }

  private static Object invoke(Method method, Object... arguments) throws Throwable {
    try {
      return method.invoke(null, arguments);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  @Test
  void aClassWithOnlyStaticToolsGetsOfWithoutATarget() throws Exception {
    Compilation compilation = Compiler.compile(Compiler.source("test/Rates.java"));
    assertThat(compilation).succeeded();
    assertThat(Compiler.warnings(compilation)).isEmpty();
    Class<?> toolSet = Compiler.classLoader(compilation).loadClass("test.RatesTools");

    assertThat(ofFactories(toolSet)).containsExactly(List.of());
    assertThat(toolSet.getConstructors()).isEmpty();
  }

  @Test
  void staticToolsAreCalledThroughOf() throws Throwable {
    Compilation compilation = Compiler.compile(Compiler.source("test/Rates.java"));
    ToolSet rates =
        (ToolSet)
            invoke(Compiler.classLoader(compilation).loadClass("test.RatesTools").getMethod("of"));

    assertThat(call(rates, "get-rate", "{'from':'EUR','to':'USD'}").asDouble()).isEqualTo(1.25);
    assertThat(call(rates, "get-rate", "{'from':'EUR','to':'EUR'}").asDouble()).isEqualTo(1.0);
    assertThat(call(rates, "percent_of", "{'percent':10,'target':50}").asDouble()).isEqualTo(5.0);
    assertThat(call(rates, "check", "{'result':1.5,'args':['ecb']}"))
        .isEqualTo(NullNode.getInstance());
    assertThatThrownBy(() -> call(rates, "check", "{'result':-1,'args':['ecb','fed']}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("rate -1.0 from [ecb, fed] is not positive");
  }

  @Test
  void aClassMixingStaticAndInstanceToolsGetsOnlyOfWithATarget() throws Throwable {
    Compilation compilation = Compiler.compile(MIXED);
    assertThat(compilation).succeeded();
    assertThat(Compiler.warnings(compilation)).isEmpty();
    String source =
        compilation
            .generatedSourceFile("test.MixedTools")
            .orElseThrow()
            .getCharContent(true)
            .toString();
    assertThat(source)
        .contains(
            "Its static tools are called on {@link Mixed} itself, the others on the target; because the others"
                + " need an instance, there is no {@code of()} without one.")
        .contains("String result = Mixed.shout(text);")
        .contains("String result = target.greet(name);");

    ClassLoader loader = Compiler.classLoader(compilation);
    Class<?> target = loader.loadClass("test.Mixed");
    Class<?> toolSet = loader.loadClass("test.MixedTools");
    assertThat(ofFactories(toolSet)).containsExactly(List.of(target));

    Method of = toolSet.getMethod("of", target);
    ToolSet mixed = (ToolSet) invoke(of, target.getConstructor(String.class).newInstance("Hello"));
    assertThat(call(mixed, "greet", "{'name':'Ada'}").asText()).isEqualTo("Hello, Ada");
    assertThat(call(mixed, "shout", "{'text':'hi'}").asText()).isEqualTo("HI");
    assertThatThrownBy(() -> invoke(of, (Object) null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("target is null; pass the Mixed instance");
  }

  @Test
  void anAgentOverAStaticOnlyClassNamesItsToolSetWithoutATarget() throws Throwable {
    Compilation compilation = Compiler.compile(UNITS, Compiler.source("test/Rates.java"));
    assertThat(compilation).succeeded();
    assertThat(Compiler.warnings(compilation)).isEmpty();
    ClassLoader loader = Compiler.classLoader(compilation);
    Method create =
        loader
            .loadClass("test.Units_AdvisorImpl")
            .getMethod("create", LlmClient.class, ToolSet[].class);
    ToolSet units = (ToolSet) invoke(loader.loadClass("test.UnitsTools").getMethod("of"));
    ToolSet rates = (ToolSet) invoke(loader.loadClass("test.RatesTools").getMethod("of"));

    ScriptedReplies llm =
        new ScriptedReplies("1. metersOf(3)\n2. join()<END_OF_PLAN>", "Action: Finish(3000 m)");
    try (AutoCloseable advisor = (AutoCloseable) invoke(create, llm, new ToolSet[] {units})) {
      Method ask = loader.loadClass("test.Units$Advisor").getMethod("ask", String.class);
      assertThat(ask.invoke(advisor, "How many meters in 3 km?")).isEqualTo("3000 m");
    }
    assertThat(llm.userMessage(1)).contains("3000");

    assertThatThrownBy(() -> invoke(create, new ScriptedReplies(), new ToolSet[] {rates}))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageEndingWith(
            "but these are missing: [metersOf]. Pass UnitsTools.of() to create(...).");
  }
}
