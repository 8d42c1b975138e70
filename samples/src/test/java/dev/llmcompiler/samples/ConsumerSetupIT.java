package dev.llmcompiler.samples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The README's consumer {@code pom.xml}, pasted as is into an empty folder next to a class with
 * {@code @Tool} methods, builds with the machine's Maven and generates the tool set, as the
 * README's "Add it to your build" section promises.
 *
 * <p>The child build runs after this module is packaged, so the reactor has already built every jar
 * it needs. Our artifacts are not published and CI never runs {@code mvn install}, so the child
 * gets a local repository of its own, seeded with those jars and poms; every third-party artifact
 * comes first from the outer build's local repository, declared as a {@code file:} repository
 * (Maven Central stays behind it). Nothing is written to the outer repository.
 */
class ConsumerSetupIT {
  private static final Duration TIMEOUT = Duration.ofMinutes(5);
  private static final int LOG_TAIL_LINES = 80;
  private static final String GROUP_ID = "dev.llmcompiler";

  /** The jar modules the README's pom needs, directly or through the processor path. */
  private static final List<String> JAR_MODULES =
      List.of("annotations", "runtime", "processor", "openai");

  /** Reactor artifacts that are deliberately not published, so not in the BOM. */
  private static final Set<String> NOT_PUBLISHED =
      Set.of(
          "llmcompiler-parent",
          "llmcompiler-bom",
          "llmcompiler-samples",
          "llmcompiler-benchmarks",
          "llmcompiler-spring-boot4-tests",
          "llmcompiler-samples-spring",
          "llmcompiler-docs-tests");

  private static final Pattern FENCED_BLOCK =
      Pattern.compile("(?ms)^```(\\w*)[ \\t]*\\n(.*?)^```[ \\t]*$");
  private static final Pattern README_VERSION =
      Pattern.compile("<llmcompiler\\.version>([^<]+)</llmcompiler\\.version>");

  private static final String TOOL_CLASS =
      """
      package demo;

      import dev.llmcompiler.annotations.Tool;
      import dev.llmcompiler.openai.OpenAiLlm;
      import dev.llmcompiler.runtime.LlmCompiler;

      /** Weather lookups, as a user's first tool class. */
      public class WeatherService {
        /**
         * Today's forecast for a city.
         *
         * @param city the city's name, e.g. Paris
         */
        @Tool
        public String forecast(String city) {
          return "Sunny in " + city;
        }

        /**
         * The temperature in a city now, in degrees Celsius.
         *
         * @param city the city's name, e.g. Paris
         */
        @Tool
        public double temperature(String city) {
          return 21.5;
        }

        /** Uses the generated tool set and the OpenAI client, so both dependencies must be on the class path. */
        static LlmCompiler compiler(OpenAiLlm llm) {
          return LlmCompiler.builder().llm(llm).tools(WeatherServiceTools.of(new WeatherService())).build();
        }
      }
      """;

  @TempDir Path dir;

  @Test
  void readmePomBuildsAToolClassWithTheMachinesMaven() throws Exception {
    String version = requiredProperty("llmcompiler.version");
    String pom = readmeConsumerPom();
    Matcher readmeVersion = README_VERSION.matcher(pom);
    assertThat(readmeVersion.find())
        .as("the README's pom sets the llmcompiler.version property:\n%s", pom)
        .isTrue();
    assertThat(readmeVersion.group(1))
        .as(
            "llmcompiler.version in the README's pom (section 'Add it to your build') must be the build's version")
        .isEqualTo(version);

    Path project = Files.createDirectories(dir.resolve("project"));
    Files.writeString(project.resolve("pom.xml"), pom);
    Path source = project.resolve("src/main/java/demo/WeatherService.java");
    Files.createDirectories(source.getParent());
    Files.writeString(source, TOOL_CLASS);

    Path repository = dir.resolve("repository");
    stageReactorArtifacts(repository, version);
    Path settings = writeSettings(repository);

    Path log = dir.resolve("build.log");
    int exitCode = runMaven(project, settings, repository, log);
    String output = Files.readString(log, StandardCharsets.UTF_8);
    assertThat(exitCode)
        .as(
            "`mvn compile` of the README's pom exited with %d; the end of its output:%n%s",
            exitCode, tail(output))
        .isZero();

    Path generated =
        project.resolve("target/generated-sources/annotations/demo/WeatherServiceTools.java");
    Path catalog = project.resolve("target/classes/META-INF/llmcompiler/demo.WeatherService.json");
    assertThat(generated)
        .as("the generated tool set; the build printed:%n%s", tail(output))
        .isRegularFile();
    assertThat(generated).content().contains("public final class WeatherServiceTools");
    assertThat(project.resolve("target/classes/demo/WeatherServiceTools.class")).isRegularFile();
    assertThat(catalog)
        .as("the tool catalog; the build printed:%n%s", tail(output))
        .isRegularFile();
    JsonNode tools = new ObjectMapper().readTree(catalog.toFile()).path("tools");
    assertThat(tools.findValuesAsText("name")).containsExactly("forecast", "temperature");
    // Pasted as is, it compiles cleanly: no warning from javac or the processor. (Earlier warnings,
    // about
    // dependency resolution, depend on what the machine's repositories hold, not on the pom.)
    int compilation = output.indexOf("--- maven-compiler-plugin:");
    assertThat(compilation)
        .as("the compiler plugin's output in:%n%s", tail(output))
        .isNotNegative();
    assertThat(output.substring(compilation)).doesNotContain("[WARNING]", "Llmc");
  }

  @Test
  void bomManagesEveryPublishedModuleAtTheReactorVersion() throws Exception {
    Path root = root();
    Set<String> published = new LinkedHashSet<>();
    for (Element module : children(child(parse(root.resolve("pom.xml")), "modules"), "module")) {
      String artifactId =
          text(
              parse(root.resolve(module.getTextContent().strip()).resolve("pom.xml")),
              "artifactId");
      if (!NOT_PUBLISHED.contains(artifactId)) {
        published.add(artifactId);
      }
    }
    Element bom = parse(root.resolve("bom/pom.xml"));
    assertThat(child(bom, "parent"))
        .as("the BOM must not inherit the parent's dependencyManagement")
        .isNull();
    assertThat(text(bom, "version")).isEqualTo(requiredProperty("llmcompiler.version"));
    Set<String> managed = new LinkedHashSet<>();
    for (Element dependency :
        children(child(child(bom, "dependencyManagement"), "dependencies"), "dependency")) {
      assertThat(text(dependency, "groupId")).isEqualTo(GROUP_ID);
      assertThat(text(dependency, "version")).isEqualTo("${project.version}");
      managed.add(text(dependency, "artifactId"));
    }
    assertThat(managed)
        .as(
            "bom/pom.xml manages every published reactor module (add new ones there, or to NOT_PUBLISHED here)")
        .containsExactlyInAnyOrderElementsOf(published);
  }

  @Test
  void readmeCompilesForAReleaseNotASourceAndTarget() throws Exception {
    String readme = Files.readString(root().resolve("README.md"), StandardCharsets.UTF_8);
    assertThat(readmeConsumerPom()).contains("<maven.compiler.release>17</maven.compiler.release>");
    // source/target compile against the running JDK's API, and a newer javac warns about them.
    assertThat(readme)
        .doesNotContain(
            "<maven.compiler.source>",
            "<maven.compiler.target>",
            "<source>",
            "<target>",
            "sourceCompatibility",
            "targetCompatibility");
  }

  /** The one {@code ```xml} block of README.md that starts with {@code <project}. */
  private static String readmeConsumerPom() throws IOException {
    Path readme = root().resolve("README.md");
    List<String> poms = new ArrayList<>();
    Matcher block = FENCED_BLOCK.matcher(Files.readString(readme, StandardCharsets.UTF_8));
    while (block.find()) {
      if (block.group(1).equals("xml") && block.group(2).strip().startsWith("<project")) {
        poms.add(block.group(2));
      }
    }
    assertThat(poms)
        .as(
            "%s must hold exactly one ```xml block starting with <project (the consumer pom)",
            readme)
        .hasSize(1);
    return poms.get(0);
  }

  /**
   * Lays out the reactor's freshly built jars and poms as a Maven repository: what {@code mvn
   * install} would have put there, without touching the user's repository.
   */
  private static void stageReactorArtifacts(Path repository, String version) throws IOException {
    Path root = root();
    stage(repository, "llmcompiler-parent", version, root.resolve("pom.xml"), "pom");
    stage(repository, "llmcompiler-bom", version, root.resolve("bom/pom.xml"), "pom");
    for (String module : JAR_MODULES) {
      String artifactId = "llmcompiler-" + module;
      Path jar =
          root.resolve(module).resolve("target").resolve(artifactId + "-" + version + ".jar");
      assertThat(jar)
          .as(
              "%s, built earlier in this reactor; run `mvn verify` from the root, or `-pl samples -am`",
              jar)
          .isRegularFile();
      stage(repository, artifactId, version, root.resolve(module).resolve("pom.xml"), "pom");
      stage(repository, artifactId, version, jar, "jar");
    }
  }

  private static void stage(
      Path repository, String artifactId, String version, Path file, String extension)
      throws IOException {
    Path directory =
        repository.resolve(GROUP_ID.replace('.', '/')).resolve(artifactId).resolve(version);
    Files.createDirectories(directory);
    Files.copy(
        file,
        directory.resolve(artifactId + "-" + version + "." + extension),
        StandardCopyOption.REPLACE_EXISTING);
  }

  /**
   * Settings for the child build: its own local repository, and the outer build's local repository
   * as the first remote one, so what the reactor has already resolved (plugins included) is copied
   * from disk. That repository serves releases only: our snapshots must come from the staged
   * copies, never from an older install.
   */
  private Path writeSettings(Path repository) throws IOException {
    String outer = System.getProperty("llmcompiler.outerRepository", "");
    Path outerRepository =
        outer.isBlank()
            ? Path.of(System.getProperty("user.home"), ".m2", "repository")
            : Path.of(outer);
    String repositoryEntry =
        """
              <id>outer-local-repository</id>
              <url>%s</url>
              <releases><enabled>true</enabled><checksumPolicy>ignore</checksumPolicy></releases>
              <snapshots><enabled>false</enabled></snapshots>
        """
            .formatted(xml(outerRepository.toUri().toString()));
    String settings =
        """
        <settings>
          <localRepository>%s</localRepository>
          <profiles>
            <profile>
              <id>outer-local-repository</id>
              <repositories>
                <repository>
        %s        </repository>
              </repositories>
              <pluginRepositories>
                <pluginRepository>
        %s        </pluginRepository>
              </pluginRepositories>
            </profile>
          </profiles>
          <activeProfiles>
            <activeProfile>outer-local-repository</activeProfile>
          </activeProfiles>
        </settings>
        """
            .formatted(xml(repository.toString()), repositoryEntry, repositoryEntry);
    Path file = dir.resolve("settings.xml");
    Files.writeString(file, settings);
    return file;
  }

  /**
   * Runs {@code mvn -B compile} in the project with the JDK running this test; offline if the outer
   * build is.
   */
  private static int runMaven(Path project, Path settings, Path repository, Path log)
      throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(
            List.of(
                maven().toString(),
                "-B",
                "-s",
                settings.toString(),
                // Wins over a maven.repo.local in MAVEN_OPTS, which would point the child at the
                // user's repository.
                "-Dmaven.repo.local=" + repository));
    if (System.getProperty("llmcompiler.offline", "").equals("offline=true")) {
      // Offline, Maven refuses every remote repository unless told that file: ones are local.
      command.addAll(List.of("-o", "-Daether.offline.protocols=file"));
    }
    command.add("compile");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(project.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
    // Exported by the outer build's mvn script; the child must find its own project.
    builder
        .environment()
        .keySet()
        .removeAll(List.of("MAVEN_BASEDIR", "MAVEN_PROJECTBASEDIR", "MAVEN_CMD_LINE_ARGS"));
    Process process = builder.start();
    if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      throw new AssertionError(
          "`mvn compile` of the README's pom did not finish within "
              + TIMEOUT
              + "; the end of its output:\n"
              + tail(Files.readString(log, StandardCharsets.UTF_8)));
    }
    return process.exitValue();
  }

  /**
   * The Maven running this build ({@code maven.home}, passed by failsafe), else the first {@code
   * mvn} on PATH.
   */
  private static Path maven() {
    String name =
        System.getProperty("os.name").toLowerCase(Locale.ROOT).startsWith("windows")
            ? "mvn.cmd"
            : "mvn";
    String home = System.getProperty("maven.home", "");
    if (!home.isBlank() && Files.isRegularFile(Path.of(home, "bin", name))) {
      return Path.of(home, "bin", name);
    }
    for (String entry : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (!entry.isBlank() && Files.isExecutable(Path.of(entry, name))) {
        return Path.of(entry, name);
      }
    }
    throw new AssertionError(
        "No Maven found: neither the maven.home system property (set by failsafe) nor PATH"
            + " leads to bin/"
            + name);
  }

  private static Path root() {
    return Path.of(requiredProperty("llmcompiler.root")).toAbsolutePath().normalize();
  }

  private static String requiredProperty(String name) {
    String value = System.getProperty(name);
    assertThat(value)
        .as("the %s system property (set by failsafe in samples/pom.xml)", name)
        .isNotBlank();
    return value;
  }

  private static String tail(String output) {
    List<String> lines = output.lines().toList();
    return String.join(
        "\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
  }

  private static String xml(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  private static Element parse(Path pom) throws Exception {
    return DocumentBuilderFactory.newInstance()
        .newDocumentBuilder()
        .parse(pom.toFile())
        .getDocumentElement();
  }

  /** The first child element with this name, or null. */
  private static Element child(Element parent, String name) {
    List<Element> found = children(parent, name);
    return found.isEmpty() ? null : found.get(0);
  }

  private static List<Element> children(Element parent, String name) {
    assertThat(parent).as("the element holding <%s>", name).isNotNull();
    List<Element> found = new ArrayList<>();
    for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
      if (node instanceof Element element && element.getTagName().equals(name)) {
        found.add(element);
      }
    }
    return found;
  }

  private static String text(Element parent, String name) {
    Element element = child(parent, name);
    assertThat(element).as("<%s> in <%s>", name, parent.getTagName()).isNotNull();
    return element.getTextContent().strip();
  }
}
