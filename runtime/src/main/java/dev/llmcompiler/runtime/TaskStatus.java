package dev.llmcompiler.runtime;

import java.util.Locale;

/**
 * How a task of a run ended, as the trace records it ({@code "ok"}, {@code "error"}, {@code
 * "skipped"}).
 */
public enum TaskStatus {
  /** The tool ran and returned a result. */
  OK,
  /**
   * The task failed: the plan line could not be used, an argument or reference was wrong, the tool
   * threw or timed out, or the run was cancelled or passed its deadline while the task was pending.
   */
  ERROR,
  /** The task never ran because a task it depends on failed or was skipped. */
  SKIPPED;

  /** The lowercase name used in the trace JSON. */
  public String json() {
    return name().toLowerCase(Locale.ROOT);
  }

  static TaskStatus fromJson(String text) {
    for (TaskStatus status : values()) {
      if (status.json().equals(text)) {
        return status;
      }
    }
    throw new IllegalArgumentException(
        "Unknown task status '" + text + "': expected ok, error or skipped.");
  }
}
