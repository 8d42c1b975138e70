package dev.llmcompiler.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PromptCacheTest {
  private static int[] tokens(int length, int seed) {
    int[] tokens = new int[length];
    for (int i = 0; i < length; i++) {
      tokens[i] = seed * 100_000 + i;
    }
    return tokens;
  }

  @Test
  void aRepeatedPrefixIsServedInWholeBlocksFrom1024Tokens() {
    PromptCache cache = new PromptCache();
    int[] first = tokens(1300, 1);
    assertThat(cache.lookUpAndAdd(first)).as("nothing cached yet").isZero();
    assertThat(cache.lookUpAndAdd(first)).as("1024 + 2 x 128 of 1300").isEqualTo(1280);

    // Shares 1100 tokens with the first: only the 1024-token block matches.
    int[] diverging = Arrays.copyOf(first, 1300);
    diverging[1100] = -5;
    assertThat(cache.lookUpAndAdd(diverging)).isEqualTo(1024);
    // A different start shares nothing, however long.
    assertThat(cache.lookUpAndAdd(tokens(3000, 2))).isZero();
  }

  @Test
  void promptsShorterThan1024TokensAreNeverCached() {
    PromptCache cache = new PromptCache();
    int[] prompt = tokens(1023, 3);
    cache.lookUpAndAdd(prompt);
    assertThat(cache.lookUpAndAdd(prompt)).isZero();
    // A longer prompt with the same first 1023 tokens has no earlier 1024-token block to match
    // either.
    assertThat(cache.lookUpAndAdd(Arrays.copyOf(prompt, 2000))).isZero();
  }
}
