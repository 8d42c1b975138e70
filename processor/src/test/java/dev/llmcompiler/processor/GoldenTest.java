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

  /** A class whose tools are all static: {@code of()} without a target, and calls on the class. */
  @Test
  void ratesTools() {
    Compilation compilation = Compiler.compile(Compiler.source("test/Rates.java"));
    assertThat(compilation).succeeded();
    org.assertj.core.api.Assertions.assertThat(Compiler.warnings(compilation)).isEmpty();
    assertThat(compilation)
        .generatedSourceFile("test.RatesTools")
        .hasSourceEquivalentTo(JavaFileObjects.forResource("golden/test/RatesTools.java"));
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
