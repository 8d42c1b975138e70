package dev.llmcompiler.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;

import com.google.testing.compile.Compilation;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import javax.lang.model.element.TypeElement;
import org.junit.jupiter.api.Test;

/**
 * Gradle's incremental contracts: {@link ToolProcessor} is isolating, so every file it generates
 * has exactly one originating element, its tool class or agent; {@link FactoryIndexProcessor},
 * which writes one services file for the whole compilation, is aggregating and triggered only by
 * the {@code @IndexedFactory} marker on the generated factories.
 */
class IncrementalTest {

  @Test
  void toolProcessorIsIsolatingAndTheFactoryIndexIsAggregatingForGradle() throws Exception {
    try (InputStream in =
        ToolProcessor.class.getResourceAsStream(
            "/META-INF/gradle/incremental.annotation.processors")) {
      assertThat(
              new String(in.readAllBytes(), StandardCharsets.UTF_8)
                  .trim()
                  .lines()
                  .collect(Collectors.toList()))
          .containsExactly(
              "dev.llmcompiler.processor.ToolProcessor,isolating",
              "dev.llmcompiler.processor.FactoryIndexProcessor,aggregating");
    }
    // Gradle's aggregating mode reprocesses the types annotated with what the processor supports:
    // only the small generated factories, never the user's classes.
    assertThat(new FactoryIndexProcessor().getSupportedAnnotationTypes())
        .containsExactly("dev.llmcompiler.runtime.internal.IndexedFactory");
  }

  @Test
  void theFactoryIndexListsTheFactoriesOfTheCompilationInOneFile() {
    RecordingProcessor index = new RecordingProcessor(new FactoryIndexProcessor());
    Compilation compilation =
        javac()
            .withProcessors(new ToolProcessor(), index)
            .compile(
                Compiler.source("test/Converter.java"),
                Compiler.source("test/Rates.java"),
                AgentTest.ASSISTANT,
                AgentValidationTest.SEARCH);
    assertThat(compilation).succeeded();
    assertThat(createdNames(index))
        .containsExactly(
            "resource META-INF/services/dev.llmcompiler.runtime.internal.ToolSetFactory",
            "resource META-INF/services/dev.llmcompiler.runtime.internal.AgentFactory");
  }

  @Test
  void everyGeneratedFileHasExactlyOneOriginatingElementItsToolClass() {
    RecordingProcessor recording = new RecordingProcessor();
    Compilation compilation =
        javac()
            .withProcessors(recording)
            .compile(
                Compiler.source("test/TypeTable.java"),
                Compiler.source("test/Nullable.java"),
                Compiler.source("test/typeuse/Nullable.java"),
                Compiler.source("test/Converter.java"));
    assertThat(compilation).succeeded();
    assertThat(
            recording.created.stream()
                .map(RecordingProcessor.CreatedFile::name)
                .collect(Collectors.toList()))
        .containsExactly(
            "source test.ConverterTools",
            "resource META-INF/llmcompiler/test.Converter.json",
            "source test.ConverterToolsFactory",
            "source test.TypeTableTools",
            "resource META-INF/llmcompiler/test.TypeTable.json",
            "source test.TypeTableToolsFactory");
    for (RecordingProcessor.CreatedFile file : recording.created) {
      assertThat(file.originatingElements()).hasSize(1);
      TypeElement origin = (TypeElement) file.originatingElements().get(0);
      String expected = file.name().contains("Converter") ? "test.Converter" : "test.TypeTable";
      assertThat(origin.getQualifiedName().toString()).isEqualTo(expected);
    }
  }

  @Test
  void anAgentsImplementationOriginatesFromTheAgentAlone() {
    RecordingProcessor recording = new RecordingProcessor();
    Compilation compilation =
        javac().withProcessors(recording).compile(AgentTest.ASSISTANT, AgentValidationTest.SEARCH);
    assertThat(compilation).succeeded();
    assertThat(createdNames(recording))
        .containsAtLeast("source test.AssistantImpl", "source test.AssistantImplFactory");
    for (RecordingProcessor.CreatedFile file : recording.created) {
      assertThat(file.originatingElements()).hasSize(1);
      String expected = file.name().contains("Assistant") ? "test.Assistant" : "test.Search";
      assertThat(((TypeElement) file.originatingElements().get(0)).getQualifiedName().toString())
          .isEqualTo(expected);
    }
  }

  static List<String> createdNames(RecordingProcessor recording) {
    return recording.created.stream()
        .map(RecordingProcessor.CreatedFile::name)
        .collect(Collectors.toList());
  }
}
