package dev.llmcompiler.benchmarks;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import com.knuddels.jtokkit.api.IntArrayList;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Counts and splits text into real BPE tokens with jtokkit: {@code cl100k_base} (GPT-3.5/GPT-4, the
 * paper's models) by default, {@code o200k_base} (GPT-4o) on request.
 */
final class Tokens {
  private static final Tokens CL100K = new Tokens(EncodingType.CL100K_BASE);
  private static final Tokens O200K = new Tokens(EncodingType.O200K_BASE);

  private final Encoding encoding;
  private final String name;

  private Tokens(EncodingType type) {
    this.encoding = Encodings.newDefaultEncodingRegistry().getEncoding(type);
    this.name = type.getName();
  }

  /** The tokenizer of GPT-3.5-turbo, the model of the paper's latency figures. */
  static Tokens cl100k() {
    return CL100K;
  }

  /** The tokenizer of GPT-4o. */
  static Tokens o200k() {
    return O200K;
  }

  /** {@code cl100k_base} or {@code o200k_base}. */
  static Tokens named(String name) {
    switch (name.toLowerCase(Locale.ROOT)) {
      case "cl100k":
      case "cl100k_base":
        return CL100K;
      case "o200k":
      case "o200k_base":
        return O200K;
      default:
        throw new IllegalArgumentException(
            "Unknown tokenizer '" + name + "': use cl100k or o200k.");
    }
  }

  String name() {
    return name;
  }

  int count(String text) {
    return text.isEmpty() ? 0 : encoding.countTokens(text);
  }

  /** The token ids of {@code text}. */
  int[] encode(String text) {
    if (text.isEmpty()) {
      return new int[0];
    }
    IntArrayList ids = encoding.encode(text);
    int[] array = new int[ids.size()];
    for (int i = 0; i < array.length; i++) {
      array[i] = ids.get(i);
    }
    return array;
  }

  /**
   * The text cut into one piece per token, in order, so that the pieces join back to the text; a
   * token that ends inside a multi-byte character is merged with the next one.
   */
  List<String> split(String text) {
    List<String> pieces = new ArrayList<>();
    if (text.isEmpty()) {
      return pieces;
    }
    IntArrayList ids = encoding.encode(text);
    int consumed = 0;
    IntArrayList pending = new IntArrayList();
    for (int i = 0; i < ids.size(); i++) {
      pending.add(ids.get(i));
      String decoded = encoding.decode(pending);
      if (!decoded.contains("\uFFFD") && text.startsWith(decoded, consumed)) {
        pieces.add(decoded);
        consumed += decoded.length();
        pending = new IntArrayList();
      }
    }
    if (consumed < text.length()) {
      pieces.add(text.substring(consumed));
    }
    return pieces;
  }
}
