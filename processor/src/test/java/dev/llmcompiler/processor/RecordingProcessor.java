package dev.llmcompiler.processor;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.annotation.processing.Completion;
import javax.annotation.processing.Filer;
import javax.annotation.processing.Messager;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;
import javax.tools.FileObject;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;

/**
 * Runs the real processor, with a Filer that records every file it creates and from which elements.
 */
final class RecordingProcessor implements Processor {
  /** One created file: its name and the originating elements passed to the Filer. */
  record CreatedFile(String name, List<Element> originatingElements) {}

  private final Processor delegate;
  final List<CreatedFile> created = new ArrayList<>();

  /** Records {@link ToolProcessor}. */
  RecordingProcessor() {
    this(new ToolProcessor());
  }

  /** Records the given processor. */
  RecordingProcessor(Processor delegate) {
    this.delegate = delegate;
  }

  @Override
  public Set<String> getSupportedOptions() {
    return delegate.getSupportedOptions();
  }

  @Override
  public Set<String> getSupportedAnnotationTypes() {
    return delegate.getSupportedAnnotationTypes();
  }

  @Override
  public SourceVersion getSupportedSourceVersion() {
    return delegate.getSupportedSourceVersion();
  }

  @Override
  public void init(ProcessingEnvironment environment) {
    Filer filer =
        new Filer() {
          @Override
          public JavaFileObject createSourceFile(CharSequence name, Element... origins)
              throws IOException {
            created.add(new CreatedFile("source " + name, List.of(origins)));
            return environment.getFiler().createSourceFile(name, origins);
          }

          @Override
          public JavaFileObject createClassFile(CharSequence name, Element... origins)
              throws IOException {
            created.add(new CreatedFile("class " + name, List.of(origins)));
            return environment.getFiler().createClassFile(name, origins);
          }

          @Override
          public FileObject createResource(
              JavaFileManager.Location location,
              CharSequence pkg,
              CharSequence relativeName,
              Element... origins)
              throws IOException {
            created.add(new CreatedFile("resource " + relativeName, List.of(origins)));
            return environment.getFiler().createResource(location, pkg, relativeName, origins);
          }

          @Override
          public FileObject getResource(
              JavaFileManager.Location location, CharSequence pkg, CharSequence relativeName)
              throws IOException {
            return environment.getFiler().getResource(location, pkg, relativeName);
          }
        };
    delegate.init(
        new ProcessingEnvironment() {
          @Override
          public Map<String, String> getOptions() {
            return environment.getOptions();
          }

          @Override
          public Messager getMessager() {
            return environment.getMessager();
          }

          @Override
          public Filer getFiler() {
            return filer;
          }

          @Override
          public Elements getElementUtils() {
            return environment.getElementUtils();
          }

          @Override
          public Types getTypeUtils() {
            return environment.getTypeUtils();
          }

          @Override
          public SourceVersion getSourceVersion() {
            return environment.getSourceVersion();
          }

          @Override
          public Locale getLocale() {
            return environment.getLocale();
          }
        });
  }

  @Override
  public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
    return delegate.process(annotations, round);
  }

  @Override
  public Iterable<? extends Completion> getCompletions(
      Element element, AnnotationMirror annotation, ExecutableElement member, String userText) {
    return delegate.getCompletions(element, annotation, member, userText);
  }
}
