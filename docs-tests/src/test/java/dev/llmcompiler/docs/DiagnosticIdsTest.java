package dev.llmcompiler.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmcompiler.processor.validation.Message;
import java.nio.file.Files;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's "Compile-time checks" table lists every diagnostic id the processor has, each with
 * its kind, and no id the processor does not have.
 */
class DiagnosticIdsTest {
  private static final Pattern ROW =
      Pattern.compile("(?m)^\\| `(Llmc\\w+)` \\| (error|warning) \\|");

  @Test
  void theReadmeTableListsEveryIdWithItsKind() throws Exception {
    Map<String, String> expected = new TreeMap<>();
    for (Message message : Message.values()) {
      String kind = message.kind().toString().toLowerCase(Locale.ROOT);
      String other = expected.put(message.id(), kind);
      assertThat(other)
          .as("the messages of id %s are all of one kind", message.id())
          .isIn(null, kind);
    }
    String section =
        section(
            Files.readString(SnippetsTest.ROOT.resolve("README.md")), "### Compile-time checks");
    Map<String, String> listed = new TreeMap<>();
    Matcher row = ROW.matcher(section);
    while (row.find()) {
      assertThat(listed.put(row.group(1), row.group(2)))
          .as("%s is listed once", row.group(1))
          .isNull();
    }
    assertThat(listed)
        .as(
            "README.md's Compile-time checks table (id -> kind) against processor/.../validation/Message.java")
        .isEqualTo(expected);
  }

  @Test
  void everyIdTheReadmeMentionsAnywhereExists() throws Exception {
    Map<String, String> ids = new TreeMap<>();
    for (Message message : Message.values()) {
      ids.put(message.id(), message.name());
    }
    Matcher mention =
        Pattern.compile("\\bLlmc[A-Z]\\w*")
            .matcher(Files.readString(SnippetsTest.ROOT.resolve("README.md")));
    while (mention.find()) {
      assertThat(ids).as("README.md mentions %s", mention.group()).containsKey(mention.group());
    }
  }

  private static String section(String markdown, String heading) {
    int start = markdown.indexOf("\n" + heading + "\n");
    assertThat(start).as("README.md has a '%s' section", heading).isNotNegative();
    int end = markdown.indexOf("\n#", start + heading.length() + 1);
    return markdown.substring(start, end < 0 ? markdown.length() : end);
  }
}
