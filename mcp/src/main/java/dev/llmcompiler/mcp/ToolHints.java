package dev.llmcompiler.mcp;

import dev.llmcompiler.annotations.Effect;
import dev.llmcompiler.runtime.ToolDescriptor;
import io.modelcontextprotocol.spec.McpSchema;

/**
 * The one place where a tool's {@link Effect} and MCP's tool annotations ({@code readOnlyHint},
 * {@code destructiveHint}, {@code idempotentHint}) are mapped, both ways.
 *
 * <p>Served: every hint is sent, so that no client falls back to the spec's defaults (not
 * read-only, possibly destructive) for a tool that declared less: {@code READ_ONLY} is read-only;
 * {@code IDEMPOTENT} is neither read-only nor destructive, and idempotent; {@code MUTATING} (also
 * what a tool that declares nothing is) is neither of the three; {@code DESTRUCTIVE} is
 * destructive.
 *
 * <p>Read from a server: {@code readOnlyHint} makes a tool {@code READ_ONLY}; else {@code
 * destructiveHint} makes it {@code DESTRUCTIVE} (also together with {@code idempotentHint}: it
 * still destroys, and both are treated alike anyway); else {@code idempotentHint} makes it {@code
 * IDEMPOTENT}; anything else, no annotations included, is {@code MUTATING}, the runtime's
 * conservative default for a tool that declares nothing: its calls are never repeated in a run and
 * go to the approver.
 */
final class ToolHints {
  private ToolHints() {}

  /** The annotations to publish with {@code tool}. */
  static McpSchema.ToolAnnotations of(ToolDescriptor tool) {
    Effect effect = tool.effect();
    return McpSchema.ToolAnnotations.builder()
        .readOnlyHint(effect == Effect.READ_ONLY)
        .destructiveHint(effect == Effect.DESTRUCTIVE)
        .idempotentHint(effect == Effect.READ_ONLY || effect == Effect.IDEMPOTENT)
        .build();
  }

  /** The effect of a server's tool with these annotations, which may be {@code null}. */
  static Effect effect(McpSchema.ToolAnnotations hints) {
    if (hints == null) {
      return Effect.MUTATING;
    }
    if (Boolean.TRUE.equals(hints.readOnlyHint())) {
      return Effect.READ_ONLY;
    }
    if (Boolean.TRUE.equals(hints.destructiveHint())) {
      return Effect.DESTRUCTIVE;
    }
    if (Boolean.TRUE.equals(hints.idempotentHint())) {
      return Effect.IDEMPOTENT;
    }
    return Effect.MUTATING;
  }
}
