package dev.llmcompiler.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmcompiler.runtime.internal.Json;
import java.util.Objects;

/**
 * One model call of a round as it happened: what it asked for and when it ran. Part of a {@link
 * RoundTrace}; times are milliseconds since the run started, as for tasks.
 *
 * <pre>{@code
 * for (LlmCallTrace call : result.trace().rounds().get(0).llmCalls()) {
 *   System.out.println(call.purpose() + " " + call.startMs() + ".." + call.endMs() + " ms");
 * }
 * }</pre>
 */
public final class LlmCallTrace {
  private final String purpose;
  private final long startMs;
  private final long endMs;

  LlmCallTrace(String purpose, long startMs, long endMs) {
    this.purpose = Objects.requireNonNull(purpose, "purpose");
    this.startMs = startMs;
    this.endMs = endMs;
  }

  /**
   * What the call was for, as its request said ({@link
   * dev.llmcompiler.runtime.llm.LlmRequest#purpose()}): {@code "planner"}, {@code "joiner"}
   * (retries included) or, for a {@link ReActAgent}, {@code "react"}.
   */
  public String purpose() {
    return purpose;
  }

  /** When the call was made, in ms since the run started. */
  public long startMs() {
    return startMs;
  }

  /** When the call ended (answered, failed or was cancelled), in ms since the run started. */
  public long endMs() {
    return endMs;
  }

  ObjectNode toJsonNode() {
    ObjectNode node = Json.object();
    node.put("purpose", purpose);
    node.put("startMs", startMs);
    node.put("endMs", endMs);
    return node;
  }

  static LlmCallTrace fromJsonNode(JsonNode node) {
    String where = "A trace LLM call";
    return new LlmCallTrace(
        Json.require(node, "purpose", where).asText(),
        Json.require(node, "startMs", where).asLong(),
        Json.require(node, "endMs", where).asLong());
  }

  @Override
  public String toString() {
    return "LlmCallTrace" + toJsonNode();
  }
}
