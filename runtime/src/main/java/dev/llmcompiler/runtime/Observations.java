package dev.llmcompiler.runtime;

import dev.llmcompiler.runtime.internal.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Writes tasks and their outcomes as the planner and joiner read them, cutting huge results short. */
final class Observations {
  private Observations() {}

  /**
   * One line per task: {@code 2. search(query="Apple") -> ok: "..."}, with the task's thought
   * before it; results longer than {@code maxChars} characters are cut with a note saying so.
   */
  static void append(StringBuilder out, List<TaskTrace> tasks, int maxChars) {
    if (tasks.isEmpty()) {
      out.append("(the plan had no tasks)\n");
      return;
    }
    for (TaskTrace task : tasks) {
      if (!task.thought().isEmpty()) {
        out.append("Thought: ").append(task.thought()).append('\n');
      }
      out.append(task.id()).append(". ").append(call(task));
      if (task.status() == TaskStatus.OK) {
        // Two ok lines for one charge would read as two charges: say that the call ran once. (An error says so itself.)
        task.reusedFrom().ifPresent(earlier ->
            out.append(" [the same call as task ").append(earlier).append(": not run again]"));
      }
      out.append(" -> ");
      switch (task.status()) {
        case OK:
          out.append("ok: ").append(truncate(Json.write(task.result().orElse(Json.NODES.nullNode()), false), maxChars));
          break;
        case ERROR:
          out.append("error: ").append(truncate(task.error().orElse(""), maxChars));
          break;
        default:
          out.append(truncate(task.error().orElse("skipped"), maxChars));
          break;
      }
      out.append('\n');
    }
  }

  /** The call with its resolved arguments, or the plan line if it never got that far. */
  static String call(TaskTrace task) {
    JsonNode args = task.args();
    if (args.isEmpty() && !task.line().isEmpty() && task.status() != TaskStatus.OK) {
      String line = task.line().strip();
      String prefix = task.id() + ".";
      return line.startsWith(prefix) ? line.substring(prefix.length()).strip() : line;
    }
    StringBuilder call = new StringBuilder(task.tool()).append('(');
    for (Iterator<Map.Entry<String, JsonNode>> it = args.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> arg = it.next();
      call.append(arg.getKey()).append('=').append(Json.write(arg.getValue(), false));
      if (it.hasNext()) {
        call.append(", ");
      }
    }
    return call.append(')').toString();
  }

  static String truncate(String text, int maxChars) {
    if (text.length() <= maxChars) {
      return text;
    }
    return text.substring(0, maxChars) + " ... [truncated: " + (text.length() - maxChars)
        + " more characters of " + text.length() + " not shown]";
  }
}
