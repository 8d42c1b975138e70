package dev.llmcompiler.samples;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmcompiler.runtime.llm.LlmClient;
import dev.llmcompiler.runtime.llm.LlmException;
import dev.llmcompiler.runtime.llm.LlmMessage;
import dev.llmcompiler.runtime.llm.LlmRequest;
import dev.llmcompiler.runtime.llm.LlmResponse;
import dev.llmcompiler.runtime.llm.LlmStreamListener;
import dev.llmcompiler.runtime.llm.TokenUsage;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The offline demo model: an {@link LlmClient} that replays recorded plans and ReAct steps for the
 * {@link DemoQuestions}, streamed in small chunks at a model-like pace so streaming dispatch is
 * visible, and computes the joiner's answer from the tool results in its prompt. Token counts are
 * estimated as characters / 4.
 */
final class ReplayLlm implements LlmClient, AutoCloseable {
  /**
   * How fast text arrives: the delay before the first chunk, then one chunk of {@code chunkChars}
   * per interval.
   */
  record Pacing(long firstChunkMillis, int chunkChars, long chunkIntervalMillis) {
    /** About 100 tokens per second after a quarter-second wait, like a small hosted model. */
    static final Pacing REALISTIC = new Pacing(250, 8, 20);

    /** As fast as possible, for tests. */
    static final Pacing INSTANT = new Pacing(0, 64, 0);
  }

  private static final Pattern QUESTION = Pattern.compile("^Question: (.*)$", Pattern.MULTILINE);
  private static final Pattern OBSERVATION_LINE =
      Pattern.compile("^(\\d+)\\. .*? -> (?:error: (.*)|(skipped: .*)|(.*))$", Pattern.MULTILINE);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Pacing pacing;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          runnable -> {
            Thread thread = new Thread(runnable, "offline-demo-model");
            thread.setDaemon(true);
            return thread;
          });

  ReplayLlm(Pacing pacing) {
    this.pacing = pacing;
  }

  @Override
  public CompletableFuture<LlmResponse> chat(LlmRequest request, LlmStreamListener listener) {
    String text;
    try {
      text = reply(request);
    } catch (LlmException e) {
      return CompletableFuture.failedFuture(e);
    }
    text = cutAtStop(text, request.stop());
    TokenUsage usage =
        TokenUsage.of(estimateTokens(promptChars(request)), estimateTokens(text.length()));
    return stream(text, usage, listener);
  }

  /** What the model says to this request: the recorded plan, step or computed answer. */
  private static String reply(LlmRequest request) {
    String first = request.messages().get(0).content();
    Matcher matcher = QUESTION.matcher(first);
    if (!matcher.find()) {
      throw new LlmException(
          LlmException.Kind.BAD_REQUEST,
          "The offline demo model found no 'Question:' in the request.");
    }
    String question = matcher.group(1).strip();
    DemoQuestion demo =
        DemoQuestions.find(question)
            .orElseThrow(
                () ->
                    new LlmException(
                        LlmException.Kind.BAD_REQUEST,
                        "The offline demo model has no recording for \""
                            + question
                            + "\"; it knows: "
                            + knownQuestions()));
    switch (request.purpose()) {
      case "planner":
        if (first.contains("Earlier rounds did not finish")) {
          throw new LlmException(
              LlmException.Kind.BAD_REQUEST,
              "The offline demo model has recorded only one plan per question and cannot replan.");
        }
        return demo.plan();
      case "joiner":
        return finish(
            demo, observations(request.lastUserMessage().map(LlmMessage::content).orElse("")));
      case "react":
        return reactTurn(demo, request.messages());
      default:
        throw new LlmException(
            LlmException.Kind.BAD_REQUEST,
            "The offline demo model has no recording for a '" + request.purpose() + "' call.");
    }
  }

  private static String finish(DemoQuestion demo, ToolResults results) {
    try {
      return "Thought: "
          + demo.joinerThought()
          + "\nAction: Finish("
          + demo.answer().apply(results)
          + ")";
    } catch (ToolResults.Missing e) {
      return "Thought: A result the answer needs is missing.\nAction: Finish(I cannot answer this: "
          + e.getMessage()
          + ")";
    }
  }

  /** The next ReAct turn: the step after the ones already taken, or the final answer. */
  private static String reactTurn(DemoQuestion demo, List<LlmMessage> messages) {
    ToolResults results = new ToolResults();
    int step = 0;
    for (LlmMessage message : messages) {
      if (message.role() == LlmMessage.Role.ASSISTANT) {
        step++;
      } else if (step > 0 && message.content().startsWith("Observation: ")) {
        readResult(results, step, message.content().substring("Observation: ".length()));
      }
    }
    if (step >= demo.reactSteps().size()) {
      return finish(demo, results);
    }
    DemoQuestion.ReactStep next = demo.reactSteps().get(step);
    try {
      return "Thought: " + next.thought() + "\nAction: " + next.action().apply(results);
    } catch (ToolResults.Missing e) {
      return "Thought: A step failed, so I cannot go on.\nAction: Finish(I cannot answer this: "
          + e.getMessage()
          + ")";
    }
  }

  /** The results in a joiner prompt: lines such as {@code 2. search(query="x") -> {...}}. */
  static ToolResults observations(String prompt) {
    ToolResults results = new ToolResults();
    Matcher line = OBSERVATION_LINE.matcher(prompt);
    while (line.find()) {
      int id = Integer.parseInt(line.group(1));
      if (line.group(4) != null) {
        readResult(results, id, line.group(4));
      } else {
        results.fail(id, unquote(line.group(2) != null ? line.group(2) : line.group(3)));
      }
    }
    return results;
  }

  /**
   * An error or skip reason as the runtime fences it, a JSON string (after {@code skipped: }), as
   * plain text.
   */
  private static String unquote(String text) {
    String quoted = text.startsWith("skipped: ") ? text.substring("skipped: ".length()) : text;
    try {
      JsonNode node = JSON.readTree(quoted);
      return node != null && node.isTextual() ? node.asText() : text;
    } catch (JsonProcessingException e) {
      return text;
    }
  }

  private static void readResult(ToolResults results, int id, String text) {
    if (text.startsWith("error: ")) {
      results.fail(id, text.substring("error: ".length()));
      return;
    }
    try {
      results.put(id, JSON.readTree(text));
    } catch (JsonProcessingException e) {
      results.fail(id, "unreadable result: " + text);
    }
  }

  /** Streams {@code text} in chunks on the timer thread, one chunk at a time, then completes. */
  private CompletableFuture<LlmResponse> stream(
      String text, TokenUsage usage, LlmStreamListener listener) {
    Stream stream = new Stream(text, usage, listener);
    stream.start();
    return stream.response;
  }

  /** One streamed reply; each chunk schedules the next, so chunks never overlap or reorder. */
  private final class Stream {
    final CompletableFuture<LlmResponse> response = new CompletableFuture<>();
    private final String text;
    private final TokenUsage usage;
    private final LlmStreamListener listener;
    private int position;
    private ScheduledFuture<?> next;

    Stream(String text, TokenUsage usage, LlmStreamListener listener) {
      this.text = text;
      this.usage = usage;
      this.listener = listener;
    }

    void start() {
      // A cancelled call stops at once: no further chunk is delivered.
      response.whenComplete((r, e) -> cancelNext());
      schedule(pacing.firstChunkMillis());
    }

    private synchronized void schedule(long delayMillis) {
      if (!response.isDone()) {
        next = timer.schedule(this::emit, delayMillis, TimeUnit.MILLISECONDS);
      }
    }

    private synchronized void cancelNext() {
      if (next != null) {
        next.cancel(false);
      }
    }

    private void emit() {
      if (response.isDone()) {
        return;
      }
      if (position < text.length()) {
        int end = Math.min(text.length(), position + pacing.chunkChars());
        try {
          listener.onText(text.substring(position, end));
        } catch (RuntimeException e) {
          response.completeExceptionally(
              new LlmException(LlmException.Kind.OTHER, "The stream listener failed: " + e, e));
          return;
        }
        position = end;
        schedule(pacing.chunkIntervalMillis());
      } else {
        response.complete(
            LlmResponse.builder().text(text).usage(usage).finishReason("stop").build());
      }
    }
  }

  private static String cutAtStop(String text, List<String> stops) {
    int cut = text.length();
    for (String stop : stops) {
      int at = text.indexOf(stop);
      if (at >= 0) {
        cut = Math.min(cut, at);
      }
    }
    return text.substring(0, cut);
  }

  private static int promptChars(LlmRequest request) {
    int chars = request.system().length();
    for (LlmMessage message : request.messages()) {
      chars += message.content().length();
    }
    return chars;
  }

  private static long estimateTokens(int chars) {
    return (chars + 3) / 4;
  }

  /** The known questions, one per line, numbered. */
  static String knownQuestions() {
    StringBuilder list = new StringBuilder();
    for (int i = 0; i < DemoQuestions.ALL.size(); i++) {
      list.append("\n  ").append(i + 1).append(". ").append(DemoQuestions.ALL.get(i).question());
    }
    return list.toString();
  }

  /** Whether the offline model can answer {@code question}. */
  static Optional<DemoQuestion> recordingFor(String question) {
    return DemoQuestions.find(question);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
