package dev.llmcompiler.docs;

import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The project documents itself inside the repository: every link of README.md and docs/*.md is
 * relative, and every relative link (samples/README.md's too) names a file or folder that exists,
 * and an anchor that is a heading of its target.
 */
class LinksTest {
  private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
  private static final Pattern FENCE = Pattern.compile("(?ms)^```.*?^```[ \\t]*$");
  private static final Pattern CODE = Pattern.compile("`[^`\\n]*`");

  @Test
  void everyLinkIsRelativeAndLeadsSomewhere() throws Exception {
    List<String> problems = new ArrayList<>();
    for (String document : SnippetsTest.documents()) {
      Path file = SnippetsTest.ROOT.resolve(document);
      String text = prose(Files.readString(file));
      Matcher link = LINK.matcher(text);
      while (link.find()) {
        String target = link.group(1);
        String where = document + ": (" + target + ")";
        if (target.contains("://") || target.startsWith("//") || target.startsWith("mailto:")) {
          // The samples' guide may point at the outside tools it uses (Perfetto's web UI).
          if (!document.startsWith("samples/")) {
            problems.add(where + " leaves the repository; link a file of it instead");
          }
          continue;
        }
        int hash = target.indexOf('#');
        String path = hash < 0 ? target : target.substring(0, hash);
        Path resolved = path.isEmpty() ? file : file.getParent().resolve(path).normalize();
        if (!resolved
            .toAbsolutePath()
            .normalize()
            .startsWith(SnippetsTest.ROOT.toAbsolutePath().normalize())) {
          problems.add(where + " leaves the repository");
        } else if (!Files.exists(resolved)) {
          problems.add(where + " names no file of the repository");
        } else if (hash >= 0 && !anchors(resolved).contains(target.substring(hash + 1))) {
          problems.add(where + " names no heading of " + SnippetsTest.ROOT.relativize(resolved));
        }
      }
    }
    if (!problems.isEmpty()) {
      fail(String.join("\n", problems));
    }
  }

  /** The text outside code blocks and code spans, where a link is a link. */
  private static String prose(String markdown) {
    return CODE.matcher(FENCE.matcher(markdown).replaceAll("")).replaceAll("");
  }

  /**
   * GitHub's anchors of a Markdown file's headings: lower case, punctuation dropped, spaces as '-'.
   */
  private static Set<String> anchors(Path markdown) throws Exception {
    Set<String> anchors = new HashSet<>();
    for (String line : FENCE.matcher(Files.readString(markdown)).replaceAll("").split("\n")) {
      if (line.startsWith("#")) {
        String heading = line.replaceFirst("^#+\\s*", "").strip().toLowerCase(Locale.ROOT);
        anchors.add(heading.replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-'));
      }
    }
    return anchors;
  }
}
