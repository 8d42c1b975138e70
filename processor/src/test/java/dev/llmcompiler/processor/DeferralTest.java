package dev.llmcompiler.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;

import com.google.testing.compile.Compilation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.TypeElement;
import org.junit.jupiter.api.Test;

/** Tools whose types another processor generates are processed once those types exist. */
class DeferralTest {

  /** Generates {@code test.Later}, a record, in the first round. */
  static final class LaterProcessor extends AbstractProcessor {
    private boolean done;

    @Override
    public Set<String> getSupportedAnnotationTypes() {
      return Set.of("*");
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
      return SourceVersion.latestSupported();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
      if (!done) {
        done = true;
        try (Writer out = processingEnv.getFiler().createSourceFile("test.Later").openWriter()) {
          out.write(
              "package test; /** Later. @param value v */ public record Later(String value) {}");
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      return false;
    }
  }

  @Test
  void toolsUsingTypesGeneratedByAnotherProcessorAreDeferred() {
    Compilation compilation =
        javac()
            .withProcessors(new LaterProcessor(), new ToolProcessor())
            .compile(
                Compiler.source(
                    "test.UsesLater",
                    "package test;",
                    "public class UsesLater {",
                    "  /** Echoes. @param later what */",
                    "  @dev.llmcompiler.annotations.Tool public Later echo(Later later) { return later; }",
                    "}"));
    assertThat(compilation).succeeded();
    assertThat(compilation)
        .generatedSourceFile("test.UsesLaterTools")
        .contentsAsUtf8String()
        .contains("echo(later: {value: string}) -> {value: string}");
  }

  @Test
  void typesThatNeverAppearAreLeftToJavac() {
    Compilation compilation =
        javac()
            .withProcessors(new ToolProcessor())
            .compile(
                Compiler.source(
                    "test.UsesMissing",
                    "package test;",
                    "public class UsesMissing {",
                    "  /** Echoes. */",
                    "  @dev.llmcompiler.annotations.Tool public String echo(Missing missing) { return \"\"; }",
                    "}"));
    assertThat(compilation).failed();
    assertThat(compilation).hadErrorContaining("cannot find symbol");
    assertThat(compilation).hadErrorCount(1);
  }
}
