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

/** Gradle's isolating contract: every generated file has exactly one originating element, its tool class. */
class IncrementalTest {

  @Test
  void processorIsDeclaredIsolatingForGradle() throws Exception {
    try (InputStream in = ToolProcessor.class.getResourceAsStream("/META-INF/gradle/incremental.annotation.processors")) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8).trim())
          .isEqualTo("dev.llmcompiler.processor.ToolProcessor,isolating");
    }
  }

  @Test
  void everyGeneratedFileHasExactlyOneOriginatingElementItsToolClass() {
    RecordingProcessor recording = new RecordingProcessor();
    Compilation compilation = javac().withProcessors(recording).compile(
        Compiler.source("test/TypeTable.java"),
        Compiler.source("test/Nullable.java"),
        Compiler.source("test/typeuse/Nullable.java"),
        Compiler.source("test/Converter.java"));
    assertThat(compilation).succeeded();
    assertThat(recording.created.stream().map(RecordingProcessor.CreatedFile::name).collect(Collectors.toList()))
        .containsExactly(
            "source test.ConverterTools",
            "resource META-INF/llmcompiler/test.Converter.json",
            "source test.TypeTableTools",
            "resource META-INF/llmcompiler/test.TypeTable.json");
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
    Compilation compilation = javac().withProcessors(recording).compile(AgentTest.ASSISTANT, AgentValidationTest.SEARCH);
    assertThat(compilation).succeeded();
    assertThat(createdNames(recording)).contains("source test.AssistantImpl");
    for (RecordingProcessor.CreatedFile file : recording.created) {
      assertThat(file.originatingElements()).hasSize(1);
      String expected = file.name().contains("Assistant") ? "test.Assistant" : "test.Search";
      assertThat(((TypeElement) file.originatingElements().get(0)).getQualifiedName().toString()).isEqualTo(expected);
    }
  }

  static List<String> createdNames(RecordingProcessor recording) {
    return recording.created.stream().map(RecordingProcessor.CreatedFile::name).collect(Collectors.toList());
  }
}
