package dev.llmcompiler.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmcompiler.annotations.Effect;
import dev.llmcompiler.runtime.internal.Json;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The tool calls of one run, by tool and arguments, so that no call runs twice: identical {@link
 * Effect#READ_ONLY} and {@link Effect#IDEMPOTENT} calls share one execution (a failed one is
 * forgotten, so a replan may try it again), and a {@link Effect#MUTATING} or {@link
 * Effect#DESTRUCTIVE} call is remembered whatever became of it, so a repeat is never executed.
 * Thread-safe; shared by the rounds of the run.
 */
final class CallMemo {
  /** What a call came to: its result, or the error its task ended with. */
  record Outcome(JsonNode result, String error) {
    boolean ok() {
      return error == null;
    }
  }

  /**
   * The first task of the run to make a call; the tasks that repeat it wait on {@link #outcome}.
   */
  static final class Entry {
    final String key;
    final int round;
    final int taskId;
    final Effect effect;
    final CompletableFuture<Outcome> outcome = new CompletableFuture<>();

    Entry(String key, int round, int taskId, Effect effect) {
      this.key = key;
      this.round = round;
      this.taskId = taskId;
      this.effect = effect;
    }

    /** Whether a repeat of this call must not run again whatever came of it. */
    boolean changesData() {
      return CallMemo.changesData(effect);
    }
  }

  private final Map<String, Entry> calls = new ConcurrentHashMap<>();

  /** Whether calls of a tool with this effect are remembered even when they fail. */
  static boolean changesData(Effect effect) {
    return effect == Effect.MUTATING || effect == Effect.DESTRUCTIVE;
  }

  /**
   * Claims the call of {@code tool} with {@code arguments} for a task: returns the entry of an
   * identical earlier call, whose outcome the task shares, or {@code null} if the task makes the
   * call itself; then {@code mine} is the call's entry, and {@link #settle} must be given its
   * outcome.
   */
  Entry claim(Entry mine) {
    return calls.putIfAbsent(mine.key, mine);
  }

  /** Publishes the outcome of a call its task made; a failed shareable call is forgotten first. */
  void settle(Entry entry, Outcome outcome) {
    if (!outcome.ok() && !entry.changesData()) {
      calls.remove(entry.key, entry);
    }
    entry.outcome.complete(outcome);
  }

  /**
   * The identity of a call: the tool name and its arguments as canonical JSON (object keys sorted,
   * {@code null} fields left out, as a tool reads a missing optional argument like a {@code null}
   * one). Numbers stay as written: {@code 10} and {@code 10.0} may decode differently.
   */
  static String key(String tool, JsonNode arguments) {
    StringBuilder key = new StringBuilder(tool).append('\u0000');
    canonical(arguments, key);
    return key.toString();
  }

  private static void canonical(JsonNode node, StringBuilder out) {
    if (node.isObject()) {
      List<String> names = new ArrayList<>();
      node.fieldNames().forEachRemaining(names::add);
      Collections.sort(names);
      out.append('{');
      boolean first = true;
      for (String name : names) {
        JsonNode value = node.get(name);
        if (value.isNull() || value.isMissingNode()) {
          continue;
        }
        out.append(first ? "" : ",")
            .append(Json.write(Json.NODES.textNode(name), false))
            .append(':');
        canonical(value, out);
        first = false;
      }
      out.append('}');
    } else if (node.isArray()) {
      out.append('[');
      for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
        canonical(it.next(), out);
        if (it.hasNext()) {
          out.append(',');
        }
      }
      out.append(']');
    } else {
      out.append(Json.write(node, false));
    }
  }
}
