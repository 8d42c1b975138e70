package dev.llmcompiler.mcp;

import dev.llmcompiler.runtime.ToolDescriptor;
import io.modelcontextprotocol.spec.McpSchema;

/**
 * The one place where a served tool's MCP annotations ({@code readOnlyHint}, {@code destructiveHint},
 * {@code idempotentHint}) are derived from what the runtime knows of the tool.
 *
 * <p>A {@link ToolDescriptor} does not yet say what a tool does to the world, so no hint is sent:
 * MCP clients then assume the spec's defaults (not read-only, possibly destructive), which is the
 * safe reading. When descriptors carry a tool's declared effect, it maps here: read-only to
 * {@code readOnlyHint}, idempotent to {@code idempotentHint}, destructive to {@code destructiveHint}.
 */
final class ToolHints {
  private ToolHints() {}

  /** The annotations to publish with {@code tool}; {@code null} (none) while descriptors carry no effect. */
  static McpSchema.ToolAnnotations of(ToolDescriptor tool) {
    return null;
  }
}
