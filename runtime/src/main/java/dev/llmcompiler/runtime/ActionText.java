package dev.llmcompiler.runtime;

import dev.llmcompiler.runtime.internal.Json;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads {@code Thought: ...} / {@code Action: Keyword(content)} replies, of the joiner and of the
 * ReAct agent.
 *
 * <p>Only an <b>Action line</b> holds an action: a line that starts (after blanks and markdown such
 * as {@code **}, {@code >}, {@code #} or {@code -}) with the label {@code Action:} in any letter
 * case. When a reply has several, the last one counts, so an action the model quotes in its thought
 * ("the result says Action: Finish(x), an injection") never decides anything, and neither does one
 * inside a quoted observation that the model's own action line follows. After the label come the
 * keyword, then its content in round or square brackets (holding parentheses, quotes, newlines or
 * markdown; a missing or unbalanced closing bracket is tolerated), or after a colon or a space.
 *
 * <p>Model text is untrusted, and a backtracking regular expression over it can take cubic time
 * (the old {@code THOUGHT} pattern spent 209 s on 8 KB of blank lines). So everything here is a
 * hand-written scan that looks at each character a bounded number of times: linear in the text.
 */
final class ActionText {
  /** What was read: the keyword in lowercase, the bracket's content, and the thought before it. */
  record Action(String keyword, String content, String thought) {}

  /**
   * An Action line.
   *
   * @param lineStart where its line starts
   * @param textStart where the text after the {@code Action:} label starts (the keyword or tool
   *     call)
   */
  record ActionLine(int lineStart, int textStart) {}

  private static final String LABEL = "action";
  private static final String THOUGHT = "thought";

  private ActionText() {}

  /**
   * The action of the last Action line whose keyword is one of {@code keywords} (lowercase, e.g.
   * {@code finish} and {@code replan}), if there is one.
   */
  static Optional<Action> parse(String text, List<String> keywords) {
    Optional<ActionLine> found = lastActionLine(text, keywords);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    ActionLine line = found.get();
    String keyword = keywordAt(text, line.textStart(), keywords);
    int afterKeyword = skip(text, line.textStart() + keyword.length(), "*_`");
    int bracket = skip(text, afterKeyword, " \t");
    String content;
    if (bracket < text.length() && (text.charAt(bracket) == '(' || text.charAt(bracket) == '[')) {
      char open = text.charAt(bracket);
      content = bracketContent(text, bracket + 1, open == '(' ? ')' : ']', open);
    } else {
      // "Action: Finish: the answer" or "Action: Finish the answer": everything after the keyword.
      int start = skip(text, afterKeyword, " \t");
      if (start < text.length() && text.charAt(start) == ':') {
        start++;
      }
      content = text.substring(start);
    }
    return Optional.of(
        new Action(keyword, unquote(content.strip()), thoughtBefore(text, line.lineStart())));
  }

  /**
   * The last Action line of {@code text} whose text after the label starts with one of {@code
   * keywords} as a whole word; with no keywords, the last Action line of any kind.
   */
  static Optional<ActionLine> lastActionLine(String text, List<String> keywords) {
    ActionLine last = null;
    int lineStart = 0;
    while (true) {
      int after = afterLabel(text, lineStart);
      if (after >= 0 && (keywords.isEmpty() || keywordAt(text, after, keywords) != null)) {
        last = new ActionLine(lineStart, after);
      }
      int next = nextLineStart(text, lineStart);
      if (next < 0) {
        return Optional.ofNullable(last);
      }
      lineStart = next;
    }
  }

  /** Whether the text at {@code at} is {@code keyword} (lowercase) as a whole word, in any case. */
  static boolean startsWithWord(String text, int at, String keyword) {
    return text.regionMatches(true, at, keyword, 0, keyword.length())
        && !isWordChar(text, at + keyword.length());
  }

  /**
   * The {@code Thought:} of a reply: its text up to the last Action line, or {@code ""} if it has
   * none.
   */
  static String thought(String text) {
    return thoughtBefore(
        text, lastActionLine(text, List.of()).map(ActionLine::lineStart).orElse(text.length()));
  }

  /**
   * The thought written before {@code end}: the text after the first {@code Thought:} label up to
   * {@code end}, stripped, or {@code ""} if there is no such label.
   */
  static String thoughtBefore(String text, int end) {
    int last = end - THOUGHT.length();
    for (int i = 0; i <= last; i++) {
      if (!text.regionMatches(true, i, THOUGHT, 0, THOUGHT.length())) {
        continue;
      }
      int colon = skip(text, i + THOUGHT.length(), " \t*_");
      if (colon < end && text.charAt(colon) == ':') {
        int start = Math.min(end, skip(text, colon + 1, "*_"));
        return text.substring(start, end).strip();
      }
    }
    return "";
  }

  /**
   * The text of a reply without a leading {@code Thought: ...} paragraph (up to its first blank
   * line), or the whole stripped text if that leaves nothing.
   */
  static String withoutThought(String text) {
    String stripped = text.strip();
    if (!stripped.regionMatches(true, 0, THOUGHT, 0, THOUGHT.length())) {
      return stripped;
    }
    int colon = skip(stripped, THOUGHT.length(), " \t\r\n\f\u000b");
    if (colon >= stripped.length() || stripped.charAt(colon) != ':') {
      return stripped;
    }
    String rest = "";
    int i = colon + 1;
    while (i < stripped.length()) {
      if (stripped.charAt(i) != '\n') {
        i++;
        continue;
      }
      int j = i + 1;
      while (j < stripped.length()
          && stripped.charAt(j) != '\n'
          && Character.isWhitespace(stripped.charAt(j))) {
        j++;
      }
      if (j < stripped.length() && stripped.charAt(j) == '\n') {
        rest = stripped.substring(j + 1).strip();
        break;
      }
      i = j;
    }
    return rest.isEmpty() ? stripped : rest;
  }

  /**
   * Where the text after an {@code Action:} label starting the line at {@code lineStart} begins
   * (after blanks, line breaks and markdown), or -1 if the line does not start with that label.
   */
  private static int afterLabel(String text, int lineStart) {
    int i = skip(text, lineStart, " \t*_`#>-");
    if (!text.regionMatches(true, i, LABEL, 0, LABEL.length())) {
      return -1;
    }
    i = skip(text, i + LABEL.length(), " \t*_`");
    if (i >= text.length() || text.charAt(i) != ':') {
      return -1;
    }
    return skip(text, i + 1, " \t\r\n*_`");
  }

  /**
   * The first of {@code keywords} that {@code text} has at {@code at} as a whole word, or {@code
   * null}.
   */
  private static String keywordAt(String text, int at, List<String> keywords) {
    for (String keyword : keywords) {
      if (startsWithWord(text, at, keyword)) {
        return keyword.toLowerCase(Locale.ROOT);
      }
    }
    return null;
  }

  /** The start of the line after the one starting at {@code from}, or -1 if it is the last line. */
  private static int nextLineStart(String text, int from) {
    for (int i = from; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\n') {
        return i + 1;
      }
      if (c == '\r') {
        return i + 1 < text.length() && text.charAt(i + 1) == '\n' ? i + 2 : i + 1;
      }
    }
    return -1;
  }

  private static boolean isWordChar(String text, int at) {
    if (at >= text.length()) {
      return false;
    }
    char c = text.charAt(at);
    return Character.isLetterOrDigit(c) || c == '_';
  }

  /** The first index from {@code from} on whose character is not one of {@code chars}. */
  private static int skip(String text, int from, String chars) {
    int i = from;
    while (i < text.length() && chars.indexOf(text.charAt(i)) >= 0) {
      i++;
    }
    return i;
  }

  /**
   * The text from {@code start} to its closing bracket (see the class comment for how that is
   * chosen).
   */
  private static String bracketContent(String text, int start, char close, char open) {
    // 1. The last closing bracket with nothing but blanks, dots and markdown after it: handles
    //    answers with unbalanced brackets inside, e.g. "Finish(1) first, 2) second)".
    int last = text.length() - 1;
    while (last >= start
        && (".*_`".indexOf(text.charAt(last)) >= 0 || Character.isWhitespace(text.charAt(last)))) {
      last--;
    }
    if (last >= start && text.charAt(last) == close) {
      return text.substring(start, last);
    }
    // 2. The bracket that balances the opening one, when more text follows it.
    int depth = 1;
    for (int i = start; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == open) {
        depth++;
      } else if (c == close && --depth == 0) {
        return text.substring(start, i);
      }
    }
    // 3. No closing bracket at all: the rest of the text.
    return text.substring(Math.min(start, text.length()));
  }

  private static String unquote(String content) {
    if (content.length() >= 2) {
      char first = content.charAt(0);
      char last = content.charAt(content.length() - 1);
      if (first == '"' && last == '"') {
        try {
          return Json.MAPPER.readValue(content, String.class);
        } catch (java.io.IOException e) {
          return content.substring(1, content.length() - 1);
        }
      }
      if (first == '\'' && last == '\'' && content.indexOf('\'', 1) == content.length() - 1) {
        return content.substring(1, content.length() - 1);
      }
    }
    return content;
  }
}
