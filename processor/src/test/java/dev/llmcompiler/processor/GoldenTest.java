package dev.llmcompiler.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import org.junit.jupiter.api.Test;

/** The generated code of readable examples, against golden files kept under test resources. */
class GoldenTest {

  @Test
  void converterTools() {
    Compilation compilation = Compiler.compile(Compiler.source("test/Converter.java"));
    assertThat(compilation).succeeded();
    assertThat(compilation)
        .generatedSourceFile("test.ConverterTools")
        .hasSourceEquivalentTo(JavaFileObjects.forResource("golden/test/ConverterTools.java"));
  }

  @Test
  void assistantImpl() {
    Compilation compilation = Compiler.compile(AgentTest.ASSISTANT, AgentValidationTest.SEARCH);
    assertThat(compilation).succeeded();
    assertThat(compilation)
        .generatedSourceFile("test.AssistantImpl")
        .hasSourceEquivalentTo(JavaFileObjects.forResource("golden/test/AssistantImpl.java"));
  }
}
