package dev.llmcompiler.samples;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The tool results a recorded answer is computed from, by task (or ReAct step) id, as the offline
 * model read them from its prompt. Asking for a result that is missing throws {@link Missing}, so
 * the replayed answer is never made up.
 */
final class ToolResults {
  private final Map<Integer, JsonNode> results = new LinkedHashMap<>();
  private final Map<Integer, String> failures = new LinkedHashMap<>();

  void put(int id, JsonNode result) {
    results.put(id, result);
  }

  void fail(int id, String error) {
    failures.put(id, error);
  }

  int size() {
    return results.size() + failures.size();
  }

  /** The whole result of task {@code id}. */
  JsonNode result(int id) {
    JsonNode result = results.get(id);
    if (result == null) {
      throw new Missing(
          failures.containsKey(id)
              ? "task " + id + " failed: " + failures.get(id)
              : "task " + id + " has no result");
    }
    return result;
  }

  /** The result of task {@code id}, which must be a number (a {@code math} result). */
  double number(int id) {
    JsonNode result = result(id);
    if (!result.isNumber()) {
      throw new Missing("task " + id + " returned " + result + ", not a number");
    }
    return result.doubleValue();
  }

  /** A numeric field of the result of task {@code id}, e.g. an article's {@code value}. */
  double number(int id, String field) {
    JsonNode value = result(id).path(field);
    if (!value.isNumber()) {
      throw new Missing(
          "task " + id + " has no number '" + field + "' (it returned " + result(id) + ")");
    }
    return value.doubleValue();
  }

  /** An article's headline figure. */
  double value(int id) {
    return number(id, "value");
  }

  /** An article's title. */
  String title(int id) {
    JsonNode title = result(id).path("title");
    if (!title.isTextual() || !result(id).path("found").asBoolean(true)) {
      throw new Missing("task " + id + " found no entry (it returned " + result(id) + ")");
    }
    return title.asText();
  }

  /** Thrown when a recorded answer needs a result the run does not have. */
  static final class Missing extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Missing(String message) {
      super(message);
    }
  }
}
