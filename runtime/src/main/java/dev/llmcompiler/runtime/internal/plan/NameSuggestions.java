package dev.llmcompiler.runtime.internal.plan;

import java.util.Collection;
import java.util.Locale;

/** Finds the name a planner probably meant when it misspelled one ("serch" for "search"). */
final class NameSuggestions {

  private NameSuggestions() {}

  /**
   * The candidate closest to {@code written} by edit distance, ignoring case, if it is close enough
   * to be a plausible typo (at most a third of the shorter name's length, at least one edit);
   * otherwise {@code null}. Ties go to the earlier candidate.
   */
  static String closest(String written, Collection<String> candidates) {
    String target = written.toLowerCase(Locale.ROOT);
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : candidates) {
      String lower = candidate.toLowerCase(Locale.ROOT);
      int allowed = Math.max(1, Math.min(target.length(), lower.length()) / 3);
      if (Math.abs(lower.length() - target.length()) > allowed) {
        continue;
      }
      int distance = distance(target, lower);
      if (distance <= allowed && distance < bestDistance) {
        best = candidate;
        bestDistance = distance;
      }
    }
    return best;
  }

  /** Levenshtein distance with two rolling rows. */
  private static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
