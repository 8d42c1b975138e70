package dev.llmcompiler.docs;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One Java source file made from a {@link JavaBlock}, with where the block's lines are in it, so a
 * javac line maps back to the Markdown line.
 *
 * @param block the block it comes from
 * @param path the file's path, e.g. {@code demo/MarketData.java}
 * @param lines the file's lines
 * @param blockOffset the 0-based index of the block's first line in {@code lines}
 */
record SnippetSource(JavaBlock block, String path, List<String> lines, int blockOffset) {
  private static final Pattern PACKAGE = Pattern.compile("(?m)^package\\s+([\\w.]+)\\s*;");
  private static final Set<String> TYPE_KEYWORDS = Set.of("class", "interface", "record", "enum");
  private static final Set<String> MODIFIERS =
      Set.of(
          "public",
          "protected",
          "private",
          "static",
          "abstract",
          "final",
          "sealed",
          "non-sealed",
          "strictfp");
  private static final Set<String> MEMBER_START =
      Set.of("public", "protected", "private", "static");

  /** How a block is compiled, read from its first tokens. */
  enum Kind {
    /** A whole file: it starts with {@code package} or {@code import}. */
    FILE,
    /**
     * Top-level types (after annotations and modifiers: class, interface, record, enum), given the
     * context's imports.
     */
    TYPES,
    /**
     * Members of a class (it starts with an annotation or a modifier), e.g. a {@code @Bean} method.
     */
    MEMBERS,
    /** Statements, compiled as the body of a method. */
    STATEMENTS
  }

  /**
   * The line in the Markdown file of a 1-based javac line of this file, or -1 outside the block.
   */
  int markdownLine(long javacLine) {
    long index = javacLine - 1 - blockOffset;
    return index >= 0 && index < block.lines().size() ? block.firstLine() + (int) index : -1;
  }

  String text() {
    return String.join("\n", lines) + "\n";
  }

  /** What the block is, from its code. */
  static Kind kind(JavaBlock block) {
    String code = Scanner.withoutComments(block.text()).strip();
    if (code.startsWith("package ") || code.startsWith("import ")) {
      return Kind.FILE;
    }
    Matcher token =
        Pattern.compile("@\\s*interface\\b|@[\\w.]+(\\s*\\()?|[\\w-]+|\\S").matcher(code);
    int at = 0;
    boolean annotationOrModifierFirst = false;
    boolean first = true;
    while (token.find(at)) {
      String word = token.group();
      if (word.startsWith("@") && word.replace(" ", "").equals("@interface")) {
        return Kind.TYPES;
      }
      if (word.startsWith("@")) {
        annotationOrModifierFirst |= first;
        at = token.group(1) == null ? token.end() : Scanner.afterParentheses(code, token.end() - 1);
      } else if (MODIFIERS.contains(word)) {
        annotationOrModifierFirst |= first && MEMBER_START.contains(word);
        at = token.end();
      } else {
        if (TYPE_KEYWORDS.contains(word)) {
          return Kind.TYPES;
        }
        break;
      }
      first = false;
    }
    return annotationOrModifierFirst ? Kind.MEMBERS : Kind.STATEMENTS;
  }

  /**
   * The files for {@code block} in {@code context} ({@code null} for none), with generated names
   * starting with {@code wrapperName} for fragments. A block of several top-level types gives one
   * file per type, each with the others' lines left blank, so line numbers stay the block's.
   */
  static List<SnippetSource> of(JavaBlock block, SnippetContext context, String wrapperName) {
    List<String> imports = new ArrayList<>();
    List<String> fields = List.of();
    if (context != null) {
      context.imports().forEach(name -> imports.add("import " + name + ";"));
      fields = context.fields();
    }
    Kind kind = kind(block);
    List<String> lines = block.lines();
    if (kind == Kind.FILE || kind == Kind.TYPES) {
      Matcher pkg = PACKAGE.matcher(block.text());
      String directory = pkg.find() ? pkg.group(1).replace('.', '/') + "/" : "";
      List<Scanner.Declaration> types = Scanner.topLevelTypes(block.text());
      if (types.isEmpty()) {
        throw new AssertionError(
            block.where() + ": the block looks like a source file but declares no type");
      }
      int headerEnd = -1;
      for (int i = 0; i < lines.size(); i++) {
        if (lines.get(i).matches("\\s*(package|import)\\s.*")) {
          headerEnd = i;
        }
      }
      // Each type owns its lines from after the header or the previous type to its closing brace.
      int[] owner = new int[lines.size()];
      java.util.Arrays.fill(owner, -1);
      int from = headerEnd + 1;
      for (int t = 0; t < types.size(); t++) {
        for (int i = from; i <= types.get(t).lastLine(); i++) {
          owner[i] = t;
        }
        from = types.get(t).lastLine() + 1;
      }
      List<SnippetSource> sources = new ArrayList<>();
      for (int t = 0; t < types.size(); t++) {
        List<String> file = new ArrayList<>(imports);
        for (int i = 0; i < lines.size(); i++) {
          file.add(owner[i] == -1 || owner[i] == t ? lines.get(i) : "");
        }
        sources.add(
            new SnippetSource(
                block, directory + types.get(t).name() + ".java", file, imports.size()));
      }
      return sources;
    }
    List<String> file = new ArrayList<>(imports);
    file.add("class " + wrapperName + " {");
    fields.forEach(field -> file.add("  " + field));
    if (kind == Kind.STATEMENTS) {
      file.add("  void snippet() {");
    }
    int offset = file.size();
    file.addAll(lines);
    if (kind == Kind.STATEMENTS) {
      file.add("  }");
    }
    file.add("}");
    return List.of(
        new SnippetSource(
            block, wrapperName + ".java", Collections.unmodifiableList(file), offset));
  }
}
