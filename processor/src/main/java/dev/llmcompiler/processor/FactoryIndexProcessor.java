package dev.llmcompiler.processor;

import com.google.auto.service.AutoService;
import dev.llmcompiler.processor.writing.FactoryWriter;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.Filer;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;
import javax.tools.Diagnostic;
import javax.tools.FileObject;
import javax.tools.StandardLocation;

/**
 * Lists the factories {@link ToolProcessor} generates ({@code FooToolsFactory}, {@code
 * FooImplFactory}, marked {@code @IndexedFactory}) in {@code META-INF/services}, so {@link
 * java.util.ServiceLoader} finds them at run time.
 *
 * <p>One services file lists the factories of every class of the compilation, so this step is
 * aggregating; it is a processor of its own so that {@link ToolProcessor}, which writes one set of
 * files per annotated type, stays isolating for Gradle's incremental compilation. This one is
 * declared aggregating: Gradle hands it every {@code @IndexedFactory} class again on each
 * incremental compile (they are small generated classes) and rewrites the file. As AutoService
 * does, the file is written once, in the last round, merged with the one already in the class
 * output, for builders that compile only the changed sources (IDEs); entries whose class no longer
 * exists are dropped.
 */
@AutoService(Processor.class)
public final class FactoryIndexProcessor extends AbstractProcessor {
  private static final List<String> SERVICES =
      List.of(
          FactoryWriter.TOOL_SET_FACTORY.canonicalName(),
          FactoryWriter.AGENT_FACTORY.canonicalName());

  /** Factory binary names by service interface, sorted for stable output. */
  private final Map<String, SortedSet<String>> factories = new LinkedHashMap<>();

  private final List<Element> origins = new ArrayList<>();

  @Override
  public Set<String> getSupportedAnnotationTypes() {
    return Set.of(FactoryWriter.INDEXED_FACTORY.canonicalName());
  }

  @Override
  public SourceVersion getSupportedSourceVersion() {
    return SourceVersion.latestSupported();
  }

  @Override
  public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
    if (round.processingOver()) {
      factories.forEach(this::write);
      return false;
    }
    Elements elements = processingEnv.getElementUtils();
    Types types = processingEnv.getTypeUtils();
    for (TypeElement annotation : annotations) {
      for (Element element : round.getElementsAnnotatedWith(annotation)) {
        if (!(element instanceof TypeElement type)) {
          continue;
        }
        boolean listed = false;
        for (String service : SERVICES) {
          TypeElement serviceType = elements.getTypeElement(service);
          if (serviceType != null
              && types.isAssignable(
                  types.erasure(type.asType()), types.erasure(serviceType.asType()))) {
            factories
                .computeIfAbsent(service, key -> new TreeSet<>())
                .add(elements.getBinaryName(type).toString());
            listed = true;
          }
        }
        if (listed) {
          origins.add(type);
        } else {
          processingEnv
              .getMessager()
              .printMessage(
                  Diagnostic.Kind.ERROR,
                  "@IndexedFactory marks the factories the"
                      + " LLMCompiler processor generates, but "
                      + type.getQualifiedName()
                      + " implements neither "
                      + String.join(" nor ", SERVICES)
                      + ". Remove the annotation.",
                  type);
        }
      }
    }
    // Never claim the annotation.
    return false;
  }

  private void write(String service, SortedSet<String> names) {
    String path = "META-INF/services/" + service;
    Filer filer = processingEnv.getFiler();
    SortedSet<String> all = new TreeSet<>(names);
    for (String earlier : existingEntries(filer, path)) {
      // An entry from an earlier compile stays while its class exists: a builder that recompiled
      // only
      // some sources must not lose the others; a factory whose class was deleted must not linger.
      if (processingEnv.getElementUtils().getTypeElement(earlier.replace('$', '.')) != null) {
        all.add(earlier);
      }
    }
    try {
      FileObject file =
          filer.createResource(
              StandardLocation.CLASS_OUTPUT, "", path, origins.toArray(Element[]::new));
      try (OutputStream out = file.openOutputStream()) {
        out.write((String.join("\n", all) + "\n").getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      processingEnv
          .getMessager()
          .printMessage(
              Diagnostic.Kind.ERROR,
              "[LlmcInternalError] Could not write "
                  + path
                  + " listing "
                  + all
                  + ": "
                  + e
                  + ". Integrations such as the Spring Boot starter will not find these"
                  + " tool sets and agents; please report this with the build's output.");
    }
  }

  /** The entries of the services file already in the class output, or none. */
  private static List<String> existingEntries(Filer filer, String path) {
    List<String> entries = new ArrayList<>();
    try {
      FileObject existing = filer.getResource(StandardLocation.CLASS_OUTPUT, "", path);
      try (InputStream in = existing.openInputStream();
          BufferedReader reader =
              new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
          String entry = line.replaceFirst("#.*", "").trim();
          if (!entry.isEmpty()) {
            entries.add(entry);
          }
        }
      }
    } catch (IOException | IllegalArgumentException e) {
      // No earlier file (javac reports a missing one only when it is opened): nothing to merge.
    }
    return entries;
  }
}
