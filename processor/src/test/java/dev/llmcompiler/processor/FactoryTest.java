package dev.llmcompiler.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.llmcompiler.runtime.LlmCompiler;
import dev.llmcompiler.runtime.ToolDescriptor;
import dev.llmcompiler.runtime.ToolSet;
import dev.llmcompiler.runtime.internal.AgentFactory;
import dev.llmcompiler.runtime.internal.ToolSetFactory;
import dev.llmcompiler.runtime.llm.LlmClient;
import dev.llmcompiler.runtime.llm.LlmResponse;
import dev.llmcompiler.runtime.llm.TokenUsage;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every tool class and agent gets a factory listed in {@code META-INF/services}, so integrations
 * find them with {@link ServiceLoader}: the listing, the generated code, what the factories make,
 * and how the listing survives a compile of only some sources.
 */
class FactoryTest {
  private static final String TOOL_SET_SERVICES =
      "META-INF/services/dev.llmcompiler.runtime.internal.ToolSetFactory";
  private static final String AGENT_SERVICES =
      "META-INF/services/dev.llmcompiler.runtime.internal.AgentFactory";

  @Test
  void theServicesFilesListEveryFactoryOfTheCompilationSorted() {
    Compilation compilation =
        Compiler.compile(
            Compiler.source("test/Rates.java"),
            Compiler.source("test/Converter.java"),
            AgentTest.ASSISTANT,
            AgentValidationTest.SEARCH);
    assertThat(compilation).succeeded();
    assertThat(Compiler.warnings(compilation)).isEmpty();
    assertThat(Compiler.resource(compilation, TOOL_SET_SERVICES))
        .isEqualTo("test.ConverterToolsFactory\ntest.RatesToolsFactory\ntest.SearchToolsFactory\n");
    assertThat(Compiler.resource(compilation, AGENT_SERVICES))
        .isEqualTo("test.AssistantImplFactory\n");
  }

  @Test
  void converterToolsFactory() {
    Compilation compilation = Compiler.compile(Compiler.source("test/Converter.java"));
    assertThat(compilation).succeeded();
    assertThat(compilation)
        .generatedSourceFile("test.ConverterToolsFactory")
        .hasSourceEquivalentTo(
            JavaFileObjects.forResource("golden/test/ConverterToolsFactory.java"));
  }

  @Test
  void factoriesFoundByServiceLoaderMakeWorkingToolSetsAndAgents(@TempDir Path output)
      throws Exception {
    compileTo(
        output,
        List.of(),
        source("test.Rates", Compiler.source("test/Rates.java")),
        source("test.Search", AgentValidationTest.SEARCH),
        source("test.Assistant", AgentTest.ASSISTANT));
    try (URLClassLoader loader =
        new URLClassLoader(new URL[] {output.toUri().toURL()}, getClass().getClassLoader())) {
      List<ToolSetFactory> toolSets = new ArrayList<>();
      ServiceLoader.load(ToolSetFactory.class, loader).forEach(toolSets::add);
      assertThat(toolSets)
          .extracting(factory -> factory.type().getName())
          .containsExactly("test.Rates", "test.Search");

      ToolSetFactory rates = toolSets.get(0);
      assertThat(rates.isStatic()).isTrue();
      assertThat(rates.create(null).tools())
          .extracting(ToolDescriptor::name)
          .containsExactly("get-rate", "percent_of", "check");

      ToolSetFactory search = toolSets.get(1);
      assertThat(search.isStatic()).isFalse();
      Object searchInstance = search.type().getConstructor().newInstance();
      ToolSet searchTools = search.create(searchInstance);
      assertThat(searchTools.tools())
          .extracting(ToolDescriptor::name)
          .containsExactly("search", "add");
      assertThatThrownBy(() -> search.create("not a Search"))
          .isInstanceOf(ClassCastException.class)
          .hasMessageContaining("test.Search");
      assertThatThrownBy(() -> search.create(null))
          .isInstanceOf(NullPointerException.class)
          .hasMessageContaining("SearchTools.of(target): target is null");

      List<AgentFactory<?>> agents = new ArrayList<>();
      ServiceLoader.load(AgentFactory.class, loader).forEach(agents::add);
      assertThat(agents).hasSize(1);
      AgentFactory<?> assistant = agents.get(0);
      assertThat(assistant.type().getName()).isEqualTo("test.Assistant");
      assertThat(assistant.toolClassNames()).containsExactly("test.Search");
      LlmClient llm =
          (request, listener) ->
              CompletableFuture.completedFuture(LlmResponse.of("unused", TokenUsage.ZERO));
      Object agent = assistant.create(LlmCompiler.builder().llm(llm).tools(searchTools));
      assertThat(assistant.type().isInstance(agent)).isTrue();
      assertThat(((LlmCompiler) agent.getClass().getMethod("compiler").invoke(agent)).toolNames())
          .containsExactly("search", "add");
      ((AutoCloseable) agent).close();
    }
  }

  /**
   * An IDE may recompile only the changed sources into the earlier output: the new listing keeps
   * the factories compiled before, and drops those whose class is gone.
   */
  @Test
  void aPartialCompileKeepsEarlierEntriesWhoseClassStillExists(@TempDir Path output)
      throws Exception {
    compileTo(
        output,
        List.of(),
        source("test.Rates", Compiler.source("test/Rates.java")),
        source("test.Search", AgentValidationTest.SEARCH));
    assertThat(Files.readString(output.resolve(TOOL_SET_SERVICES)))
        .isEqualTo("test.RatesToolsFactory\ntest.SearchToolsFactory\n");

    Files.delete(output.resolve("test/RatesToolsFactory.class"));
    compileTo(
        output, List.of(output), source("test.Converter", Compiler.source("test/Converter.java")));

    assertThat(Files.readString(output.resolve(TOOL_SET_SERVICES)))
        .isEqualTo("test.ConverterToolsFactory\ntest.SearchToolsFactory\n");
  }

  private record Source(String name, JavaFileObject file) {}

  private static Source source(String name, JavaFileObject file) {
    return new Source(name, file);
  }

  /** Compiles with both processors, as a build does, into {@code output} (javac's real Filer). */
  private static void compileTo(Path output, List<Path> classPath, Source... sources)
      throws IOException {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    Path sourceDirectory = Files.createTempDirectory(output.getParent(), "sources");
    List<Path> files = new ArrayList<>();
    for (Source source : sources) {
      Path file = sourceDirectory.resolve(source.name().replace('.', '/') + ".java");
      Files.createDirectories(file.getParent());
      try (OutputStream out = Files.newOutputStream(file)) {
        out.write(source.file().getCharContent(true).toString().getBytes(StandardCharsets.UTF_8));
      }
      files.add(file);
    }
    try (StandardJavaFileManager manager =
        javac.getStandardFileManager(null, null, StandardCharsets.UTF_8)) {
      manager.setLocationFromPaths(StandardLocation.CLASS_OUTPUT, List.of(output));
      // Generated sources apart from the classes, as build tools keep them.
      manager.setLocationFromPaths(
          StandardLocation.SOURCE_OUTPUT,
          List.of(Files.createTempDirectory(output.getParent(), "generated")));
      List<Path> path = new ArrayList<>(classPath);
      for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
        path.add(Path.of(entry));
      }
      manager.setLocationFromPaths(StandardLocation.CLASS_PATH, path);
      JavaCompiler.CompilationTask task =
          javac.getTask(
              null, manager, null, List.of(), null, manager.getJavaFileObjectsFromPaths(files));
      task.setProcessors(List.of(new ToolProcessor(), new FactoryIndexProcessor()));
      if (!task.call()) {
        throw new UncheckedIOException(new IOException("compilation failed: " + List.of(sources)));
      }
    }
  }
}
