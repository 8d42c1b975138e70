package dev.llmcompiler.samples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's Spring Boot and testing sections stay true: the testing examples are the exact text
 * of this module's tests, and the properties table lists every property of the starter's
 * configuration metadata.
 */
class ReadmeTest {
  private static final Path README = Path.of("..", "README.md");
  private static final Path TESTS =
      Path.of("src", "test", "java", "dev", "llmcompiler", "samples", "spring");

  @Test
  void theTestingExamplesAreTheseTests() throws Exception {
    List<String> blocks = javaBlocks(section("## Testing your tools and agents"));
    assertThat(blocks)
        .containsExactly(
            Files.readString(TESTS.resolve("TravelToolsTest.java")),
            Files.readString(TESTS.resolve("TravelAgentTest.java")));
  }

  @Test
  void thePropertiesTableListsEveryProperty() throws Exception {
    TreeSet<String> documented = new TreeSet<>();
    Matcher row =
        Pattern.compile("(?m)^\\| `(llmcompiler\\.[a-z.-]+)(\\.<tool>)?` \\|")
            .matcher(section("## Spring Boot"));
    while (row.find()) {
      documented.add(row.group(1));
    }
    TreeSet<String> properties = new TreeSet<>();
    try (InputStream in =
        getClass()
            .getClassLoader()
            .getResourceAsStream("META-INF/spring-configuration-metadata.json")) {
      JsonNode metadata = new ObjectMapper().readTree(in);
      metadata.get("properties").forEach(property -> properties.add(property.get("name").asText()));
    }
    assertThat(documented).isEqualTo(properties);
  }

  private static String section(String heading) throws Exception {
    String readme = Files.readString(README);
    int start = readme.indexOf("\n" + heading + "\n");
    assertThat(start).as("README.md has a '%s' section", heading).isNotNegative();
    int end = readme.indexOf("\n## ", start + heading.length() + 1);
    return readme.substring(start, end < 0 ? readme.length() : end);
  }

  private static List<String> javaBlocks(String text) {
    List<String> blocks = new ArrayList<>();
    Matcher block = Pattern.compile("(?s)```java\\n(.*?)```").matcher(text);
    while (block.find()) {
      blocks.add(block.group(1));
    }
    return blocks;
  }
}
