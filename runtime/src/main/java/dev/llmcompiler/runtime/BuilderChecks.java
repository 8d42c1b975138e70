package dev.llmcompiler.runtime;

import java.time.Duration;
import java.util.Objects;

/** Argument checks the builders of {@link LlmCompiler} and {@link ReActAgent} share. */
final class BuilderChecks {
  private BuilderChecks() {}

  static Duration positive(Duration duration, String what) {
    Objects.requireNonNull(duration, what);
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException(what + " must be positive, got " + duration);
    }
    return duration;
  }

  static int atLeast(int value, int minimum, String what) {
    if (value < minimum) {
      throw new IllegalArgumentException(what + " must be at least " + minimum + ", got " + value);
    }
    return value;
  }
}
