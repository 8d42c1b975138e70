package dev.llmcompiler.benchmarks;

import java.util.HashSet;
import java.util.Set;

/**
 * A provider's automatic prompt cache, as OpenAI documents it for gpt-4o and newer: prompts of
 * 1,024 tokens or more are cached, and a request is served from the cache for the longest prefix it
 * shares with an earlier request, counted in whole blocks: 1,024 tokens, then steps of 128. A
 * prompt is a sequence of token ids (with markers where messages start, as a chat template has).
 *
 * <p>Thread-safe. Prefixes are remembered by a 64-bit hash at each block boundary, so a request
 * costs time linear in its length whatever came before.
 */
final class PromptCache {
  static final int MINIMUM = 1024;
  static final int BLOCK = 128;

  private final Set<Long> prefixes = new HashSet<>();

  /**
   * The tokens of {@code prompt} served from the cache (0, 1024, 1152, ...), and remembers the
   * prompt's own prefixes for later requests.
   */
  synchronized int lookUpAndAdd(int[] prompt) {
    int cached = 0;
    boolean hit = true;
    long hash = 17;
    for (int i = 0; i < prompt.length; i++) {
      hash = hash * 1_000_003L + prompt[i];
      int length = i + 1;
      if (length >= MINIMUM && (length - MINIMUM) % BLOCK == 0) {
        long key = hash * 31 + length;
        hit = hit && prefixes.contains(key);
        if (hit) {
          cached = length;
        }
        prefixes.add(key);
      }
    }
    return cached;
  }
}
