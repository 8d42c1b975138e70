package dev.llmcompiler.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import org.junit.jupiter.api.Test;

/** The generated tool set of one readable example, against a golden file kept under test resources. */
class GoldenTest {

  @Test
  void converterTools() {
    Compilation compilation = Compiler.compile(Compiler.source("test/Converter.java"));
    assertThat(compilation).succeeded();
    assertThat(compilation)
        .generatedSourceFile("test.ConverterTools")
        .hasSourceEquivalentTo(JavaFileObjects.forResource("golden/test/ConverterTools.java"));
  }
}
