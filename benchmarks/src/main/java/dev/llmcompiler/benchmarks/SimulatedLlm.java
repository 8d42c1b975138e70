package dev.llmcompiler.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.llmcompiler.testkit.RecordedRequest;
import dev.llmcompiler.testkit.ScriptedOpenAiServer;
import dev.llmcompiler.testkit.ScriptedResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The simulated LLM: a {@link ScriptedOpenAiServer} on loopback whose replies are chosen from the
 * request (planner, joiner, ReAct step or native tool-call turn of a {@link Workload}) and timed by
 * a {@link LatencyModel} over real token counts. Jitter is drawn from a generator seeded by the
 * seed, the repeat number and the request's identity, so a repeat is reproducible.
 *
 * <p>Native tool calls are decoded text like any other: a streamed turn sends each call's name,
 * then its arguments token by token, each token after its decode time, so a client may start a call
 * the moment its arguments are complete. Usage reports {@code prompt_tokens_details.cached_tokens}
 * from a {@link PromptCache} shared by every request, as a provider's automatic prefix cache would.
 */
final class SimulatedLlm implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern FIRST_ID = Pattern.compile("Number its tasks from (\\d+)");
  private static final Pattern ROUND_PLAN = Pattern.compile("(?m)^Round \\d+ plan:");
  private static final Pattern ROUND_RESULTS = Pattern.compile("(?m)^Results of round \\d+:");

  /** How the planner's prompt starts its rule on direct answers, in both plan formats. */
  static final String DIRECT_ANSWER_RULE = "\nDirect answer: ";

  /** Tokens OpenAI bills for the framing of one tool call, besides its name and arguments. */
  private static final int FRAMING_TOKENS = 3;

  private final ScriptedOpenAiServer server;
  private final LatencyModel model;
  private final Tokens tokens;
  private final long seed;
  private final List<Workload> workloads;
  private final AtomicInteger unmatched = new AtomicInteger();
  private final PromptCache cache = new PromptCache();

  /** Cached prompt tokens reported for each request, by its index. */
  private final Map<Integer, Integer> cachedByRequest = new ConcurrentHashMap<>();

  private final AtomicInteger longestPrompt = new AtomicInteger();
  private final AtomicInteger toolDefinitionTokens = new AtomicInteger();
  private final Map<Integer, Long> toolTurnEnds = new ConcurrentHashMap<>();
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

  /**
   * When the streamed tool-call turn answering request {@code index} wrote its last byte ({@link
   * System#nanoTime()}), or -1 if that request got no such turn.
   */
  long toolTurnEndNanos(int index) {
    return toolTurnEnds.getOrDefault(index, -1L);
  }

  /** Requests that had part of their prompt served from the cache. */
  int cachedRequests() {
    return (int) cachedByRequest.values().stream().filter(cached -> cached > 0).count();
  }

  /**
   * The tokens of the tool definitions in the last request that carried any, as they are billed in
   * every native function-calling turn; 0 if none did.
   */
  int toolDefinitionTokens() {
    return toolDefinitionTokens.get();
  }

  /** The most prompt tokens of any one request so far. */
  int longestPrompt() {
    return longestPrompt.get();
  }

  /**
   * The cached prompt tokens reported for requests {@code from} (inclusive) to {@code to}
   * (exclusive).
   */
  long cachedTokens(int from, int to) {
    long sum = 0;
    for (int i = from; i < to; i++) {
      sum += cachedByRequest.getOrDefault(i, 0);
    }
    return sum;
  }

  @Override
  public void close() {
    server.close();
  }

  private ScriptedResponse respond(RecordedRequest request) {
    List<RecordedRequest.Message> messages = request.messages();
    String system =
        messages.isEmpty() || !messages.get(0).role().equals("system")
            ? ""
            : messages.get(0).content();
    String firstUser =
        messages.stream()
            .filter(m -> m.role().equals("user"))
            .findFirst()
            .map(RecordedRequest.Message::content)
            .orElse("");
    Workload workload =
        workloads.stream().filter(w -> firstUser.contains(w.question())).findFirst().orElse(null);
    if (workload == null) {
      return fail("no workload's question is in the first user message");
    }
    int promptTokens = promptTokens(request);
    int cached = Math.min(promptTokens, cache.lookUpAndAdd(promptSequence(request)));
    cachedByRequest.put(request.index(), cached);
    longestPrompt.accumulateAndGet(promptTokens, Math::max);
    Usage usage = new Usage(promptTokens, cached);
    JsonNode tools = request.body().path("tools");
    String identity;
    if (tools.isArray() && tools.size() > 0) {
      int turn = (int) request.body().path("messages").findValues("tool_calls").size();
      identity = "fc/" + workload.name() + "/" + turn;
      return toolTurn(workload, turn, tools, usage, request.stream(), random(identity));
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
      // A prompt that teaches direct answers gets one where the workload's answer needs no
      // judgment (directAnswers(false) leaves the rule out).
      boolean direct = system.contains(DIRECT_ANSWER_RULE);
      text =
          json ? workload.jsonPlan(round, firstId, direct) : workload.plan(round, firstId, direct);
      identity = (json ? "json-planner/" : "planner/") + workload.name() + "/" + round;
    } else if (system.startsWith("You are the joiner")) {
      int round = Math.max(1, count(ROUND_RESULTS, request.lastUserMessage()));
      if (round > workload.rounds().size()) {
        return fail("joiner round " + round + " of " + workload.name() + " has no script");
      }
      // The reply the prompt asks for: a Thought only if the system prompt asks for one
      // (joinerThought(true)).
      text = workload.joinerReply(round, system.contains("Thought:"));
      identity = "joiner/" + workload.name() + "/" + round;
    } else if (system.startsWith("Answer the question by calling tools")) {
      int step = 1 + (int) messages.stream().filter(m -> m.role().equals("assistant")).count();
      text = workload.reactReply(step);
      identity = "react/" + workload.name() + "/" + step;
    } else {
      return fail("the system prompt is neither planner, joiner nor ReAct");
    }
    return textReply(applyStop(text, request.stop()), usage, random(identity));
  }

  /** A request's prompt size and how much of it the provider's cache served. */
  private record Usage(int promptTokens, int cachedTokens) {}

  private ScriptedResponse textReply(String text, Usage usage, SplittableRandom random) {
    List<String> pieces = tokens.split(text);
    ScriptedResponse response = ScriptedResponse.stream().onSchedule();
    for (int i = 0; i < pieces.size(); i++) {
      Duration delay =
          i == 0
              ? model.firstTokenDelay(usage.promptTokens(), random)
              : model.decodeDelay(1, random);
      response.chunk(pieces.get(i), delay);
    }
    return response.usage(usage.promptTokens(), pieces.size(), usage.cachedTokens());
  }

  private ScriptedResponse toolTurn(
      Workload workload,
      int turn,
      JsonNode tools,
      Usage usage,
      boolean stream,
      SplittableRandom random) {
    List<List<Workload.Task>> turns = workload.toolCallTurns();
    if (turn >= turns.size()) {
      String answer = workload.answer();
      return textReply(answer, usage, random);
    }
    int promptTokens = usage.promptTokens();
    List<ScriptedResponse.ToolCall> calls = new ArrayList<>();
    for (Workload.Task task : turns.get(turn)) {
      ObjectNode arguments = JSON.createObjectNode();
      Iterator<String> names = parameterNames(tools, task.tool());
      for (Object value : workload.callArguments(task)) {
        if (!names.hasNext()) {
          return fail("the request's " + task.tool() + " tool has too few parameters");
        }
        arguments.set(names.next(), JSON.valueToTree(value));
      }
      calls.add(
          new ScriptedResponse.ToolCall(
              "call_" + turn + "_" + calls.size(), task.tool(), arguments.toString()));
    }
    if (stream) {
      return streamedToolCalls(calls, usage, random);
    }
    ScriptedResponse response = ScriptedResponse.stream().onSchedule();
    int completion = 0;
    int index = 0;
    for (ScriptedResponse.ToolCall call : calls) {
      int callTokens = callTokens(call);
      Duration delay =
          index == 0
              ? model
                  .firstTokenDelay(promptTokens, random)
                  .plus(model.decodeDelay(callTokens - 1, random))
              : model.decodeDelay(callTokens, random);
      response.toolCall(call, delay);
      completion += callTokens;
      index++;
    }
    return response.usage(promptTokens, completion, usage.cachedTokens());
  }

  /** A call costs its name, its arguments and a few tokens of framing, as OpenAI bills it. */
  private int callTokens(ScriptedResponse.ToolCall call) {
    return tokens.count(call.name()) + tokens.count(call.argumentsJson()) + FRAMING_TOKENS;
  }

  /**
   * A streamed tool-call turn as OpenAI sends one: per call, a first chunk with its id and name
   * (after decoding the name and the framing), then one chunk per token of its arguments, each
   * after its decode time; then the finish reason, the usage if asked for, and {@code [DONE]}.
   */
  private ScriptedResponse streamedToolCalls(
      List<ScriptedResponse.ToolCall> calls, Usage usage, SplittableRandom random) {
    List<ObjectNode> deltas = new ArrayList<>();
    List<Long> due = new ArrayList<>();
    long at = 0;
    int completion = 0;
    for (int i = 0; i < calls.size(); i++) {
      ScriptedResponse.ToolCall call = calls.get(i);
      int header = tokens.count(call.name()) + FRAMING_TOKENS;
      at +=
          (i == 0
                  ? model
                      .firstTokenDelay(usage.promptTokens(), random)
                      .plus(model.decodeDelay(header - 1, random))
                  : model.decodeDelay(header, random))
              .toNanos();
      ObjectNode first = JSON.createObjectNode();
      if (i == 0) {
        first.put("role", "assistant");
        first.putNull("content");
      }
      ObjectNode callStart = first.putArray("tool_calls").addObject();
      callStart.put("index", i).put("id", call.id()).put("type", "function");
      callStart.putObject("function").put("name", call.name()).put("arguments", "");
      deltas.add(first);
      due.add(at);
      for (String piece : tokens.split(call.argumentsJson())) {
        at += model.decodeDelay(1, random).toNanos();
        ObjectNode delta = JSON.createObjectNode();
        ObjectNode fragment = delta.putArray("tool_calls").addObject();
        fragment.put("index", i).putObject("function").put("arguments", piece);
        deltas.add(delta);
        due.add(at);
      }
      completion += callTokens(call);
    }
    int completionTokens = completion;
    return ScriptedResponse.custom(
        (exchange, request) -> {
          writeStream(exchange, request, deltas, due, usage, completionTokens);
          toolTurnEnds.put(request.index(), System.nanoTime());
        });
  }

  private static void writeStream(
      HttpExchange exchange,
      RecordedRequest request,
      List<ObjectNode> deltas,
      List<Long> due,
      Usage usage,
      int completionTokens)
      throws IOException {
    long start = System.nanoTime();
    exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
    exchange.getResponseHeaders().set("Cache-Control", "no-cache");
    exchange.sendResponseHeaders(200, 0); // chunked, so each event is flushed on its own
    String id = "chatcmpl-simulated-" + request.index();
    try (OutputStream out = exchange.getResponseBody()) {
      for (int i = 0; i < deltas.size(); i++) {
        sleepUntil(start + due.get(i));
        writeEvent(out, chunk(id, request.model(), deltas.get(i), null));
      }
      writeEvent(out, chunk(id, request.model(), JSON.createObjectNode(), "tool_calls"));
      if (request.includeUsage()) {
        ObjectNode usageChunk = envelope(id, request.model());
        usageChunk.putArray("choices");
        ObjectNode counts = usageChunk.putObject("usage");
        counts
            .put("prompt_tokens", usage.promptTokens())
            .put("completion_tokens", completionTokens)
            .put("total_tokens", usage.promptTokens() + completionTokens);
        counts.putObject("prompt_tokens_details").put("cached_tokens", usage.cachedTokens());
        writeEvent(out, usageChunk);
      }
      out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
      out.flush();
    }
  }

  private static ObjectNode chunk(String id, String model, ObjectNode delta, String finishReason) {
    ObjectNode chunk = envelope(id, model);
    ObjectNode choice = chunk.putArray("choices").addObject();
    choice.put("index", 0);
    choice.set("delta", delta);
    choice.putNull("logprobs");
    if (finishReason == null) {
      choice.putNull("finish_reason");
    } else {
      choice.put("finish_reason", finishReason);
    }
    return chunk;
  }

  private static ObjectNode envelope(String id, String model) {
    ObjectNode chunk = JSON.createObjectNode();
    chunk
        .put("id", id)
        .put("object", "chat.completion.chunk")
        .put("created", System.currentTimeMillis() / 1000)
        .put("model", model);
    return chunk;
  }

  private static void writeEvent(OutputStream out, JsonNode data) throws IOException {
    out.write(("data: " + JSON.writeValueAsString(data) + "\n\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private static void sleepUntil(long nanoTime) {
    long left = nanoTime - System.nanoTime();
    if (left <= 0) {
      return;
    }
    try {
      Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
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
        total +=
            tokens.count(call.path("function").path("name").asText(""))
                + tokens.count(call.path("function").path("arguments").asText(""));
      }
    }
    JsonNode tools = request.body().path("tools");
    if (tools.isArray() && tools.size() > 0) {
      int definitions = tokens.count(tools.toString());
      toolDefinitionTokens.set(definitions);
      total += definitions;
    }
    return total;
  }

  /**
   * The prompt as the provider's cache sees it: the tool definitions, then each message's role
   * marker, content and tool calls, as token ids. A marker is a negative id, so it never equals a
   * token, and two prompts share a prefix only up to where their messages differ.
   */
  private int[] promptSequence(RecordedRequest request) {
    List<int[]> parts = new ArrayList<>();
    JsonNode tools = request.body().path("tools");
    if (tools.isArray() && tools.size() > 0) {
      parts.add(tokens.encode(tools.toString()));
    }
    for (JsonNode message : request.body().path("messages")) {
      parts.add(new int[] {-1 - Math.abs(message.path("role").asText().hashCode() % 1000)});
      JsonNode content = message.path("content");
      if (content.isTextual()) {
        parts.add(tokens.encode(content.asText()));
      } else if (content.isArray()) {
        for (JsonNode part : content) {
          parts.add(tokens.encode(part.path("text").asText("")));
        }
      }
      for (JsonNode call : message.path("tool_calls")) {
        parts.add(tokens.encode(call.path("function").path("name").asText("")));
        parts.add(tokens.encode(call.path("function").path("arguments").asText("")));
      }
    }
    int length = parts.stream().mapToInt(part -> part.length).sum();
    int[] sequence = new int[length];
    int at = 0;
    for (int[] part : parts) {
      System.arraycopy(part, 0, sequence, at, part.length);
      at += part.length;
    }
    return sequence;
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
