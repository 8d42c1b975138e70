package dev.llmcompiler.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmcompiler.annotations.Tool;
import dev.llmcompiler.langchain4j.LangChain4jLlm;
import dev.llmcompiler.mcp.McpToolSet;
import dev.llmcompiler.openai.OpenAiLlm;
import dev.llmcompiler.opentelemetry.LlmCompilerTelemetry;
import dev.llmcompiler.runtime.LlmCompiler;
import dev.llmcompiler.spring.boot.LlmCompilerProperties;
import dev.llmcompiler.springai.SpringAiLlm;
import dev.llmcompiler.testkit.ScriptedOpenAiServer;
import java.io.IOException;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README's "Public API" table lists exactly the public types of the published modules: a type
 * made public by accident (or an internal one outside an {@code internal} package) fails this test,
 * and so does a listed type that no longer exists.
 */
class PublicApiTest {
  private static final Pattern CODE = Pattern.compile("`([A-Za-z0-9_.]+)`");

  @Test
  void theReadmeListsExactlyThePublicTypesOfEachModule() throws Exception {
    Map<String, TreeSet<String>> listed = readmeTable();
    Map<String, TreeSet<String>> actual = new TreeMap<>();
    for (Class<?> anchor :
        List.of(
            Tool.class,
            LlmCompiler.class,
            OpenAiLlm.class,
            ScriptedOpenAiServer.class,
            LangChain4jLlm.class,
            SpringAiLlm.class,
            McpToolSet.class,
            LlmCompilerTelemetry.class,
            LlmCompilerProperties.class)) {
      for (String name : classNames(anchor)) {
        Class<?> type = Class.forName(name, false, anchor.getClassLoader());
        if (Modifier.isPublic(type.getModifiers())
            && !type.getPackageName().contains(".internal")) {
          actual
              .computeIfAbsent(type.getPackageName(), p -> new TreeSet<>())
              .add(type.getSimpleName());
        }
      }
    }
    assertThat(listed)
        .as("README 'Public API' table (package -> types) against the jars")
        .isEqualTo(actual);
  }

  @Test
  void internalPackagesSayTheyHaveNoCompatibilityPromise() throws Exception {
    TreeSet<String> packages = new TreeSet<>();
    for (String name : classNames(LlmCompiler.class)) {
      if (name.contains(".internal")) {
        packages.add(name.substring(0, name.lastIndexOf('.')));
      }
    }
    assertThat(packages)
        .contains("dev.llmcompiler.runtime.internal", "dev.llmcompiler.runtime.internal.plan");
    for (String pkg : packages) {
      Path info =
          Path.of(
              "..", "runtime", "src", "main", "java", pkg.replace('.', '/'), "package-info.java");
      assertThat(info).as("package-info of %s", pkg).exists();
      String text =
          Files.readString(info).replaceAll("\\s*\\R\\s*\\*\\s*", " "); // Javadoc lines joined
      assertThat(text).as("package-info of %s", pkg).contains("no compatibility promise");
    }
  }

  /** The table under "## Public API": package cell (or blank for the row above's) to its types. */
  private static Map<String, TreeSet<String>> readmeTable() throws IOException {
    List<String> lines = Files.readAllLines(Path.of("..", "README.md"));
    int start = lines.indexOf("## Public API");
    assertThat(start).as("README.md has a '## Public API' section").isNotNegative();
    Map<String, TreeSet<String>> table = new TreeMap<>();
    String current = null;
    for (String line : lines.subList(start + 1, lines.size())) {
      if (line.startsWith("## ")) {
        break;
      }
      if (!line.startsWith("| ") || line.startsWith("| package") || line.startsWith("|---")) {
        continue;
      }
      String[] cells = line.split("\\|");
      Matcher pkg = CODE.matcher(cells[1]);
      if (pkg.find()) {
        current = pkg.group(1);
      }
      Matcher type = CODE.matcher(cells[2]);
      while (type.find()) {
        table.computeIfAbsent(current, p -> new TreeSet<>()).add(type.group(1));
      }
    }
    return table;
  }

  /** Top-level class names in the directory or jar {@code anchor} was loaded from. */
  private static List<String> classNames(Class<?> anchor) throws IOException, URISyntaxException {
    Path root = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<String> entries = new ArrayList<>();
    if (Files.isDirectory(root)) {
      try (Stream<Path> files = Files.walk(root)) {
        files
            .filter(Files::isRegularFile)
            .forEach(file -> entries.add(root.relativize(file).toString().replace('\\', '/')));
      }
    } else {
      try (JarFile jar = new JarFile(root.toFile())) {
        jar.stream().forEach(entry -> entries.add(entry.getName()));
      }
    }
    List<String> names = new ArrayList<>();
    for (String entry : entries) {
      if (entry.endsWith(".class")
          && !entry.contains("$")
          && !entry.startsWith("META-INF/")
          && !entry.endsWith("package-info.class")
          && !entry.endsWith("module-info.class")) {
        names.add(entry.substring(0, entry.length() - ".class".length()).replace('/', '.'));
      }
    }
    return names;
  }
}
