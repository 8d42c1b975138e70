package dev.llmcompiler.processor.model;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads descriptions out of Javadoc comments as {@code Elements.getDocComment} returns them. */
public final class Docs {
  private static final Pattern BLOCK_TAG = Pattern.compile("(?m)^\\s*@(\\w+)");
  private static final Pattern INLINE_TAG = Pattern.compile("\\{@(\\w+)\\s*([^}]*)}");
  private static final Pattern HTML_TAG = Pattern.compile("</?[a-zA-Z][^>]*>");

  private Docs() {}

  /**
   * The main text of a comment (before its first block tag), as one normalized line; "" if none.
   */
  public static String mainText(String comment) {
    if (comment == null) {
      return "";
    }
    Matcher tag = BLOCK_TAG.matcher(comment);
    return clean(tag.find() ? comment.substring(0, tag.start()) : comment);
  }

  /** The text of the comment's {@code @param name} tag, as one normalized line; "" if none. */
  public static String paramText(String comment, String name) {
    if (comment == null) {
      return "";
    }
    Matcher tag = BLOCK_TAG.matcher(comment);
    int start = -1;
    while (tag.find()) {
      if (start >= 0) {
        return clean(comment.substring(start, tag.start()));
      }
      if (tag.group(1).equals("param")) {
        Matcher param =
            Pattern.compile("\\G\\s+" + Pattern.quote(name) + "(?=\\s|$)").matcher(comment);
        if (param.find(tag.end())) {
          start = param.end();
        }
      }
    }
    return start >= 0 ? clean(comment.substring(start)) : "";
  }

  /** Renders inline tags as their text, drops HTML tags and collapses whitespace. */
  static String clean(String text) {
    Matcher inline = INLINE_TAG.matcher(text);
    StringBuilder out = new StringBuilder();
    while (inline.find()) {
      String body = inline.group(2).trim();
      if (inline.group(1).startsWith("link")) {
        // {@link Type#member label}: the label if any, otherwise the reference without a leading
        // '#'
        int space = body.indexOf(' ');
        body =
            space > 0
                ? body.substring(space + 1).trim()
                : body.startsWith("#") ? body.substring(1) : body;
      }
      inline.appendReplacement(out, Matcher.quoteReplacement(body));
    }
    inline.appendTail(out);
    return HTML_TAG.matcher(out).replaceAll(" ").replaceAll("\\s+", " ").trim();
  }
}
