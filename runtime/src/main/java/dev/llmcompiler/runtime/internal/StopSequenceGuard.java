package dev.llmcompiler.runtime.internal;

import java.util.List;

/**
 * Enforces the request's stop sequences on the client side too: some servers and client libraries
 * echo the stop sequence or run past it, while {@code LlmClient}'s contract promises text that ends
 * before the first one. One guard serves one call; it is not thread-safe.
 *
 * <p>A delta that ends with the beginning of a stop sequence is held back until the next delta
 * shows whether the sequence completes, so a stop sequence split across chunks is still caught.
 * Work per delta is linear in its length (times the few, short stop sequences).
 *
 * <p>For the project's {@code LlmClient} implementations only: no compatibility promise.
 */
public final class StopSequenceGuard {
  private final List<String> stops;
  private final StringBuilder held = new StringBuilder();
  private boolean stopped;

  /** A guard for these stop sequences; none means every delta passes unchanged. */
  public StopSequenceGuard(List<String> stops) {
    this.stops = List.copyOf(stops);
  }

  /** True once a stop sequence was seen: everything after it is dropped. */
  public boolean stopped() {
    return stopped;
  }

  /** Takes the next delta and returns the text that may be delivered now (possibly empty). */
  public String accept(String delta) {
    if (stopped) {
      return "";
    }
    if (stops.isEmpty()) {
      return delta;
    }
    held.append(delta);
    int cut = earliestStop();
    if (cut >= 0) {
      stopped = true;
      String out = held.substring(0, cut);
      held.setLength(0);
      return out;
    }
    int keep = longestSuffixStartingAStop();
    String out = held.substring(0, held.length() - keep);
    held.delete(0, held.length() - keep);
    return out;
  }

  /** The stream ended: returns what was held back, which turned out not to be a stop sequence. */
  public String flush() {
    String out = held.toString();
    held.setLength(0);
    return out;
  }

  private int earliestStop() {
    int earliest = -1;
    for (String stop : stops) {
      int at = held.indexOf(stop);
      if (at >= 0 && (earliest < 0 || at < earliest)) {
        earliest = at;
      }
    }
    return earliest;
  }

  private int longestSuffixStartingAStop() {
    int longest = 0;
    for (String stop : stops) {
      int max = Math.min(stop.length() - 1, held.length());
      for (int k = max; k > longest; k--) {
        if (heldEndsWith(stop, k)) {
          longest = k;
          break;
        }
      }
    }
    return longest;
  }

  /** Whether the held text ends with the first {@code length} characters of {@code stop}. */
  private boolean heldEndsWith(String stop, int length) {
    int offset = held.length() - length;
    for (int i = 0; i < length; i++) {
      if (held.charAt(offset + i) != stop.charAt(i)) {
        return false;
      }
    }
    return true;
  }
}
