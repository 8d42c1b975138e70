package dev.llmcompiler.runtime.internal;

import dev.llmcompiler.runtime.llm.LlmException;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Masks credentials in text that came from a provider (error bodies, exception messages) before it
 * reaches an exception message, a trace or a log line. Servers echo keys back: OpenAI-compatible
 * servers answer a bad key with {@code Incorrect API key provided: sk-...}.
 *
 * <p>Masked are the configured secrets wherever they occur, and strings shaped like credentials:
 * tokens with a well-known key prefix ({@code sk-}, {@code sk-proj-}, {@code sk_live_}, {@code
 * gsk_}, {@code hf_}, {@code ghp_}, {@code github_pat_}, {@code xoxb-}, {@code AIza}, {@code AKIA},
 * JSON web tokens, ...), the token after {@code Bearer} or {@code Basic}, the value after a label
 * such as {@code api_key=} or {@code "password":}, and the user info of a URL. The prefix or label
 * stays, so a reader still sees what kind of credential it was:
 *
 * <pre>{@code
 * Secrets.mask("Incorrect API key provided: sk-SECRET-CANARY-123", List.of())
 *     // "Incorrect API key provided: sk-***"
 * }</pre>
 *
 * <p>One pass over the text, each character looked at a bounded number of times: linear time, so a
 * hostile error body cannot stall the caller.
 */
public final class Secrets {
  /** What replaces a secret. */
  public static final String MASK = "***";

  /** Configured secrets shorter than this are not masked: they would garble ordinary words. */
  static final int MIN_KNOWN_LENGTH = 8;

  /** How many key characters must follow a key prefix for the token to count as a key. */
  static final int MIN_KEY_LENGTH = 10;

  /** How long a value after {@code Bearer} or a label must be to count as a credential. */
  static final int MIN_VALUE_LENGTH = 8;

  private static final List<String> KEY_PREFIXES =
      List.of(
          "sk-",
          "sk_",
          "rk_",
          "pk_live_",
          "gsk_",
          "hf_",
          "ghp_",
          "gho_",
          "ghu_",
          "ghs_",
          "ghr_",
          "github_pat_",
          "glpat-",
          "xoxb-",
          "xoxp-",
          "xoxa-",
          "xoxr-",
          "xapp-",
          "AIza",
          "AKIA",
          "ASIA",
          "eyJ");
  private static final List<String> SCHEMES = List.of("bearer", "basic");
  private static final List<String> LABELS =
      List.of(
          "api_key",
          "api-key",
          "apikey",
          "x-api-key",
          "access_token",
          "access-token",
          "refresh_token",
          "id_token",
          "client_secret",
          "secret_key",
          "secret",
          "password",
          "passwd",
          "authorization");

  /**
   * The characters a prefix, scheme or label may start with, so most positions are passed over at
   * once.
   */
  private static final boolean[] FIRST = firstCharacters();

  private static final int MAX_CAUSES = 20;
  private static final int MAX_COPIES = 50;

  private Secrets() {}

  /** {@code text} with credential-shaped strings masked; {@code null} stays {@code null}. */
  public static String mask(String text) {
    return mask(text, List.of());
  }

  /**
   * {@code text} with every occurrence of the {@code known} secrets (those of at least {@value
   * #MIN_KNOWN_LENGTH} characters) and every credential-shaped string masked; {@code null} stays
   * {@code null}.
   */
  public static String mask(String text, Collection<String> known) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    String masked = text;
    for (String secret : known) {
      if (secret != null && secret.length() >= MIN_KNOWN_LENGTH && masked.contains(secret)) {
        masked = masked.replace(secret, MASK);
      }
    }
    return maskShapes(masked);
  }

  /**
   * {@code error} itself if no message in its chain of causes and suppressed exceptions holds a
   * secret, else a copy of the chain with the messages masked: an {@link LlmException} stays one
   * (same kind and status), any other exception becomes a stand-in that prints as the original
   * class with the masked message and keeps the original stack trace.
   */
  public static Throwable mask(Throwable error, Collection<String> known) {
    if (error == null || isClean(error, known, new IdentityHashMap<>(), 0)) {
      return error;
    }
    return copy(error, known, new int[] {MAX_COPIES});
  }

  /** {@link #mask(Throwable, Collection)} for an {@link LlmException}, which stays one. */
  public static LlmException mask(LlmException error, Collection<String> known) {
    return (LlmException) mask((Throwable) error, known);
  }

  private static boolean isClean(
      Throwable error, Collection<String> known, Map<Throwable, Boolean> seen, int depth) {
    if (error == null || seen.put(error, Boolean.TRUE) != null) {
      return true;
    }
    if (depth > MAX_CAUSES) {
      return false;
    }
    String message = error.getMessage();
    if (message != null && !message.equals(mask(message, known))) {
      return false;
    }
    for (Throwable suppressed : error.getSuppressed()) {
      if (!isClean(suppressed, known, seen, depth + 1)) {
        return false;
      }
    }
    return isClean(error.getCause(), known, seen, depth + 1);
  }

  /**
   * A masked copy of {@code error}'s chain; {@code budget} bounds how many exceptions are copied in
   * all, so a pathological chain cannot make this slow (what is over the budget is left out, never
   * kept unmasked).
   */
  private static Throwable copy(Throwable error, Collection<String> known, int[] budget) {
    if (error == null || budget[0]-- <= 0) {
      return null;
    }
    String message = mask(error.getMessage(), known);
    Throwable cause = error.getCause() == error ? null : copy(error.getCause(), known, budget);
    Throwable copied =
        error instanceof LlmException llm
            ? new LlmException(llm.kind(), llm.statusCode().orElse(-1), message, cause)
            : new MaskedException(error.getClass().getName(), message, cause);
    copied.setStackTrace(error.getStackTrace());
    for (Throwable suppressed : error.getSuppressed()) {
      Throwable masked = copy(suppressed, known, budget);
      if (masked != null) {
        copied.addSuppressed(masked);
      }
    }
    return copied;
  }

  /**
   * An exception whose message held a secret, standing in for it with the message masked: it prints
   * as the original class and has the original's stack trace.
   */
  public static final class MaskedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String originalClass;

    MaskedException(String originalClass, String maskedMessage, Throwable maskedCause) {
      super(maskedMessage, maskedCause);
      this.originalClass = originalClass;
    }

    /** The name of the class of the exception this one stands in for. */
    public String originalClass() {
      return originalClass;
    }

    @Override
    public String toString() {
      String message = getLocalizedMessage();
      return message == null ? originalClass : originalClass + ": " + message;
    }
  }

  private static String maskShapes(String text) {
    StringBuilder out = null;
    int copied = 0;
    int i = 0;
    while (i < text.length()) {
      long span = secretAt(text, i);
      if (span < 0) {
        i++;
        continue;
      }
      int from = (int) (span >>> 32);
      int to = (int) span;
      if (out == null) {
        out = new StringBuilder(text.length());
      }
      out.append(text, copied, from).append(MASK);
      copied = to;
      i = to;
    }
    if (out == null) {
      return text;
    }
    return out.append(text, copied, text.length()).toString();
  }

  /**
   * The secret whose prefix, scheme or label starts at {@code i}, as {@code (from << 32) | to} of
   * the part to mask, or -1.
   */
  private static long secretAt(String text, int i) {
    char c = text.charAt(i);
    if (c == ':' && text.startsWith("://", i)) {
      return userInfo(text, i + 3);
    }
    if (c >= FIRST.length || !FIRST[c] || (i > 0 && isKeyChar(text.charAt(i - 1)))) {
      return -1;
    }
    for (String prefix : KEY_PREFIXES) {
      if (text.startsWith(prefix, i)) {
        boolean dots = prefix.equals("eyJ");
        int start = i + prefix.length();
        int end = start;
        while (end < text.length()
            && (isKeyChar(text.charAt(end)) || (dots && text.charAt(end) == '.'))) {
          end++;
        }
        return end - start >= MIN_KEY_LENGTH ? span(start, end) : -1;
      }
    }
    for (String scheme : SCHEMES) {
      if (text.regionMatches(true, i, scheme, 0, scheme.length())) {
        int start = skip(text, i + scheme.length(), " \t");
        if (start == i + scheme.length()) {
          return -1;
        }
        int end = start;
        while (end < text.length() && isTokenChar(text.charAt(end))) {
          end++;
        }
        return end - start >= MIN_VALUE_LENGTH ? span(start, end) : -1;
      }
    }
    for (String label : LABELS) {
      if (text.regionMatches(true, i, label, 0, label.length())) {
        return labelled(text, i + label.length());
      }
    }
    return -1;
  }

  /** The value after a label such as {@code api_key} ({@code =value}, {@code : "value"}), or -1. */
  private static long labelled(String text, int afterLabel) {
    if (afterLabel < text.length() && isKeyChar(text.charAt(afterLabel))) {
      return -1;
    }
    int separator = skip(text, afterLabel, " \t\"'");
    if (separator >= text.length()
        || (text.charAt(separator) != '=' && text.charAt(separator) != ':')) {
      return -1;
    }
    int start = skip(text, separator + 1, " \t\"'");
    int end = start;
    while (end < text.length()
        && !Character.isWhitespace(text.charAt(end))
        && "\"',;&)}]".indexOf(text.charAt(end)) < 0) {
      end++;
    }
    return end - start >= MIN_VALUE_LENGTH ? span(start, end) : -1;
  }

  /**
   * The user info of a URL ({@code https://user:pass@host}), from {@code start} up to {@code @}, or
   * -1.
   */
  private static long userInfo(String text, int start) {
    int end = start;
    while (end < text.length() && "/?#@\"'<> \t\r\n".indexOf(text.charAt(end)) < 0) {
      end++;
    }
    return end < text.length() && text.charAt(end) == '@' && end > start ? span(start, end) : -1;
  }

  private static boolean[] firstCharacters() {
    boolean[] first = new boolean[128];
    for (String prefix : KEY_PREFIXES) {
      first[prefix.charAt(0)] = true;
    }
    for (List<String> words : List.of(SCHEMES, LABELS)) {
      for (String word : words) {
        first[Character.toLowerCase(word.charAt(0))] = true;
        first[Character.toUpperCase(word.charAt(0))] = true;
      }
    }
    return first;
  }

  private static long span(int from, int to) {
    return ((long) from << 32) | (to & 0xffffffffL);
  }

  private static int skip(String text, int from, String chars) {
    int i = from;
    while (i < text.length() && chars.indexOf(text.charAt(i)) >= 0) {
      i++;
    }
    return i;
  }

  /** Characters of API keys: letters, digits, {@code _} and {@code -}. */
  private static boolean isKeyChar(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '_'
        || c == '-';
  }

  /** Characters of bearer tokens (RFC 6750's b64token). */
  private static boolean isTokenChar(char c) {
    return isKeyChar(c) || c == '.' || c == '~' || c == '+' || c == '/' || c == '=';
  }
}
