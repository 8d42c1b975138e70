package dev.llmcompiler.runtime;

import java.util.Objects;
import java.util.Optional;

/**
 * A {@link ToolApprover}'s decision on one tool call: allow it, or deny it with a reason the
 * planner and the joiner will read. Immutable.
 *
 * <pre>{@code
 * ToolApprover approver = request -> request.arguments().path("cents").asLong() <= 10_000
 *     ? ToolApproval.allow()
 *     : ToolApproval.deny("charges above 100.00 need a manager");
 * }</pre>
 */
public final class ToolApproval {
  private static final ToolApproval ALLOW = new ToolApproval(null);

  /** Why the call was denied, or {@code null} if it is allowed. */
  private final String reason;

  private ToolApproval(String reason) {
    this.reason = reason;
  }

  /** Lets the call run. */
  public static ToolApproval allow() {
    return ALLOW;
  }

  /**
   * Stops the call before its tool is reached: the task fails with {@code "denied by the approver:
   * <reason>"}, and the tasks that depend on it are skipped.
   *
   * @param reason why, for the model and the trace, e.g. {@code "the user declined"}; not blank
   */
  public static ToolApproval deny(String reason) {
    Objects.requireNonNull(reason, "reason");
    if (reason.isBlank()) {
      throw new IllegalArgumentException(
          "A denial needs a reason the model can act on, e.g. \"the user declined\".");
    }
    return new ToolApproval(reason.strip());
  }

  /** Whether the call may run. */
  public boolean allowed() {
    return reason == null;
  }

  /** Why the call was denied; empty when it is allowed. */
  public Optional<String> reason() {
    return Optional.ofNullable(reason);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ToolApproval approval && Objects.equals(reason, approval.reason);
  }

  @Override
  public int hashCode() {
    return Objects.hashCode(reason);
  }

  @Override
  public String toString() {
    return reason == null ? "ToolApproval[allow]" : "ToolApproval[deny: " + reason + "]";
  }
}
