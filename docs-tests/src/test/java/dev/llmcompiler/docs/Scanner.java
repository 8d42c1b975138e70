package dev.llmcompiler.docs;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Just enough Java lexing to split a block into its top-level types: it knows comments, string and
 * character literals and text blocks, so braces inside them (a plan's {@code ${1.value}}) do not
 * count.
 */
final class Scanner {
  private static final Set<String> TYPE_KEYWORDS = Set.of("class", "interface", "record", "enum");

  /**
   * A top-level type of a block.
   *
   * @param name its simple name
   * @param lastLine the 0-based line of its closing brace
   */
  record Declaration(String name, int lastLine) {}

  private Scanner() {}

  /** {@code code} with every comment replaced by spaces (line ends kept). */
  static String withoutComments(String code) {
    StringBuilder out = new StringBuilder(code);
    int i = 0;
    while (i < code.length()) {
      int next = skipLiteral(code, i);
      if (next != i) {
        i = next;
      } else if (code.startsWith("//", i)) {
        while (i < code.length() && code.charAt(i) != '\n') {
          out.setCharAt(i++, ' ');
        }
      } else if (code.startsWith("/*", i)) {
        int end = code.indexOf("*/", i + 2);
        end = end < 0 ? code.length() : end + 2;
        for (; i < end; i++) {
          if (code.charAt(i) != '\n') {
            out.setCharAt(i, ' ');
          }
        }
      } else {
        i++;
      }
    }
    return out.toString();
  }

  /** The index after the parenthesis that closes the one at {@code open}. */
  static int afterParentheses(String code, int open) {
    String plain = withoutComments(code);
    int depth = 0;
    int i = open;
    while (i < plain.length()) {
      int next = skipLiteral(plain, i);
      if (next != i) {
        i = next;
        continue;
      }
      char c = plain.charAt(i++);
      if (c == '(') {
        depth++;
      } else if (c == ')' && --depth == 0) {
        return i;
      }
    }
    return plain.length();
  }

  /** The top-level types of {@code code}, in order. */
  static List<Declaration> topLevelTypes(String code) {
    String plain = withoutComments(code);
    List<Declaration> types = new ArrayList<>();
    int braces = 0;
    int parentheses = 0;
    String pending = null;
    int i = 0;
    while (i < plain.length()) {
      int next = skipLiteral(plain, i);
      if (next != i) {
        i = next;
        continue;
      }
      char c = plain.charAt(i);
      if (Character.isJavaIdentifierStart(c)) {
        int end = i;
        while (end < plain.length() && Character.isJavaIdentifierPart(plain.charAt(end))) {
          end++;
        }
        String word = plain.substring(i, end);
        boolean qualified = i > 0 && plain.charAt(i - 1) == '.'; // Foo.class in an annotation
        if (braces == 0
            && parentheses == 0
            && pending == null
            && !qualified
            && TYPE_KEYWORDS.contains(word)) {
          int name = end;
          while (name < plain.length() && Character.isWhitespace(plain.charAt(name))) {
            name++;
          }
          int nameEnd = name;
          while (nameEnd < plain.length()
              && Character.isJavaIdentifierPart(plain.charAt(nameEnd))) {
            nameEnd++;
          }
          pending = plain.substring(name, nameEnd);
          i = nameEnd;
        } else {
          i = end;
        }
        continue;
      }
      if (c == '(') {
        parentheses++;
      } else if (c == ')') {
        parentheses--;
      } else if (c == '{') {
        braces++;
      } else if (c == '}' && --braces == 0 && pending != null) {
        types.add(new Declaration(pending, lineOf(plain, i)));
        pending = null;
      }
      i++;
    }
    return types;
  }

  private static int lineOf(String text, int index) {
    int line = 0;
    for (int i = 0; i < index; i++) {
      if (text.charAt(i) == '\n') {
        line++;
      }
    }
    return line;
  }

  /**
   * The index after a string, text block or character literal starting at {@code i}, else {@code
   * i}.
   */
  private static int skipLiteral(String code, int i) {
    if (code.startsWith("\"\"\"", i)) {
      int end = i + 3;
      while (end < code.length() && !code.startsWith("\"\"\"", end)) {
        end += code.charAt(end) == '\\' ? 2 : 1;
      }
      return Math.min(code.length(), end + 3);
    }
    char c = code.charAt(i);
    if (c == '"' || c == '\'') {
      int end = i + 1;
      while (end < code.length() && code.charAt(end) != c && code.charAt(end) != '\n') {
        end += code.charAt(end) == '\\' ? 2 : 1;
      }
      return Math.min(code.length(), end + 1);
    }
    return i;
  }
}
