package dev.llmcompiler.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmcompiler.runtime.internal.Json;
import dev.llmcompiler.runtime.internal.Secrets;
import dev.llmcompiler.runtime.internal.plan.PlanParser;
import dev.llmcompiler.runtime.internal.plan.PlanReferenceException;
import dev.llmcompiler.runtime.internal.plan.PlanValue;
import dev.llmcompiler.runtime.internal.plan.PlannedTask;
import dev.llmcompiler.runtime.llm.LlmClient;
import dev.llmcompiler.runtime.llm.LlmMessage;
import dev.llmcompiler.runtime.llm.LlmRequest;
import dev.llmcompiler.runtime.llm.LlmResponse;
import dev.llmcompiler.runtime.llm.TokenUsage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The sequential baseline: a ReAct agent that makes one tool call per LLM turn ({@code Thought},
 * {@code Action}, {@code Observation}, repeated) over the same {@link LlmClient} and {@link
 * ToolSet}s as {@link LlmCompiler}, and reports the same {@link RunResult} and {@link RunTrace}, so
 * the two can be compared side by side.
 *
 * <pre>{@code
 * try (ReActAgent agent = ReActAgent.builder().llm(llm).tools(searchTools, mathTools).build()) {
 *   RunResult result = agent.run("How much bigger is Apple's market cap than Microsoft's?");
 *   System.out.println(result.answer() + " after " + result.llmCalls() + " LLM calls");
 * }
 * }</pre>
 *
 * <p>The model writes {@code Action: tool(arguments)} in the plan language's call syntax, or {@code
 * Action: Finish(answer)} (also {@code Finish[answer]}). The trace has one round whose tasks are
 * the steps, numbered from 1. All LLM calls count as {@link RunResult#plannerUsage()}. When {@code
 * maxSteps} tool calls are spent, the model is asked for its best final answer ({@link
 * RunOutcome#STEPS_EXHAUSTED}). An LLM failure throws an {@link LlmCompilerException}, as in {@link
 * LlmCompiler}. Thread-safe; {@link #run} blocks the calling thread.
 *
 * <p>A {@link RunListener} hears everything in round 1: each model turn as a plan delta, each call
 * as a task (parsed, dispatched, finished; its id is the step), and the answer as a {@link
 * JoinerDecision#FINISH}, with the same guarantees as for {@link LlmCompiler}. Like the compiler,
 * the agent does not own its {@link LlmClient}: {@link #close()} leaves it open.
 */
public final class ReActAgent implements AutoCloseable {
  /** Tool calls a run may make unless {@link Builder#maxSteps} says otherwise. */
  public static final int DEFAULT_MAX_STEPS = 10;

  private static final List<String> FINISH = List.of("finish");

  private final LlmClient llm;
  private final Map<String, ToolBinding> tools;
  private final Map<String, ToolDescriptor> descriptors;
  private final ToolExecutor executor;
  private final RunListener listener;
  private final int maxSteps;
  private final int maxObservationChars;
  private final String systemPrompt;

  private ReActAgent(Builder builder, List<ToolBinding> bindings) {
    this.llm = builder.llm;
    Map<String, ToolBinding> byName = new LinkedHashMap<>();
    Map<String, ToolDescriptor> byNameDescriptors = new LinkedHashMap<>();
    for (ToolBinding tool : bindings) {
      byName.put(tool.name(), tool);
      byNameDescriptors.put(tool.name(), tool.descriptor());
    }
    this.tools = Map.copyOf(byName);
    this.descriptors = Map.copyOf(byNameDescriptors);
    this.executor = new ToolExecutor(builder.executor, builder.toolTimeout, Map.of(), Map.of());
    this.listener = builder.listener;
    this.maxSteps = builder.maxSteps;
    this.maxObservationChars = builder.maxObservationChars;
    this.systemPrompt = systemPrompt(bindings);
  }

  private static String systemPrompt(List<ToolBinding> tools) {
    StringBuilder prompt =
        new StringBuilder("Answer the question by calling tools, one call per reply. Tools:\n");
    for (ToolBinding tool : tools) {
      prompt.append("- ").append(tool.descriptor().signature()).append('\n');
      String description = tool.descriptor().description().strip();
      if (!description.isEmpty()) {
        prompt.append("  ").append(description.replace("\n", "\n  ")).append('\n');
      }
    }
    prompt
        .append("\nReply in exactly this format:\n")
        .append("Thought: <what you need next and why>\n")
        .append("Action: <tool>(<arguments>)\n")
        .append(
            "Arguments are positional or name=value, with JSON values (\"strings\", numbers, true/false/null, lists, objects).\n")
        .append("Then stop: the result comes back to you as `Observation: ...`.\n")
        .append("When the observations answer the question, reply:\n")
        .append("Thought: <brief reasoning>\n")
        .append("Action: Finish(<the final answer>)\n")
        .append(
            "Call only the tools listed, one per reply, and never write an Observation yourself.\n");
    return prompt.toString();
  }

  /** Starts configuring an agent; {@link Builder#llm} and {@link Builder#tools} are required. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Answers {@code question}, one tool call per LLM turn, blocking until done.
   *
   * @throws LlmCompilerException if an LLM call failed; its partial result holds the steps so far
   * @throws CancellationException if the calling thread was interrupted
   */
  public RunResult run(String question) {
    Objects.requireNonNull(question, "question");
    RunState state = new RunState();
    RunEvents events = new RunEvents(listener, executor::execute);
    List<TaskTrace> steps = new ArrayList<>();
    List<LlmMessage> messages = new ArrayList<>();
    messages.add(LlmMessage.user("Question: " + question));
    TokenUsage usage = TokenUsage.ZERO;
    int calls = 0;
    List<LlmCallTrace> callTimes = new ArrayList<>();
    StringBuilder transcript = new StringBuilder();
    int transcriptLines = 0;
    events.runStarted(question, state.startNanos());
    events.roundStarted(1);
    try {
      for (int step = 1; ; step++) {
        boolean last = step > maxSteps;
        if (last) {
          messages.add(
              LlmMessage.user(
                  "You have used all "
                      + maxSteps
                      + " tool calls. Give your best final"
                      + " answer now, saying what is missing:\nThought: <brief reasoning>\nAction: Finish(<the final answer>)"));
        }
        calls++;
        long callStartMs = state.ms();
        LlmResponse response;
        try {
          response =
              await(
                  chat(
                      LlmRequest.builder()
                          .purpose("react")
                          .system(systemPrompt)
                          .messages(messages)
                          .stop(List.of("Observation:", "\nObservation"))
                          .build(),
                      delta -> {}));
        } finally {
          callTimes.add(new LlmCallTrace("react", callStartMs, state.ms()));
        }
        usage = usage.plus(response.usage());
        String text = response.text().strip();
        int firstLine = transcriptLines + 1;
        transcript.append(text).append('\n');
        transcriptLines += lineBreaks(text, text.length()) + 1;
        events.planDelta(1, text + "\n");
        messages.add(LlmMessage.assistant(text));
        Optional<ActionText.Action> finish = finishAction(text);
        if (finish.isPresent() || last) {
          String answer = finish.map(ActionText.Action::content).orElse(Joiner.rawAnswer(text));
          String thought = finish.map(ActionText.Action::thought).orElse("");
          RunOutcome outcome = last ? RunOutcome.STEPS_EXHAUSTED : RunOutcome.FINISHED;
          events.joinerDecision(1, JoinerDecision.FINISH, answer);
          RunResult result =
              result(
                  question,
                  answer,
                  outcome,
                  null,
                  state,
                  steps,
                  transcript,
                  thought,
                  usage,
                  calls,
                  callTimes,
                  events);
          awaitDelivery(events);
          return result;
        }
        TaskTrace trace = act(step, text, firstLine, state, events);
        steps.add(trace);
        messages.add(LlmMessage.user("Observation: " + observation(trace)));
      }
    } catch (LlmFailure failure) {
      RunResult partial =
          result(
              question,
              "",
              RunOutcome.LLM_FAILED,
              failure.getMessage(),
              state,
              steps,
              transcript,
              "",
              usage,
              calls,
              callTimes,
              events);
      awaitDelivery(events);
      throw new LlmCompilerException(failure.getMessage(), failure.getCause(), partial);
    } catch (CancellationException cancelled) {
      // The listener hears how the run ended; the caller, who asked to stop, does not wait for it.
      result(
          question,
          "",
          RunOutcome.CANCELLED,
          "cancelled: the run was cancelled",
          state,
          steps,
          transcript,
          "",
          usage,
          calls,
          callTimes,
          events);
      throw cancelled;
    }
  }

  /**
   * Waits until the listener has received every event of the run, so a caller who reads it after
   * {@link #run} sees everything; an interrupt ends the wait (the run is over) and stays set.
   */
  private static void awaitDelivery(RunEvents events) {
    try {
      events.delivered().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      throw new IllegalStateException("Delivering the run's events failed", e);
    }
  }

  /**
   * The Finish of the reply, if its last Action line is one: only "Action: Finish(...)" at the
   * start of a line ends the run, not a tool call that mentions finish or a Finish quoted in the
   * thought.
   */
  private static Optional<ActionText.Action> finishAction(String text) {
    return ActionText.lastActionLine(text, List.of())
        .filter(line -> ActionText.startsWithWord(text, line.textStart(), "finish"))
        .flatMap(line -> ActionText.parse(text, FINISH));
  }

  /**
   * Runs the step's tool call, or records why it could not; {@code firstLine} is the number of the
   * transcript line {@code text} starts on.
   */
  private TaskTrace act(int step, String text, int firstLine, RunState state, RunEvents events) {
    Optional<ActionText.ActionLine> action = ActionText.lastActionLine(text, List.of());
    if (action.isEmpty()) {
      return failedStep(
          step,
          "?",
          ActionText.thought(text),
          text,
          0,
          state,
          "Your reply has no Action. Write `Action: <tool>(<arguments>)` or `Action: Finish(<answer>)` on a line"
              + " of its own.",
          events);
    }
    String thought = ActionText.thoughtBefore(text, action.get().lineStart());
    String call = callText(text.substring(action.get().textStart()).strip());
    int lineNumber = firstLine + lineBreaks(text, action.get().lineStart());
    List<PlannedTask> parsed =
        PlanParser.parse(
                step + ". " + call.replace("\r\n", "\n").replace('\n', ' ') + "\n",
                descriptors,
                step,
                Set.of())
            .tasks();
    if (parsed.isEmpty()) {
      return failedStep(
          step,
          "?",
          thought,
          call,
          lineNumber,
          state,
          "The action '" + call + "' is not a tool call. Write `Action: <tool>(<arguments>)`.",
          events);
    }
    PlannedTask task = parsed.get(0);
    if (events.enabled()) {
      events.taskParsed(
          new TaskEvent(
              state.ms(),
              1,
              step,
              task.tool(),
              TaskEvent.asWritten(task.arguments()),
              List.copyOf(task.dependsOn()),
              call,
              lineNumber,
              thought,
              task.error(),
              task.repairs()));
    }
    if (task.error() != null) {
      return failedStep(step, task.tool(), thought, call, lineNumber, state, task.error(), events);
    }
    ObjectNode args = Json.object();
    try {
      for (Map.Entry<String, PlanValue> argument : task.arguments().entrySet()) {
        args.set(argument.getKey(), argument.getValue().resolve(state::result));
      }
    } catch (PlanReferenceException e) {
      return failedStep(
          step, task.tool(), thought, call, lineNumber, state, e.getMessage(), events);
    }
    ToolBinding tool = tools.get(task.tool());
    if (tool == null) {
      return failedStep(
          step,
          task.tool(),
          thought,
          call,
          lineNumber,
          state,
          "Unknown tool '" + task.tool() + "'. Use only the tools listed.",
          events);
    }
    if (events.enabled()) {
      events.taskDispatched(
          new TaskEvent(
              state.ms(),
              1,
              step,
              task.tool(),
              args,
              List.copyOf(task.dependsOn()),
              call,
              lineNumber,
              thought,
              null,
              task.repairs()));
    }
    long[] start = {state.ms()};
    ToolExecutor.ToolCall running = executor.start(tool, args, () -> start[0] = state.ms());
    TaskTrace trace;
    try {
      JsonNode result = running.result().get();
      state.putResult(step, result);
      trace =
          new TaskTrace(
              step,
              task.tool(),
              args,
              List.of(),
              start[0],
              state.ms(),
              TaskStatus.OK,
              result,
              null,
              thought,
              call,
              lineNumber,
              task.repairs(),
              0);
    } catch (ExecutionException e) {
      trace =
          new TaskTrace(
              step,
              task.tool(),
              args,
              List.of(),
              start[0],
              state.ms(),
              TaskStatus.ERROR,
              null,
              TaskFetchingUnit.describeFailure(
                  task.tool(), tool.descriptor().effect(), running.mayHaveRun(), e.getCause()),
              thought,
              call,
              lineNumber,
              task.repairs(),
              0);
    } catch (InterruptedException e) {
      running.stop(new ToolExecutor.RunStoppedException("cancelled: the run was cancelled"));
      Thread.currentThread().interrupt();
      throw new CancellationException(
          "The ReAct run was cancelled: the calling thread was interrupted.");
    }
    events.taskFinished(1, trace);
    return trace;
  }

  /**
   * The call: its first line when that line is complete, else everything (arguments over several
   * lines).
   */
  private static String callText(String action) {
    int lineEnd = action.indexOf('\n');
    if (lineEnd < 0) {
      return action;
    }
    String first = action.substring(0, lineEnd).strip();
    return first.endsWith(")") && count(first, '(') == count(first, ')') ? first : action;
  }

  /** How many line breaks {@code text} has before {@code end}. */
  private static int lineBreaks(String text, int end) {
    int breaks = 0;
    for (int i = 0; i < end; i++) {
      if (text.charAt(i) == '\n') {
        breaks++;
      }
    }
    return breaks;
  }

  private static long count(String text, char c) {
    return text.chars().filter(ch -> ch == c).count();
  }

  private static TaskTrace failedStep(
      int step,
      String tool,
      String thought,
      String line,
      int lineNumber,
      RunState state,
      String error,
      RunEvents events) {
    long now = state.ms();
    TaskTrace trace =
        new TaskTrace(
            step,
            tool,
            null,
            List.of(),
            now,
            now,
            TaskStatus.ERROR,
            null,
            error,
            thought,
            line,
            lineNumber);
    events.taskFinished(1, trace);
    return trace;
  }

  private String observation(TaskTrace trace) {
    if (trace.status() == TaskStatus.OK) {
      return Observations.truncate(
          Json.write(trace.result().orElse(Json.NODES.nullNode()), false), maxObservationChars);
    }
    // Quoted: the text of an error must not pass for a reply line of the model's own.
    return "error: " + Observations.quote(trace.error().orElse(""), maxObservationChars);
  }

  private CompletableFuture<LlmResponse> chat(
      LlmRequest request, dev.llmcompiler.runtime.llm.LlmStreamListener stream) {
    try {
      CompletableFuture<LlmResponse> call = llm.chat(request, stream);
      return call != null
          ? call
          : CompletableFuture.failedFuture(
              new IllegalStateException("the LlmClient returned no future (null)"));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private static LlmResponse await(CompletableFuture<LlmResponse> call) {
    try {
      return call.get();
    } catch (InterruptedException e) {
      call.cancel(true);
      Thread.currentThread().interrupt();
      throw new CancellationException(
          "The ReAct run was cancelled: the calling thread was interrupted.");
    } catch (ExecutionException e) {
      Throwable cause = ToolExecutor.unwrap(e);
      // Masked: a key a server echoed must not reach the message or the caller.
      throw new LlmFailure(
          "The ReAct LLM call failed: " + Secrets.mask(cause.getMessage()),
          Secrets.mask(cause, List.of()));
    }
  }

  private static RunResult result(
      String question,
      String answer,
      RunOutcome outcome,
      String error,
      RunState state,
      List<TaskTrace> steps,
      StringBuilder transcript,
      String thought,
      TokenUsage usage,
      int calls,
      List<LlmCallTrace> callTimes,
      RunEvents events) {
    RoundTrace round =
        new RoundTrace(
            outcome.hasAnswer() ? JoinerDecision.FINISH : JoinerDecision.NONE,
            steps,
            transcript.toString(),
            state.ms(),
            thought,
            null,
            null,
            null,
            callTimes);
    events.roundEnded(1, round);
    long wallNanos = state.elapsedNanos();
    RunTrace trace =
        new RunTrace(
            question,
            answer,
            wallNanos / 1_000_000,
            calls,
            usage.promptTokens(),
            usage.completionTokens(),
            List.of(round),
            outcome,
            error);
    RunResult result = new RunResult(trace, usage, TokenUsage.ZERO, Duration.ofNanos(wallNanos));
    events.runEnded(result);
    return result;
  }

  /**
   * Stops the agent's timer and, unless it was supplied, its tool executor. The {@link LlmClient}
   * stays open.
   */
  @Override
  public void close() {
    executor.close();
  }

  private static final class LlmFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    LlmFailure(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * Configures a {@link ReActAgent}: {@link #llm} and {@link #tools} are required, everything else
   * has a default.
   */
  public static final class Builder extends BaseBuilder<Builder> {
    private int maxSteps = DEFAULT_MAX_STEPS;

    private Builder() {}

    @Override
    Builder self() {
      return this;
    }

    /** The most tool calls per run; then the model must answer. Default 10. */
    public Builder maxSteps(int maxSteps) {
      this.maxSteps = BuilderChecks.atLeast(maxSteps, 1, "maxSteps");
      return this;
    }

    /**
     * Builds the agent.
     *
     * @throws IllegalStateException if the llm or the tools are missing, or two tools share a name
     */
    public ReActAgent build() {
      requiredLlm();
      return new ReActAgent(this, bindTools());
    }
  }
}
