package dev.llmcompiler.opentelemetry;

import static dev.llmcompiler.opentelemetry.GenAi.AGENT_NAME;
import static dev.llmcompiler.opentelemetry.GenAi.ERROR_TYPE;
import static dev.llmcompiler.opentelemetry.GenAi.OPERATION_NAME;
import static java.util.concurrent.TimeUnit.NANOSECONDS;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmcompiler.runtime.JoinerDecision;
import dev.llmcompiler.runtime.RoundTrace;
import dev.llmcompiler.runtime.RunObserver;
import dev.llmcompiler.runtime.RunOutcome;
import dev.llmcompiler.runtime.RunResult;
import dev.llmcompiler.runtime.TaskEvent;
import dev.llmcompiler.runtime.TaskStatus;
import dev.llmcompiler.runtime.TaskTrace;
import dev.llmcompiler.runtime.llm.LlmException;
import dev.llmcompiler.runtime.llm.LlmMessage;
import dev.llmcompiler.runtime.llm.LlmRequest;
import dev.llmcompiler.runtime.llm.LlmResponse;
import dev.llmcompiler.runtime.llm.TokenUsage;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;

/**
 * The {@link RunObserver} behind {@link LlmCompilerTelemetry}: one {@code invoke_agent} span per
 * run, a {@code plan} span per round, a {@code chat} span per model call and an {@code
 * execute_tool} span per task, as {@link LlmCompilerTelemetry} describes.
 *
 * <p>All of a run's span times come from one clock, anchored when the run starts: the wall clock
 * then, advanced by {@link System#nanoTime()}. So spans of one run never disagree about order, and
 * a task that never ran can be placed at the moment its trace says (milliseconds since the run
 * started). Spans that others open (a tool's own) take their times from the SDK, whose clock is
 * anchored on the same wall clock, so the two agree to within the wall clock's resolution.
 */
final class TelemetryObserver implements RunObserver {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** What {@link LlmCompilerTelemetry.Builder} configured; names are {@code null} when not set. */
  record Settings(
      String agentName,
      String providerName,
      String model,
      boolean captureToolContent,
      boolean captureMessageContent,
      int maxContentLength) {}

  private final Tracer tracer;
  private final Settings settings;

  TelemetryObserver(Tracer tracer, Settings settings) {
    this.tracer = tracer;
    this.settings = settings;
  }

  @Override
  public Run runStarted(String question) {
    return new RunSpans(question);
  }

  /** A round's {@code plan} span. */
  private static final class RoundSpan {
    final int number;
    final Span span;
    final Context context;
    final long startNanos;

    /** Set when the round ended; its span ends then, or with the run when its end is an error. */
    volatile boolean closed;

    volatile long closedAtNanos;
    volatile boolean spanEnded;

    RoundSpan(int number, Span span, Context context, long startNanos) {
      this.number = number;
      this.span = span;
      this.context = context;
      this.startNanos = startNanos;
    }
  }

  /** The spans of one run. Called from the run's threads, concurrently for parallel tools. */
  private final class RunSpans implements Run {
    private final long anchorEpochNanos;
    private final long anchorNanoTime;
    private final Span agentSpan;
    private final Context agentContext;
    private final Map<Integer, RoundSpan> rounds = new ConcurrentHashMap<>();

    /** Tasks that have an {@code execute_tool} span; each gets exactly one. */
    private final Set<Integer> tasksWithSpans = ConcurrentHashMap.newKeySet();

    /** When each task's span ended, by task id. */
    private final Map<Integer, Long> taskEnds = new ConcurrentHashMap<>();

    private volatile String llmErrorType;

    /** On the thread that called run(): its current context is the run's parent. */
    RunSpans(String question) {
      Instant now = Instant.now();
      anchorNanoTime = System.nanoTime();
      anchorEpochNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
      Context caller = Context.current();
      SpanBuilder builder =
          tracer
              .spanBuilder(spanName(GenAi.INVOKE_AGENT, settings.agentName()))
              .setParent(caller)
              .setSpanKind(SpanKind.INTERNAL)
              .setStartTimestamp(anchorEpochNanos, NANOSECONDS)
              .setAttribute(OPERATION_NAME, GenAi.INVOKE_AGENT);
      setIfPresent(builder, AGENT_NAME, settings.agentName());
      setIfPresent(builder, GenAi.PROVIDER_NAME, settings.providerName());
      setIfPresent(builder, GenAi.REQUEST_MODEL, settings.model());
      agentSpan = builder.startSpan();
      if (settings.captureMessageContent()) {
        agentSpan.setAttribute(GenAi.INPUT_MESSAGES, messages(List.of(message("user", question))));
      }
      agentContext = caller.with(agentSpan);
    }

    /** Now on the run's clock, in epoch nanoseconds. */
    private long now() {
      return anchorEpochNanos + (System.nanoTime() - anchorNanoTime);
    }

    /** A time of the run's trace (milliseconds since it started) in epoch nanoseconds. */
    private long at(long traceMs) {
      return anchorEpochNanos + traceMs * 1_000_000L;
    }

    @Override
    public void roundStarted(int round) {
      long start = now();
      SpanBuilder builder =
          tracer
              .spanBuilder(spanName(GenAi.PLAN, settings.agentName()))
              .setParent(agentContext)
              .setSpanKind(SpanKind.INTERNAL)
              .setStartTimestamp(start, NANOSECONDS)
              .setAttribute(OPERATION_NAME, GenAi.PLAN)
              .setAttribute(GenAi.ROUND, (long) round);
      setIfPresent(builder, AGENT_NAME, settings.agentName());
      Span span = builder.startSpan();
      rounds.put(round, new RoundSpan(round, span, agentContext.with(span), start));
    }

    /** The context of a round's plan span, or the run's if the round has none. */
    private Context parent(int round) {
      RoundSpan span = rounds.get(round);
      return span == null ? agentContext : span.context;
    }

    @Override
    public LlmCall llmCall(int round, LlmCallPurpose purpose, LlmRequest request) {
      SpanBuilder builder =
          tracer
              .spanBuilder(spanName(GenAi.CHAT, settings.model()))
              .setParent(parent(round))
              .setSpanKind(SpanKind.CLIENT)
              .setStartTimestamp(now(), NANOSECONDS)
              .setAttribute(OPERATION_NAME, GenAi.CHAT)
              .setAttribute(GenAi.LLM_CALL_PURPOSE, purpose.name().toLowerCase(Locale.ROOT));
      setIfPresent(builder, GenAi.PROVIDER_NAME, settings.providerName());
      setIfPresent(builder, GenAi.REQUEST_MODEL, settings.model());
      request
          .temperature()
          .ifPresent(temperature -> builder.setAttribute(GenAi.REQUEST_TEMPERATURE, temperature));
      request
          .maxTokens()
          .ifPresent(maxTokens -> builder.setAttribute(GenAi.REQUEST_MAX_TOKENS, (long) maxTokens));
      if (!request.stop().isEmpty()) {
        builder.setAttribute(GenAi.REQUEST_STOP_SEQUENCES, request.stop());
      }
      Span span = builder.startSpan();
      if (settings.captureMessageContent()) {
        if (!request.system().isEmpty()) {
          ArrayNode parts = NODES.arrayNode();
          parts.add(textPart(request.system()));
          span.setAttribute(GenAi.SYSTEM_INSTRUCTIONS, parts.toString());
        }
        List<ObjectNode> input = new ArrayList<>();
        for (LlmMessage message : request.messages()) {
          input.add(message(message.role().name().toLowerCase(Locale.ROOT), message.content()));
        }
        span.setAttribute(GenAi.INPUT_MESSAGES, messages(input));
      }
      return (response, error) -> chatEnded(span, response, error);
    }

    private void chatEnded(Span span, LlmResponse response, Throwable error) {
      long end = now();
      if (response != null) {
        setUsage(span, response.usage());
        response
            .finishReason()
            .ifPresent(reason -> span.setAttribute(GenAi.RESPONSE_FINISH_REASONS, List.of(reason)));
        if (settings.captureMessageContent()) {
          span.setAttribute(
              GenAi.OUTPUT_MESSAGES, messages(List.of(message("assistant", response.text()))));
        }
      }
      if (error != null) {
        String type = llmErrorType(error);
        llmErrorType = type;
        failed(span, type, error.getMessage());
        if (!(error instanceof CancellationException)) {
          span.recordException(error);
        }
      }
      span.end(end, NANOSECONDS);
    }

    @Override
    public ToolCall toolCall(TaskEvent task) {
      if (!tasksWithSpans.add(task.id())) {
        return null; // The round already accounted for it (it ended before the tool could start).
      }
      Context parent = parent(task.round());
      Span span = toolSpan(parent, task.tool(), task.id(), task.dependsOn(), now()).startSpan();
      if (settings.captureToolContent()) {
        span.setAttribute(GenAi.TOOL_CALL_ARGUMENTS, cap(task.arguments().toString()));
      }
      Context context = parent.with(span);
      return new ToolCall() {
        @Override
        public Scope makeCurrent() {
          return context.makeCurrent()::close;
        }

        @Override
        public void ended(JsonNode result, Throwable error) {
          taskEnds.put(task.id(), toolEnded(span, result, error));
        }
      };
    }

    private SpanBuilder toolSpan(
        Context parent, String tool, int id, List<Integer> dependsOn, long start) {
      SpanBuilder builder =
          tracer
              .spanBuilder(GenAi.EXECUTE_TOOL + " " + tool)
              .setParent(parent)
              .setSpanKind(SpanKind.INTERNAL)
              .setStartTimestamp(start, NANOSECONDS)
              .setAttribute(OPERATION_NAME, GenAi.EXECUTE_TOOL)
              .setAttribute(GenAi.TOOL_NAME, tool)
              .setAttribute(GenAi.TOOL_CALL_ID, String.valueOf(id))
              .setAttribute(GenAi.TOOL_TYPE, GenAi.FUNCTION);
      if (!dependsOn.isEmpty()) {
        builder.setAttribute(
            GenAi.TASK_DEPENDS_ON, dependsOn.stream().map(Integer::longValue).toList());
      }
      return builder;
    }

    /** Ends a tool's span and returns when. */
    private long toolEnded(Span span, JsonNode result, Throwable error) {
      long end = now();
      if (error == null) {
        span.setAttribute(GenAi.TASK_STATUS, TaskStatus.OK.json());
        if (settings.captureToolContent() && result != null) {
          span.setAttribute(GenAi.TOOL_CALL_RESULT, cap(result.toString()));
        }
      } else {
        span.setAttribute(GenAi.TASK_STATUS, TaskStatus.ERROR.json());
        String type = toolErrorType(error);
        failed(span, type, error.getMessage());
        if (type.equals(errorClassName(error))) {
          span.recordException(error); // The tool threw it; stops and timeouts are the run's doing.
        }
      }
      span.end(end, NANOSECONDS);
      return end;
    }

    @Override
    public void roundEnded(RoundTrace trace) {
      long end = now();
      // Rounds run one after another, so the round ending is the first one still open.
      RoundSpan round =
          rounds.values().stream()
              .filter(r -> !r.closed)
              .min(Comparator.comparingInt(r -> r.number))
              .orElse(null);
      Context parent = round == null ? agentContext : round.context;
      long earliest = round == null ? anchorEpochNanos : round.startNanos;
      for (TaskTrace task : trace.tasks()) {
        if (tasksWithSpans.add(task.id())) {
          // The trace counts whole milliseconds; a task is never skipped before what it waited for
          // ended.
          long at = Math.max(at(task.endMs()), earliest);
          for (int dependency : task.dependsOn()) {
            at = Math.max(at, taskEnds.getOrDefault(dependency, at));
          }
          at = Math.min(at, end);
          neverRan(parent, task, at);
          taskEnds.put(task.id(), at);
        }
      }
      if (round == null) {
        return;
      }
      round.span.setAttribute(GenAi.ROUND_DECISION, trace.decision().json());
      round.closedAtNanos = end;
      round.closed = true;
      if (trace.decision() != JoinerDecision.NONE) {
        round.spanEnded = true;
        round.span.end(end, NANOSECONDS);
      }
      // Without a decision the round was cut short; its span ends with the run, which knows why.
    }

    /**
     * The span of a task whose tool never ran: skipped after a failed dependency, or failed before
     * its call (a bad plan line, an unknown tool or reference, the run stopping first). It takes no
     * time, at the moment the trace says the task ended.
     */
    private void neverRan(Context parent, TaskTrace task, long at) {
      Span span = toolSpan(parent, task.tool(), task.id(), task.dependsOn(), at).startSpan();
      span.setAttribute(GenAi.TASK_STATUS, task.status().json());
      if (settings.captureToolContent()) {
        span.setAttribute(GenAi.TOOL_CALL_ARGUMENTS, cap(task.args().toString()));
      }
      String reason = task.error().orElse("");
      if (task.status() == TaskStatus.SKIPPED) {
        span.setAttribute(GenAi.TASK_SKIP_REASON, reason);
      } else if (task.status() == TaskStatus.ERROR) {
        failed(span, notRunErrorType(reason), reason);
      }
      span.end(at, NANOSECONDS);
    }

    @Override
    public void ended(RunResult result) {
      long end = now();
      RunOutcome outcome = result.outcome();
      String errorType = outcome.hasAnswer() ? null : runErrorType(outcome);
      String message = result.error().orElse(null);
      for (RoundSpan round : rounds.values()) {
        if (!round.spanEnded) {
          round.spanEnded = true;
          if (errorType != null) {
            failed(round.span, errorType, message);
          }
          round.span.end(round.closed ? round.closedAtNanos : end, NANOSECONDS);
        }
      }
      setUsage(agentSpan, result.usage());
      agentSpan.setAttribute(GenAi.RUN_OUTCOME, outcome.name().toLowerCase(Locale.ROOT));
      if (settings.captureMessageContent() && outcome.hasAnswer()) {
        agentSpan.setAttribute(
            GenAi.OUTPUT_MESSAGES, messages(List.of(message("assistant", result.answer()))));
      }
      if (errorType != null) {
        failed(agentSpan, errorType, message);
      }
      agentSpan.end(end, NANOSECONDS);
    }

    private String runErrorType(RunOutcome outcome) {
      return switch (outcome) {
        case DEADLINE_EXCEEDED -> "deadline_exceeded";
        case CANCELLED -> "cancelled";
        case INVALID_ANSWER -> "invalid_answer";
        default -> llmErrorType == null ? GenAi.OTHER_ERROR : llmErrorType;
      };
    }
  }

  private static void failed(Span span, String errorType, String description) {
    span.setAttribute(ERROR_TYPE, errorType);
    if (description == null) {
      span.setStatus(StatusCode.ERROR);
    } else {
      span.setStatus(StatusCode.ERROR, description);
    }
  }

  private static void setUsage(Span span, TokenUsage usage) {
    span.setAttribute(GenAi.USAGE_INPUT_TOKENS, usage.promptTokens());
    span.setAttribute(GenAi.USAGE_OUTPUT_TOKENS, usage.completionTokens());
    usage
        .cachedPromptTokens()
        .ifPresent(cached -> span.setAttribute(GenAi.USAGE_CACHE_READ_INPUT_TOKENS, cached));
  }

  /**
   * How a model call failed: the client's kind of failure, a cancellation, or the exception's
   * class.
   */
  static String llmErrorType(Throwable error) {
    if (error instanceof LlmException llm) {
      return llm.kind().name().toLowerCase(Locale.ROOT);
    }
    if (error instanceof CancellationException) {
      return "cancelled";
    }
    return errorClassName(error);
  }

  /**
   * How a tool call ended in error: its timeout, the run's deadline or cancellation (both a
   * cancellation whose message starts with what stopped it, see {@link
   * RunObserver.ToolCall#ended}), or what the tool threw.
   */
  static String toolErrorType(Throwable error) {
    if (error instanceof TimeoutException) {
      return "timeout";
    }
    if (error instanceof CancellationException) {
      return stopErrorType(error.getMessage());
    }
    return errorClassName(error);
  }

  /** Why a task failed without running, from its trace's error text. */
  static String notRunErrorType(String error) {
    return error.startsWith("deadline") || error.startsWith("cancelled")
        ? stopErrorType(error)
        : "invalid_task";
  }

  private static String stopErrorType(String reason) {
    return reason != null && reason.startsWith("deadline") ? "deadline_exceeded" : "cancelled";
  }

  private static String errorClassName(Throwable error) {
    String name = error.getClass().getCanonicalName();
    return name == null ? error.getClass().getName() : name;
  }

  /** {@code "name target"}, or just {@code name} without a target. */
  private static String spanName(String operation, String target) {
    return target == null ? operation : operation + " " + target;
  }

  private static void setIfPresent(SpanBuilder builder, AttributeKey<String> key, String value) {
    if (value != null) {
      builder.setAttribute(key, value);
    }
  }

  /**
   * A message of the conventions' format: {@code {"role":…,"parts":[{"type":"text","content":…}]}}.
   */
  private ObjectNode message(String role, String text) {
    ObjectNode message = NODES.objectNode();
    message.put("role", role);
    message.putArray("parts").add(textPart(text));
    return message;
  }

  private ObjectNode textPart(String text) {
    ObjectNode part = NODES.objectNode();
    part.put("type", "text");
    part.put("content", cap(text));
    return part;
  }

  private static String messages(List<ObjectNode> messages) {
    ArrayNode array = NODES.arrayNode();
    messages.forEach(array::add);
    return array.toString();
  }

  /** {@code text}, or its first {@code maxContentLength - 1} characters and {@code "…"}. */
  private String cap(String text) {
    int max = settings.maxContentLength();
    if (text.length() <= max) {
      return text;
    }
    int cut = max - 1;
    if (cut > 0 && Character.isHighSurrogate(text.charAt(cut - 1))) {
      cut--; // Never half a character.
    }
    return text.substring(0, cut) + "…";
  }
}
