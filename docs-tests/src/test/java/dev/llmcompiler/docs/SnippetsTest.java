package dev.llmcompiler.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmcompiler.runtime.ToolArgumentException;
import dev.llmcompiler.runtime.ToolDescriptor;
import dev.llmcompiler.runtime.ToolSet;
import dev.llmcompiler.runtime.internal.plan.PlanParser;
import dev.llmcompiler.runtime.internal.plan.PlannedTask;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code ```java} block of README.md, samples/README.md and docs/*.md compiles, together,
 * with the processor and without a warning, each as {@link JavaBlock} describes; a failure names
 * the Markdown line and javac's message.
 */
class SnippetsTest {
  static final Path ROOT = Path.of("..");
  private static final Pattern SKIP = Pattern.compile("skip \\((.*\\S.*)\\)");

  @TempDir static Path output;

  /** What is wrong with the blocks' directives, found before compiling. */
  private static final List<String> directiveProblems = new ArrayList<>();

  private static List<String> compileProblems;
  private static List<JavaBlock> blocks;

  @BeforeAll
  static void compileEveryBlock() throws IOException {
    blocks = new ArrayList<>();
    for (String document : documents()) {
      blocks.addAll(JavaBlock.read(ROOT, document));
    }
    List<SnippetSource> sources = new ArrayList<>();
    Map<String, String> standIns = new TreeMap<>();
    for (JavaBlock block : blocks) {
      if (block.sameAsFile() != null || block.skipped()) {
        if (block.skipped() && !SKIP.matcher(block.directive()).matches()) {
          directiveProblems.add(
              block.where() + ": a skipped block says why: <!-- compile: skip (REASON) -->");
        }
        continue;
      }
      SnippetContext context = null;
      if (block.directive() != null) {
        context = SnippetContext.ALL.get(block.contextName());
        if (context == null) {
          directiveProblems.add(
              block.where()
                  + ": unknown directive <!-- compile: "
                  + block.directive()
                  + " -->; use context=NAME (one of "
                  + SnippetContext.ALL.keySet()
                  + ", see SnippetContext), file=PATH"
                  + " or skip (REASON)");
          continue;
        }
      }
      SnippetSource.Kind kind = SnippetSource.kind(block);
      if (kind == SnippetSource.Kind.FILE && context != null) {
        directiveProblems.add(
            block.where() + ": a whole source file (package or import first) takes no context");
        continue;
      }
      if ((kind == SnippetSource.Kind.MEMBERS || kind == SnippetSource.Kind.STATEMENTS)
          && context == null) {
        directiveProblems.add(
            block.where()
                + ": a fragment ("
                + kind
                + ") compiles within a context: put"
                + " <!-- compile: context=NAME --> on the line before its ```java, NAME one of "
                + SnippetContext.ALL.keySet()
                + " (see SnippetContext), or make it a whole file");
        continue;
      }
      String wrapper = block.document().replaceAll("[^A-Za-z0-9]", "_") + "_L" + block.firstLine();
      sources.addAll(SnippetSource.of(block, context, wrapper));
      if (context != null) {
        standIns.putAll(context.standIns());
      }
    }
    Path classes = Files.createDirectories(output.resolve("classes"));
    Path generated = Files.createDirectories(output.resolve("generated"));
    compileProblems = SnippetCompiler.compile(sources, standIns, classes, generated);
  }

  /** README.md, samples/README.md and every Markdown file under docs/. */
  static List<String> documents() throws IOException {
    List<String> documents = new ArrayList<>(List.of("README.md", "samples/README.md"));
    try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
      docs.filter(path -> path.toString().endsWith(".md"))
          .sorted()
          .forEach(path -> documents.add("docs/" + path.getFileName()));
    }
    return documents;
  }

  @Test
  void everyBlockSaysHowItCompiles() {
    assertNone(directiveProblems);
  }

  @Test
  void everyBlockCompilesWithoutWarnings() {
    assertThat(blocks).as("Java blocks found").hasSizeGreaterThan(10);
    assertNone(compileProblems);
  }

  @Test
  void blocksThatAreFilesOfTheRepositoryAreTheirExactText() throws IOException {
    List<String> problems = new ArrayList<>();
    for (JavaBlock block : blocks) {
      if (block.sameAsFile() != null) {
        Path file = ROOT.resolve(block.sameAsFile());
        if (!Files.isRegularFile(file)) {
          problems.add(block.where() + ": file=" + block.sameAsFile() + " does not exist");
        } else if (!Files.readString(file).equals(block.text())) {
          problems.add(
              block.where()
                  + ": the block is no longer the text of "
                  + block.sameAsFile()
                  + "; copy the file into the block");
        }
      }
    }
    assertNone(problems);
    assertThat(blocks).filteredOn(block -> block.sameAsFile() != null).isNotEmpty();
  }

  /**
   * The README's first example is the samples' StockService, which the build compiles and runs end
   * to end (LoopbackServerIT), with a package and a comment saying where it comes from.
   */
  @Test
  void theFirstExampleIsTheSamplesStockService() throws IOException {
    JavaBlock example =
        blocks.stream()
            .filter(
                block ->
                    block.document().equals("README.md")
                        && block.text().contains("public class StockService"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("README.md has no StockService example"));
    assertThat(
            Files.readString(
                ROOT.resolve("samples/src/main/java/dev/llmcompiler/samples/StockService.java")))
        .as(
            "samples' StockService.java is the README's example ("
                + example.where()
                + ") in package dev.llmcompiler.samples")
        .isEqualTo(
            "package dev.llmcompiler.samples;\n\n"
                + "// README.md's first example, word for word (docs-tests' SnippetsTest keeps the two identical).\n"
                + example.text());
  }

  /**
   * The README's examples of an argument error are what the tool set generated from its MarketData
   * block says when called, and what the plan parser says of the same call in a plan.
   */
  @Test
  void theArgumentErrorExamplesAreWhatTheCodeSays() throws Exception {
    assertNone(compileProblems);
    String readme = Files.readString(ROOT.resolve("README.md"));
    try (URLClassLoader loader =
        new URLClassLoader(
            new URL[] {output.resolve("classes").toUri().toURL()}, getClass().getClassLoader())) {
      Object marketData = loader.loadClass("demo.MarketData").getConstructor().newInstance();
      ToolSet tools =
          (ToolSet)
              loader
                  .loadClass("demo.MarketDataTools")
                  .getMethod("of", marketData.getClass())
                  .invoke(null, marketData);

      ObjectNode arguments =
          JsonNodeFactory.instance.objectNode().put("part", 1).put("whole", "ten");
      ToolArgumentException invoked =
          catchThrowableOfType(
              ToolArgumentException.class, () -> tools.invoke("percent_of", arguments));
      assertThat(invoked).as("percent_of(part=1, whole=\"ten\") through invoke").isNotNull();
      assertThat(invoked.getMessage()).contains("'whole'", "\"ten\"");
      assertThat(readme).contains("`" + invoked.getMessage() + "`");

      Map<String, ToolDescriptor> byName = new LinkedHashMap<>();
      tools.tools().forEach(tool -> byName.put(tool.name(), tool));
      PlannedTask planned =
          PlanParser.parse("1. percent_of(1, \"ten\")\n2. join()\n", byName, 1, Set.of())
              .tasks()
              .get(0);
      assertThat(planned.error())
          .as("the plan line percent_of(1, \"ten\")")
          .contains("'whole'", "\"ten\"");
      assertThat(readme).contains("`" + planned.error() + "`");
    }
  }

  /**
   * The catalog of the README's MarketData is the one shown in docs/contracts.md, byte for byte,
   * and the README describes its fields and its example signature as they are.
   */
  @Test
  void theCatalogExamplesAreWhatTheProcessorWrote() throws IOException {
    assertNone(compileProblems);
    String text =
        Files.readString(output.resolve("classes/META-INF/llmcompiler/demo.MarketData.json"));
    assertThat(Files.readString(ROOT.resolve("docs/contracts.md")))
        .as("docs/contracts.md shows the catalog of the README's MarketData")
        .contains("```json\n" + text + "```\n");
    JsonNode catalog = new ObjectMapper().readTree(text);
    JsonNode quote = catalog.get("tools").get(0);
    List<String> fields = new ArrayList<>();
    quote.fieldNames().forEachRemaining(fields::add);
    assertThat(fields)
        .containsExactly(
            "name", "description", "parameters", "returns", "strict", "signature", "effect");
    assertThat(Files.readString(ROOT.resolve("README.md")))
        .contains("`" + quote.get("signature").asText() + "`");
  }

  private static void assertNone(List<String> problems) {
    if (!problems.isEmpty()) {
      fail(problems.size() + " problem(s):\n" + String.join("\n", problems));
    }
  }
}
