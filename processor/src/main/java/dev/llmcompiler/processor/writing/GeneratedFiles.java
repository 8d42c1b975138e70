package dev.llmcompiler.processor.writing;

import com.palantir.javapoet.AnnotationSpec;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.TypeSpec;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import javax.annotation.processing.Filer;
import javax.lang.model.element.TypeElement;
import javax.tools.FileObject;
import javax.tools.StandardLocation;

/**
 * The one door every generated file goes through: each is created with exactly one originating
 * element (the tool class, which keeps Gradle's isolating mode correct), and every source carries
 * {@code @Generated} without a date and the same {@code @SuppressWarnings}.
 */
public final class GeneratedFiles {
  /** The {@code @Generated} value. */
  public static final String GENERATOR = "dev.llmcompiler.processor.ToolProcessor";

  private static final ClassName GENERATED =
      ClassName.get("javax.annotation.processing", "Generated");

  private final Filer filer;

  public GeneratedFiles(Filer filer) {
    this.filer = filer;
  }

  /** Writes a Java source file for a type generated from {@code origin}. */
  public void writeSource(String packageName, TypeSpec.Builder type, TypeElement origin)
      throws IOException {
    TypeSpec spec =
        type.addOriginatingElement(origin)
            .addAnnotation(
                AnnotationSpec.builder(GENERATED).addMember("value", "$S", GENERATOR).build())
            // Calling a deprecated tool method is the user's choice, not a problem of the generated
            // code.
            .addAnnotation(
                AnnotationSpec.builder(SuppressWarnings.class)
                    .addMember("value", "{$S, $S}", "deprecation", "removal")
                    .build())
            .build();
    JavaFile.builder(packageName, spec).skipJavaLangImports(true).build().writeTo(filer);
  }

  /** Writes a class-output resource (e.g. {@code META-INF/...}) generated from {@code origin}. */
  public void writeResource(String path, String content, TypeElement origin) throws IOException {
    FileObject file = filer.createResource(StandardLocation.CLASS_OUTPUT, "", path, origin);
    try (OutputStream out = file.openOutputStream()) {
      out.write(content.getBytes(StandardCharsets.UTF_8));
    }
  }
}
