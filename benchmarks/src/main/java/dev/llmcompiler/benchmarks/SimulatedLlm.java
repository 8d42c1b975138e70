package dev.llmcompiler.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmcompiler.testkit.RecordedRequest;
import dev.llmcompiler.testkit.ScriptedOpenAiServer;
import dev.llmcompiler.testkit.ScriptedResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The simulated LLM: a {@link ScriptedOpenAiServer} on loopback whose replies are chosen from the
 * request (planner, joiner, ReAct step or native tool-call turn of a {@link Workload}) and timed by
 * a {@link LatencyModel} over real token counts. Jitter is drawn from a generator seeded by the
 * seed, the repeat number and the request's identity, so a repeat is reproducible.
 */
final class SimulatedLlm implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern FIRST_ID = Pattern.compile("Number its tasks from (\\d+)");
  private static final Pattern ROUND_PLAN = Pattern.compile("(?m)^Round \\d+ plan:");
  private static final Pattern ROUND_RESULTS = Pattern.compile("(?m)^Results of round \\d+:");

  private final ScriptedOpenAiServer server;
  private final LatencyModel model;
  private final Tokens tokens;
  private final long seed;
  private final List<Workload> workloads;
  private final AtomicInteger unmatched = new AtomicInteger();
  private volatile int repeat;

  SimulatedLlm(LatencyModel model, Tokens tokens, long seed, List<Workload> workloads) {
    this.model = model;
    this.tokens = tokens;
    this.seed = seed;
    this.workloads = List.copyOf(workloads);
    this.server = ScriptedOpenAiServer.start(this::respond);
  }

  String baseUrl() {
    return server.baseUrl();
  }

  /** Which repeat the following requests belong to; it seeds their jitter. */
  void repeat(int repeat) {
    this.repeat = repeat;
  }

  /** Requests no script matched (each got a 500 error); a sane benchmark has none. */
  int unmatched() {
    return unmatched.get();
  }

  int requestCount() {
    return server.requestCount();
  }

  @Override
  public void close() {
    server.close();
  }

  private ScriptedResponse respond(RecordedRequest request) {
    List<RecordedRequest.Message> messages = request.messages();
    String system = messages.isEmpty() || !messages.get(0).role().equals("system") ? "" : messages.get(0).content();
    String firstUser = messages.stream().filter(m -> m.role().equals("user")).findFirst()
        .map(RecordedRequest.Message::content).orElse("");
    Workload workload = workloads.stream().filter(w -> firstUser.contains(w.question())).findFirst().orElse(null);
    if (workload == null) {
      return fail("no workload's question is in the first user message");
    }
    int promptTokens = promptTokens(request);
    JsonNode tools = request.body().path("tools");
    String identity;
    if (tools.isArray() && tools.size() > 0) {
      int turn = (int) request.body().path("messages").findValues("tool_calls").size();
      identity = "fc/" + workload.name() + "/" + turn;
      return toolTurn(workload, turn, tools, promptTokens, random(identity));
    }
    String text;
    if (system.startsWith("You are the planner")) {
      String user = request.lastUserMessage();
      int round = 1 + count(ROUND_PLAN, user);
      Matcher first = FIRST_ID.matcher(user);
      int firstId = first.find() ? Integer.parseInt(first.group(1)) : 1;
      if (round > workload.rounds().size()) {
        return fail("planner round " + round + " of " + workload.name() + " has no script");
      }
      // JSON plan mode asks with a response_format; the text plan language without one.
      boolean json = request.body().has("response_format");
      text = json ? workload.jsonPlan(round, firstId) : workload.plan(round, firstId);
      identity = (json ? "json-planner/" : "planner/") + workload.name() + "/" + round;
    } else if (system.startsWith("You are the joiner")) {
      int round = Math.max(1, count(ROUND_RESULTS, request.lastUserMessage()));
      if (round > workload.rounds().size()) {
        return fail("joiner round " + round + " of " + workload.name() + " has no script");
      }
      // The reply the prompt asks for: a Thought only if the system prompt asks for one (joinerThought(true)).
      text = workload.joinerReply(round, system.contains("Thought:"));
      identity = "joiner/" + workload.name() + "/" + round;
    } else if (system.startsWith("Answer the question by calling tools")) {
      int step = 1 + (int) messages.stream().filter(m -> m.role().equals("assistant")).count();
      text = workload.reactReply(step);
      identity = "react/" + workload.name() + "/" + step;
    } else {
      return fail("the system prompt is neither planner, joiner nor ReAct");
    }
    return textReply(applyStop(text, request.stop()), promptTokens, random(identity));
  }

  private ScriptedResponse textReply(String text, int promptTokens, SplittableRandom random) {
    List<String> pieces = tokens.split(text);
    ScriptedResponse response = ScriptedResponse.stream().onSchedule();
    for (int i = 0; i < pieces.size(); i++) {
      Duration delay = i == 0 ? model.firstTokenDelay(promptTokens, random) : model.decodeDelay(1, random);
      response.chunk(pieces.get(i), delay);
    }
    return response.usage(promptTokens, pieces.size());
  }

  private ScriptedResponse toolTurn(Workload workload, int turn, JsonNode tools, int promptTokens,
      SplittableRandom random) {
    List<List<Workload.Task>> turns = workload.toolCallTurns();
    if (turn >= turns.size()) {
      String answer = workload.answer();
      return textReply(answer, promptTokens, random);
    }
    ScriptedResponse response = ScriptedResponse.stream().onSchedule();
    int completion = 0;
    int index = 0;
    for (Workload.Task task : turns.get(turn)) {
      ObjectNode arguments = JSON.createObjectNode();
      Iterator<String> names = parameterNames(tools, task.tool());
      for (Object value : workload.callArguments(task)) {
        if (!names.hasNext()) {
          return fail("the request's " + task.tool() + " tool has too few parameters");
        }
        arguments.set(names.next(), JSON.valueToTree(value));
      }
      String argumentsJson = arguments.toString();
      // A call costs its name, its arguments and a few tokens of framing, as OpenAI bills it.
      int callTokens = tokens.count(task.tool()) + tokens.count(argumentsJson) + 3;
      Duration delay = index == 0
          ? model.firstTokenDelay(promptTokens, random).plus(model.decodeDelay(callTokens - 1, random))
          : model.decodeDelay(callTokens, random);
      response.toolCall(new ScriptedResponse.ToolCall("call_" + turn + "_" + index, task.tool(), argumentsJson), delay);
      completion += callTokens;
      index++;
    }
    return response.usage(promptTokens, completion);
  }

  private static Iterator<String> parameterNames(JsonNode tools, String tool) {
    for (JsonNode definition : tools) {
      JsonNode function = definition.path("function");
      if (function.path("name").asText().equals(tool)) {
        return function.path("parameters").path("properties").fieldNames();
      }
    }
    return List.<String>of().iterator();
  }

  /**
   * Prompt tokens as OpenAI bills them, near enough: each message's content and tool calls plus 4
   * tokens of framing, the tool definitions, and 3 tokens priming the reply.
   */
  private int promptTokens(RecordedRequest request) {
    int total = 3;
    for (JsonNode message : request.body().path("messages")) {
      total += 4;
      JsonNode content = message.path("content");
      if (content.isTextual()) {
        total += tokens.count(content.asText());
      } else if (content.isArray()) {
        for (JsonNode part : content) {
          total += tokens.count(part.path("text").asText(""));
        }
      }
      for (JsonNode call : message.path("tool_calls")) {
        total += tokens.count(call.path("function").path("name").asText(""))
            + tokens.count(call.path("function").path("arguments").asText(""));
      }
    }
    JsonNode tools = request.body().path("tools");
    if (tools.isArray() && tools.size() > 0) {
      total += tokens.count(tools.toString());
    }
    return total;
  }

  private SplittableRandom random(String identity) {
    return new SplittableRandom(seed * 1_000_003L + repeat * 7_919L + identity.hashCode());
  }

  static String applyStop(String text, List<String> stop) {
    int cut = text.length();
    for (String s : stop) {
      int at = text.indexOf(s);
      if (at >= 0) {
        cut = Math.min(cut, at);
      }
    }
    return text.substring(0, cut);
  }

  private static int count(Pattern pattern, String text) {
    Matcher matcher = pattern.matcher(text);
    int n = 0;
    while (matcher.find()) {
      n++;
    }
    return n;
  }

  private ScriptedResponse fail(String why) {
    unmatched.incrementAndGet();
    return ScriptedResponse.error(500, "The simulated LLM has no reply: " + why + ".");
  }
}
