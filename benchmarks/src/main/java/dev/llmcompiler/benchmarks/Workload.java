package dev.llmcompiler.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A question with the tool-call graph a good model would plan for it, in rounds, and the replies
 * every system's model gives: LLMCompiler plans and joiner decisions, ReAct steps, native tool-call
 * turns. Shaped like the paper's benchmarks (graph shape and tool latencies, not their data).
 *
 * @param name short name used in the report
 * @param shape what the graph looks like
 * @param question the user's question
 * @param rounds the plan rounds; all but the last end with a replan
 * @param answer the final answer every system must return
 * @param directAnswer the answer as the last round's plan gives it when the planner may answer
 *     directly, {@code "The ratio is ${7}."} (references in this workload's ids), or {@code null}
 *     when the answer needs judgment over the results, which is the joiner's
 * @param paperSpeedup the paper's LLMCompiler speedup over ReAct for this shape (0 if none)
 */
record Workload(
    String name,
    String shape,
    String question,
    List<Round> rounds,
    String answer,
    String directAnswer,
    double paperSpeedup) {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern REFERENCE = Pattern.compile("\\$\\{(\\d+)}");

  /** One task: {@code search(query)} or {@code math(problem, [$refs])}. */
  record Task(int id, String tool, String text, List<Integer> context, String thought) {
    static Task search(int id, String query) {
      return new Task(id, "search", query, List.of(), "");
    }

    static Task math(int id, String problem, Integer... context) {
      return new Task(id, "math", problem, List.of(context), "");
    }

    /** The result the tool returns for this task. */
    String result() {
      return tool.equals("search") ? SimulatedResults.search(text) : SimulatedResults.math(text);
    }
  }

  /** A plan round: its tasks, then the joiner's thought and decision. */
  record Round(List<Task> tasks, String joinerThought, String replanReason) {}

  Workload {
    rounds = List.copyOf(rounds);
    if (rounds.isEmpty()) {
      throw new IllegalArgumentException("a workload needs at least one round");
    }
  }

  /**
   * The direct answer the planner writes into the join of round {@code round} when the planner's
   * prompt teaches direct answers: only in the last round and only where the answer needs no
   * judgment, with its references moved like the round's own ({@code shift}); else {@code null}.
   */
  private String directAnswer(int round, boolean direct, int roundStart, int shift) {
    if (!direct || directAnswer == null || round != rounds.size()) {
      return null;
    }
    Matcher reference = REFERENCE.matcher(directAnswer);
    StringBuilder text = new StringBuilder();
    while (reference.find()) {
      int id = Integer.parseInt(reference.group(1));
      reference.appendReplacement(text, "\\${" + (id >= roundStart ? id + shift : id) + "}");
    }
    return reference.appendTail(text).toString();
  }

  /** All tasks of all rounds, by id. */
  List<Task> tasks() {
    List<Task> all = new ArrayList<>();
    rounds.forEach(r -> all.addAll(r.tasks()));
    return all;
  }

  int taskCount() {
    return tasks().size();
  }

  // ---- LLMCompiler

  /** The plan for {@code round} when the planner may not answer directly. */
  String plan(int round, int firstId) {
    return plan(round, firstId, false);
  }

  /**
   * The planner's plan for round {@code round} (1-based), numbered from {@code firstId} as the
   * runtime asks (references inside the round move with it), stop sequence included. It ends with
   * {@code join("...")} when {@code direct} (the prompt teaches direct answers) and this workload's
   * answer needs no judgment, else with {@code join()}.
   */
  String plan(int round, int firstId, boolean direct) {
    StringBuilder plan = new StringBuilder();
    List<Task> tasks = rounds.get(round - 1).tasks();
    int shift = firstId - tasks.get(0).id();
    int roundStart = tasks.get(0).id();
    int lastId = firstId - 1;
    for (Task task : tasks) {
      if (!task.thought().isEmpty()) {
        plan.append("Thought: ").append(task.thought()).append('\n');
      }
      int id = task.id() + shift;
      plan.append(id).append(". ").append(task.tool()).append('(').append(quote(task.text()));
      if (task.tool().equals("math")) {
        plan.append(", [");
        for (int i = 0; i < task.context().size(); i++) {
          int ref = task.context().get(i);
          plan.append(i == 0 ? "" : ", ").append('$').append(ref >= roundStart ? ref + shift : ref);
        }
        plan.append(']');
      }
      plan.append(")\n");
      lastId = id;
    }
    String answer = directAnswer(round, direct, roundStart, shift);
    return plan.append(lastId + 1)
        .append(". join(")
        .append(answer == null ? "" : quote(answer))
        .append(")<END_OF_PLAN>")
        .toString();
  }

  /** The JSON plan for {@code round} when the planner may not answer directly. */
  String jsonPlan(int round, int firstId) {
    return jsonPlan(round, firstId, false);
  }

  /**
   * The same plan as a JSON plan ({@code PlanFormat.JSON}), compact as constrained decoding writes
   * it: references are strings, {@code "$1"}; the join task ends it, with the direct answer in its
   * {@code "answer"} where {@link #plan(int, int, boolean)} has one.
   */
  String jsonPlan(int round, int firstId, boolean direct) {
    List<Task> tasks = rounds.get(round - 1).tasks();
    int shift = firstId - tasks.get(0).id();
    int roundStart = tasks.get(0).id();
    ObjectNode plan = JSON.createObjectNode();
    ArrayNode list = plan.putArray("tasks");
    int lastId = firstId - 1;
    for (Task task : tasks) {
      int id = task.id() + shift;
      ObjectNode node = list.addObject().put("id", id).put("tool", task.tool());
      ObjectNode args = node.putObject("args");
      if (task.tool().equals("search")) {
        args.put("query", task.text());
      } else {
        args.put("problem", task.text());
        ArrayNode context = args.putArray("context");
        task.context().forEach(ref -> context.add("$" + (ref >= roundStart ? ref + shift : ref)));
      }
      lastId = id;
    }
    ObjectNode join = list.addObject().put("id", lastId + 1).put("tool", "join").putObject("args");
    String answer = directAnswer(round, direct, roundStart, shift);
    if (answer != null) {
      join.put("answer", answer);
    }
    return plan.toString();
  }

  /**
   * The joiner's reply in round {@code round}: its action, after its Thought if {@code thought}
   * (the joiner's prompt asks for one only with {@code joinerThought(true)}).
   */
  String joinerReply(int round, boolean thought) {
    Round r = rounds.get(round - 1);
    String action =
        r.replanReason() == null ? "Finish(" + answer + ")" : "Replan(" + r.replanReason() + ")";
    return (thought ? "Thought: " + r.joinerThought() + "\n" : "") + "Action: " + action;
  }

  // ---- ReAct

  /** The ReAct reply at step {@code step} (1-based): one tool call per task, then Finish. */
  String reactReply(int step) {
    List<Task> tasks = tasks();
    if (step > tasks.size()) {
      return "Thought: The observations answer the question.\nAction: Finish(" + answer + ")";
    }
    Task task = tasks.get(step - 1);
    String call;
    if (task.tool().equals("search")) {
      call = "search(" + quote(task.text()) + ")";
    } else {
      ArrayNode context = JSON.createArrayNode();
      task.context().forEach(id -> context.add(byId(id).result()));
      call = "math(problem=" + quote(task.text()) + ", context=" + context + ")";
    }
    return "Thought: Next I need " + task.text() + ".\nAction: " + call;
  }

  // ---- native function calling

  /**
   * The tool calls of each model turn when the model calls tools natively: every task whose inputs
   * are known goes into the same turn (OpenAI's parallel function calling), so turn k holds the
   * tasks at depth k; a replan round starts a new turn after the previous round's last.
   */
  List<List<Task>> toolCallTurns() {
    Map<Integer, Integer> depth = new LinkedHashMap<>();
    List<List<Task>> turns = new ArrayList<>();
    int base = 0;
    for (Round round : rounds) {
      int deepest = base;
      for (Task task : round.tasks()) {
        int d = base;
        for (int dep : task.context()) {
          d = Math.max(d, depth.get(dep) + 1);
        }
        depth.put(task.id(), d);
        while (turns.size() <= d) {
          turns.add(new ArrayList<>());
        }
        turns.get(d).add(task);
        deepest = Math.max(deepest, d);
      }
      base = deepest + 1;
    }
    return turns;
  }

  /** The arguments of a task as a native tool call, in the order of the tool's parameters. */
  List<Object> callArguments(Task task) {
    if (task.tool().equals("search")) {
      return List.of(task.text());
    }
    List<String> context = new ArrayList<>();
    task.context().forEach(id -> context.add(byId(id).result()));
    return List.of(task.text(), context);
  }

  Task byId(int id) {
    for (Task task : tasks()) {
      if (task.id() == id) {
        return task;
      }
    }
    throw new IllegalArgumentException("no task " + id + " in " + name);
  }

  static String quote(String text) {
    try {
      return JSON.writeValueAsString(text);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static ObjectNode object() {
    return JSON.createObjectNode();
  }

  // ---- the four workloads

  /** HotpotQA comparison: two independent searches, then the answer (paper: 1.80x over ReAct). */
  static Workload hotpotQa() {
    return new Workload(
        "HotpotQA",
        "2 parallel searches -> answer",
        "Which river is longer, the Danube or the Dnieper?",
        List.of(
            new Round(
                List.of(
                    Task.search(1, "length of the Danube river"),
                    Task.search(2, "length of the Dnieper river")),
                "Both lengths are known; the Danube's figure is the larger.",
                null)),
        "The Danube is longer than the Dnieper.",
        null,
        1.80);
  }

  /** Movie recommendation: eight independent searches, then the answer (paper: 3.74x). */
  static Workload movie() {
    List<String> films =
        List.of(
            "The Matrix",
            "Inception",
            "Blade Runner",
            "Alien",
            "Heat",
            "The Godfather",
            "Arrival",
            "Interstellar");
    List<Task> tasks = new ArrayList<>();
    for (int i = 0; i < films.size(); i++) {
      tasks.add(Task.search(i + 1, "genre and themes of the film " + films.get(i)));
    }
    return new Workload(
        "Movie",
        "8 parallel searches -> answer",
        "Which of Heat, The Godfather, Arrival and Interstellar is most similar to The Matrix,"
            + " Inception, Blade Runner and Alien?",
        List.of(
            new Round(
                tasks,
                "The science-fiction themes of Arrival and Interstellar match best;"
                    + " Interstellar shares the most with all four.",
                null)),
        "Interstellar is the most similar.",
        null,
        3.74);
  }

  /** ParallelQA: four searches feed two math tasks that feed a final one (paper: 2.15x). */
  static Workload parallelQa() {
    return new Workload(
        "ParallelQA",
        "4 parallel searches -> 2 math -> 1 math -> answer",
        "What is the ratio of the combined heights of the Eiffel Tower and the Space Needle to the"
            + " combined heights of the Burj Khalifa and the Shanghai Tower?",
        List.of(
            new Round(
                List.of(
                    Task.search(1, "height of the Eiffel Tower in metres"),
                    Task.search(2, "height of the Space Needle in metres"),
                    Task.search(3, "height of the Burj Khalifa in metres"),
                    Task.search(4, "height of the Shanghai Tower in metres"),
                    Task.math(
                        5, "sum of the heights of the Eiffel Tower and the Space Needle", 1, 2),
                    Task.math(
                        6, "sum of the heights of the Burj Khalifa and the Shanghai Tower", 3, 4),
                    Task.math(7, "ratio of the first sum to the second sum", 5, 6)),
                "The final math task gives the ratio.",
                null)),
        "The ratio is " + SimulatedResults.math("ratio of the first sum to the second sum") + ".",
        "The ratio is ${7}.",
        2.15);
  }

  /** A replan: two searches, the joiner asks for more, two more searches and a math task. */
  static Workload replan() {
    return new Workload(
        "Replan",
        "2 searches -> replan -> 2 searches -> math -> answer",
        "Who is older, the CEO of Acme Corp or the CEO of Globex, and by how many years?",
        List.of(
            new Round(
                List.of(
                    Task.search(1, "current CEO of Acme Corp"),
                    Task.search(2, "current CEO of Globex")),
                "The names are known but not their ages.",
                "Find the ages of the two CEOs named in the results and compare them."),
            new Round(
                List.of(
                    Task.search(4, "age of the CEO of Acme Corp"),
                    Task.search(5, "age of the CEO of Globex"),
                    Task.math(6, "difference between the two ages", 4, 5)),
                "Both ages and their difference are known.",
                null)),
        "The CEO of Acme Corp is older, by "
            + SimulatedResults.math("difference between the two ages")
            + " years.",
        null,
        0);
  }

  static List<Workload> all() {
    return List.of(hotpotQa(), movie(), parallelQa(), replan());
  }
}
