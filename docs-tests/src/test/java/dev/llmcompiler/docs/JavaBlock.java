package dev.llmcompiler.docs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fenced {@code ```java} block of a Markdown file, with the {@code <!-- compile: ... -->} comment
 * on the line before it, if any.
 *
 * <p>The comment says how the block compiles, invisibly on the rendered page:
 *
 * <ul>
 *   <li>none: the block is a whole source file (it starts with {@code package} or {@code import});
 *   <li>{@code <!-- compile: context=NAME -->}: the block is compiled within the {@link
 *       SnippetContext} of that name (its imports, and fields for fragments);
 *   <li>{@code <!-- compile: file=PATH -->}: the block is the exact text of that file of the
 *       repository, which the build compiles;
 *   <li>{@code <!-- compile: skip (REASON) -->}: the block cannot compile by its nature.
 * </ul>
 *
 * @param document the Markdown file, relative to the repository root, e.g. {@code README.md}
 * @param firstLine the 1-based line of the block's first line of code in that file
 * @param text the block's code, every line ending in {@code \n}
 * @param directive the comment's text after {@code compile:}, or {@code null} without one
 */
record JavaBlock(String document, int firstLine, String text, String directive) {
  private static final Pattern DIRECTIVE = Pattern.compile("<!--\\s*compile:\\s*(.*?)\\s*-->");

  /** Where the block is, for messages: {@code README.md:212}. */
  String where() {
    return document + ":" + firstLine;
  }

  List<String> lines() {
    return text.lines().toList();
  }

  /** The context name of a {@code context=NAME} directive, or {@code null}. */
  String contextName() {
    return directive != null && directive.startsWith("context=")
        ? directive.substring("context=".length())
        : null;
  }

  /** The path of a {@code file=PATH} directive, or {@code null}. */
  String sameAsFile() {
    return directive != null && directive.startsWith("file=")
        ? directive.substring("file=".length())
        : null;
  }

  boolean skipped() {
    return directive != null && directive.startsWith("skip");
  }

  /**
   * Every {@code ```java} block of {@code root.resolve(document)}; fails on a {@code compile:}
   * comment that is not right before a Java block, so none is silently ignored.
   */
  static List<JavaBlock> read(Path root, String document) throws IOException {
    List<String> lines = Files.readAllLines(root.resolve(document));
    List<JavaBlock> blocks = new ArrayList<>();
    String pending = null;
    int pendingLine = 0;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      Matcher directive = DIRECTIVE.matcher(line.strip());
      if (directive.matches()) {
        pending = directive.group(1);
        pendingLine = i + 1;
        continue;
      }
      if (line.startsWith("```")) {
        boolean java = line.strip().equals("```java");
        if (pending != null && !java) {
          throw new AssertionError(
              document
                  + ":"
                  + pendingLine
                  + ": a compile: comment must come right before a"
                  + " ```java block, but it comes before "
                  + line.strip());
        }
        int end = i + 1;
        while (end < lines.size() && !lines.get(end).startsWith("```")) {
          end++;
        }
        if (java) {
          StringBuilder text = new StringBuilder();
          for (String code : lines.subList(i + 1, end)) {
            text.append(code).append('\n');
          }
          blocks.add(new JavaBlock(document, i + 2, text.toString(), pending));
        }
        pending = null;
        i = end;
        continue;
      }
      if (pending != null) {
        throw new AssertionError(
            document
                + ":"
                + pendingLine
                + ": a compile: comment must be on the line right"
                + " before its ```java block");
      }
    }
    return blocks;
  }
}
