package dev.llmcompiler.runtime;

import dev.llmcompiler.runtime.internal.Json;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code Thought: ...} / {@code Action: Keyword(content)} text as models really write it:
 * with or without the {@code Action:} prefix, any letter case, round or square brackets, content
 * holding parentheses, quotes, newlines or markdown, and a missing or unbalanced closing bracket.
 */
final class ActionText {
  /** What was read: the keyword in lowercase, the bracket's content, and the thought before it. */
  record Action(String keyword, String content, String thought) {}

  private static final Pattern THOUGHT = Pattern.compile(
      "(?is)thought\\s*:\\s*(.*?)(?=\\n\\s*[*_`#>-]*\\s*action\\s*:|\\baction\\s*:|$)");

  private static final Pattern ACTION_LABEL = Pattern.compile("(?i)\\baction\\s*:");
  /** Compiled patterns by keyword alternation: a handful of entries, compiled once each. */
  private static final Map<String, Pattern[]> PATTERNS = new ConcurrentHashMap<>();

  private ActionText() {}

  /**
   * Finds the first action among {@code keywords} (an alternation such as {@code "finish|replan"}).
   * Prefers one written after {@code Action:}, then one at the start of a line, then any.
   */
  static Optional<Action> parse(String text, String keywords) {
    Pattern[] patterns = PATTERNS.computeIfAbsent(keywords, ActionText::compile);
    for (int i = 0; i < 3; i++) {
      Matcher matcher = patterns[i].matcher(text);
      if (matcher.find()) {
        char open = matcher.group(2).charAt(0);
        String content = bracketContent(text, matcher.end(), open == '(' ? ')' : ']', open);
        return Optional.of(new Action(matcher.group(1).toLowerCase(Locale.ROOT), unquote(content.strip()),
            thought(text, matcher.start())));
      }
    }
    // "Action: Finish: the answer" or "Action: Finish the answer": everything after the keyword.
    Matcher bare = patterns[3].matcher(text);
    if (bare.find()) {
      return Optional.of(new Action(bare.group(1).toLowerCase(Locale.ROOT), unquote(bare.group(2).strip()),
          thought(text, bare.start())));
    }
    return Optional.empty();
  }

  /** The {@code Thought:} of a reply: its text up to {@code Action:}, or {@code ""} if it has none. */
  static String thought(String text) {
    Matcher action = ACTION_LABEL.matcher(text);
    return thought(text, action.find() ? action.start() : text.length());
  }

  private static Pattern[] compile(String keywords) {
    return new Pattern[] {
        Pattern.compile("(?i)action\\s*:\\s*[*_`]*\\s*(" + keywords + ")[*_`]*\\s*([(\\[])"),
        Pattern.compile("(?im)^[\\s*_`>#-]*(" + keywords + ")[*_`]*\\s*([(\\[])"),
        Pattern.compile("(?i)\\b(" + keywords + ")[*_`]*\\s*([(\\[])"),
        Pattern.compile("(?is)action\\s*:\\s*[*_`]*\\s*(" + keywords + ")\\b\\s*:?\\s*(.*)")
    };
  }

  /** The text from {@code start} to its closing bracket (see class comment for how that is chosen). */
  private static String bracketContent(String text, int start, char close, char open) {
    // 1. The last closing bracket with nothing but blanks and trailing markdown after it: handles
    //    answers with unbalanced brackets inside, e.g. "Finish(1) first, 2) second)".
    int last = text.lastIndexOf(close);
    if (last >= start && text.substring(last + 1).strip().replaceAll("[.*_`\\s]", "").isEmpty()) {
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
    return text.substring(start);
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

  private static String thought(String text, int actionStart) {
    Matcher matcher = THOUGHT.matcher(text.substring(0, actionStart));
    return matcher.find() ? matcher.group(1).strip() : "";
  }
}
