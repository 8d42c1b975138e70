package dev.llmcompiler.docs;

import dev.llmcompiler.processor.FactoryIndexProcessor;
import dev.llmcompiler.processor.ToolProcessor;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;

/**
 * Compiles snippet sources in-process as a user's build would: with the LLMCompiler processor, on
 * this test's class path, for Java 17, with every lint. Any diagnostic but a note is a problem.
 */
final class SnippetCompiler {
  /**
   * {@code -Xlint:all} as the project's own build has it: without {@code processing}, which only
   * says that no processor claims Spring's annotations. {@code --release 17}: the snippets must
   * compile for the oldest JDK we support, whatever JDK runs the test.
   */
  static final List<String> OPTIONS =
      List.of("--release", "17", "-Xlint:all,-processing", "-encoding", "UTF-8");

  private SnippetCompiler() {}

  /**
   * Compiles {@code sources} and {@code standIns} (whole files by path) into {@code classes}, the
   * processor's sources into {@code generated}; returns every problem, each placed at its Markdown
   * line where it has one, e.g. {@code README.md:212: error: cannot find symbol ...}.
   */
  static List<String> compile(
      List<SnippetSource> sources, Map<String, String> standIns, Path classes, Path generated)
      throws IOException {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    Map<URI, SnippetSource> bySource = new HashMap<>();
    List<JavaFileObject> files = new ArrayList<>();
    for (SnippetSource source : sources) {
      JavaFileObject file = new Source(source.path(), source.text());
      bySource.put(file.toUri(), source);
      files.add(file);
    }
    standIns.forEach((path, text) -> files.add(new Source("standin/" + path, text)));
    try (StandardJavaFileManager fileManager =
        javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
      fileManager.setLocationFromPaths(StandardLocation.CLASS_OUTPUT, List.of(classes));
      fileManager.setLocationFromPaths(StandardLocation.SOURCE_OUTPUT, List.of(generated));
      List<String> options = new ArrayList<>(OPTIONS);
      options.add("-classpath");
      options.add(System.getProperty("java.class.path"));
      JavaCompiler.CompilationTask task =
          javac.getTask(null, fileManager, diagnostics, options, null, files);
      task.setProcessors(List.of(new ToolProcessor(), new FactoryIndexProcessor()));
      task.call();
    }
    List<String> problems = new ArrayList<>();
    for (Diagnostic<? extends JavaFileObject> diagnostic : diagnostics.getDiagnostics()) {
      if (diagnostic.getKind() == Diagnostic.Kind.NOTE) {
        continue;
      }
      String kind = diagnostic.getKind().toString().toLowerCase(Locale.ROOT);
      String message = diagnostic.getMessage(Locale.ROOT);
      JavaFileObject file = diagnostic.getSource();
      SnippetSource source = file == null ? null : bySource.get(file.toUri());
      if (source == null) {
        problems.add(
            (file == null ? "" : file.getName() + ":" + diagnostic.getLineNumber() + ": ")
                + kind
                + ": "
                + message);
        continue;
      }
      int line = source.markdownLine(diagnostic.getLineNumber());
      problems.add(
          line < 0
              ? source.block().where()
                  + ": "
                  + kind
                  + " in the context of the block ("
                  + source.path()
                  + ":"
                  + diagnostic.getLineNumber()
                  + "): "
                  + message
              : source.block().document() + ":" + line + ": " + kind + ": " + message);
    }
    return problems;
  }

  /** A source file in memory. */
  private static final class Source extends SimpleJavaFileObject {
    private final String text;

    Source(String path, String text) {
      super(URI.create("string:///" + path), Kind.SOURCE);
      this.text = text;
    }

    @Override
    public CharSequence getCharContent(boolean ignoreEncodingErrors) {
      return text;
    }
  }
}
