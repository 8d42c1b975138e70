package dev.llmcompiler.runtime;

import java.time.Duration;
import java.util.Objects;

/**
 * Argument checks the builders of {@link LlmCompiler} and {@link ReActAgent} share (see {@link
 * BaseBuilder}).
 */
final class BuilderChecks {
  private BuilderChecks() {}

  static Duration positive(Duration duration, String what) {
    Objects.requireNonNull(duration, what);
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException(what + " must be positive, got " + duration);
    }
    return duration;
  }

  /**
   * {@code value}, which the setting {@code name} must have set: without it, an {@link
   * IllegalStateException} says so and how to set it ({@code call}, e.g. {@code
   * ".llm(yourLlmClient)"}).
   */
  static <T> T required(T value, String name, String call) {
    if (value == null) {
      throw new IllegalStateException(
          "`" + name + "` is required but was not set: call " + call + ".");
    }
    return value;
  }

  static int atLeast(int value, int minimum, String what) {
    if (value < minimum) {
      throw new IllegalArgumentException(what + " must be at least " + minimum + ", got " + value);
    }
    return value;
  }
}
