package dev.llmcompiler.runtime;

import dev.llmcompiler.runtime.internal.Secrets;
import dev.llmcompiler.runtime.internal.plan.DirectAnswer;
import dev.llmcompiler.runtime.internal.plan.JsonPlanParser;
import dev.llmcompiler.runtime.internal.plan.PlanListener;
import dev.llmcompiler.runtime.internal.plan.PlanParser;
import dev.llmcompiler.runtime.internal.plan.PlanReader;
import dev.llmcompiler.runtime.internal.plan.PlannedTask;
import dev.llmcompiler.runtime.llm.LlmClient;
import dev.llmcompiler.runtime.llm.LlmException;
import dev.llmcompiler.runtime.llm.LlmRequest;
import dev.llmcompiler.runtime.llm.LlmResponse;
import dev.llmcompiler.runtime.llm.LlmStreamListener;
import dev.llmcompiler.runtime.llm.TokenUsage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * One run of an {@link LlmCompiler}: plan (streaming into the task fetching unit), join, maybe
 * replan, as a chain of callbacks. No thread waits for anything: every step starts when the event
 * it needs arrives. Listener events go through {@link RunEvents}, so no user callback runs on the
 * run's own threads or under its monitor; the result is published once the listener has them all.
 */
final class CompilerRun {
  /**
   * How much text the planner may still send after its plan ended (at {@code join()} or {@code
   * <END_OF_PLAN>}) before its stream is cancelled: room for a line break and a stop marker, so a
   * stream that ends as it should keeps its token usage, while one that runs on past its end (a
   * server that ignores the stop sequence) is cut at once instead of drained.
   */
  static final int TEXT_AFTER_PLAN_END = 64;

  private final LlmCompiler.Config config;
  private final String question;

  /** The structured answer's format, or {@code null} for a text answer. */
  private final AnswerFormat<?> format;

  private final RunState state;
  private final RunEvents events;
  private final RunObservation observation;
  private final CompletableFuture<RunResult> result = new CompletableFuture<>();
  private final AtomicBoolean ended = new AtomicBoolean();

  // Guarded by this.
  private final List<RoundTrace> rounds = new ArrayList<>();
  private TokenUsage plannerUsage = TokenUsage.ZERO;
  private TokenUsage joinerUsage = TokenUsage.ZERO;
  private int llmCalls;
  private int highestId;
  private PendingRound pending;

  /** Model calls that ended, by round: the trace's record of when each ran. */
  private final Map<Integer, List<LlmCallTrace>> llmCallTimes = new HashMap<>();

  /**
   * What became of the pending round's direct answer, for its trace; {@code null} if nothing to
   * say.
   */
  private String directAnswerNote;

  /** When the first piece of the answer was passed on, in ms since the start, or -1. */
  private long firstAnswerMs = -1;

  private volatile RunOutcome stopOutcome;
  private volatile String stopReason;
  private volatile CompletableFuture<LlmResponse> currentCall;
  private volatile TaskFetchingUnit currentRound;
  private volatile ScheduledFuture<?> deadlineTimer;
  private volatile String llmFailure;
  private volatile Throwable llmFailureCause;
  private volatile String invalidAnswer;

  /** Completes {@link #result} with the run's outcome; set when the run has ended. */
  private volatile Runnable publish;

  private volatile boolean deadlinePassed;

  /** The reader of the answer in the latest joiner call's stream. */
  private volatile AnswerStream answerStream;

  /** A round whose tasks are known but whose trace is not written yet. */
  private record PendingRound(int number, TaskFetchingUnit tasks, StringBuilder plan) {}

  CompilerRun(LlmCompiler.Config config, String question, AnswerFormat<?> format) {
    this.config = config;
    this.question = question;
    this.format = format;
    this.state = new RunState(question, config.approver());
    this.events = new RunEvents(config.listener(), config.executor()::execute);
    // Constructed on the thread that starts the run, so observers can capture its context.
    this.observation = RunObservation.start(config.observers(), question);
  }

  CompletableFuture<RunResult> start() {
    events.runStarted(question, state.startNanos());
    Duration deadline = config.runDeadline();
    if (deadline != null) {
      deadlineTimer =
          config
              .executor()
              .scheduler()
              .schedule(() -> deadlinePassed(deadline), deadline.toNanos(), TimeUnit.NANOSECONDS);
    }
    result.whenComplete(
        (value, error) -> {
          ScheduledFuture<?> timer = deadlineTimer;
          if (timer != null) {
            timer.cancel(false);
          }
          if (result.isCancelled()) {
            stop(RunOutcome.CANCELLED, "cancelled: the run was cancelled");
          }
        });
    startRound(1);
    return result;
  }

  /**
   * The run deadline passed: a running run stops; one that already ended but whose listener is
   * still behind publishes its result now instead of waiting for the listener.
   */
  private void deadlinePassed(Duration deadline) {
    deadlinePassed = true;
    Runnable ended = publish;
    if (ended != null) {
      ended.run();
    } else {
      stop(
          RunOutcome.DEADLINE_EXCEEDED,
          "deadline: the run deadline of "
              + ToolExecutor.describe(deadline)
              + " passed before the task finished");
    }
  }

  private boolean stopped() {
    return stopOutcome != null;
  }

  /**
   * Stops the run now: aborts the LLM call and the round's tools, then ends with {@code outcome}.
   */
  void stop(RunOutcome outcome, String reason) {
    synchronized (this) {
      if (stopOutcome != null || ended.get()) {
        return;
      }
      stopReason = reason;
      stopOutcome = outcome;
    }
    CompletableFuture<LlmResponse> call = currentCall;
    if (call != null) {
      call.cancel(true);
    }
    TaskFetchingUnit round = currentRound;
    if (round != null) {
      round.stop(reason);
    }
    // Whatever step was running notices the stop and ends the run; this covers a stop between
    // steps.
    endStopped();
  }

  private void startRound(int number) {
    if (stopped()) {
      endStopped();
      return;
    }
    events.roundStarted(number);
    observation.roundStarted(number);
    TaskFetchingUnit tasks =
        new TaskFetchingUnit(
            state,
            number,
            config.toolsByName(),
            config.executor(),
            events,
            observation,
            config.maxTasksPerPlan());
    LlmRequest request;
    int firstId;
    synchronized (this) {
      firstId = highestId + 1;
      pending = new PendingRound(number, tasks, new StringBuilder());
      request =
          number == 1
              ? config.planner().firstRequest(question)
              : config
                  .planner()
                  .replanRequest(
                      question,
                      rounds,
                      firstId,
                      state.resultIds(),
                      config.maxObservationChars(),
                      config.maxPromptChars());
    }
    currentRound = tasks;
    if (stopped()) {
      tasks.stop(stopReason);
    }
    StringBuilder plan = pending().plan();
    AtomicBoolean planEnded = new AtomicBoolean();
    PlanListener listener =
        new PlanListener() {
          @Override
          public void onTask(PlannedTask task) {
            tasks.onTask(task);
          }

          @Override
          public void onPlanEnd(boolean joinSeen) {
            planEnded.set(true);
            tasks.onPlanEnd(joinSeen);
          }

          @Override
          public void onDirectAnswer(DirectAnswer answer) {
            tasks.onDirectAnswer(answer);
          }

          @Override
          public void onPlanError(String error) {
            planEnded.set(true);
            tasks.onPlanError(error);
          }
        };
    PlanReader parser = planReader(firstId, listener);
    AtomicBoolean streamOpen = new AtomicBoolean(true);
    // The stream is cut when it runs on past the plan's end; whichever of the stream thread and
    // this
    // one comes second cancels the call (the first may find the other's half not done yet).
    AtomicBoolean cutStream = new AtomicBoolean();
    AtomicReference<CompletableFuture<LlmResponse>> plannerCall = new AtomicReference<>();
    long[] textAfterEnd = {0};
    LlmStreamListener stream =
        delta -> {
          synchronized (parser) {
            if (!streamOpen.get()) {
              return;
            }
            if (planEnded.get()) {
              textAfterEnd[0] += delta.length();
              if (textAfterEnd[0] > TEXT_AFTER_PLAN_END) {
                streamOpen.set(false);
                cutStream.set(true);
              }
            }
            if (!cutStream.get()) {
              plan.append(delta);
              events.planDelta(number, delta);
              try {
                parser.feed(delta);
              } catch (RuntimeException e) {
                streamOpen.set(false);
                tasks.planBroken(
                    "the plan could not be read (" + e + "); the tasks before this point ran");
              }
            }
          }
          CompletableFuture<LlmResponse> running = plannerCall.get();
          if (cutStream.get() && running != null) {
            running.cancel(true);
          }
        };
    CompletableFuture<LlmResponse> call =
        chat(number, RunObserver.LlmCallPurpose.PLANNER, request, stream);
    // chat() left the call itself in currentCall (call may be an observer's dependent stage, and
    // cancelling that would not abort the stream); no other call of this run can start before the
    // stream's end is handled below.
    plannerCall.set(currentCall);
    if (cutStream.get()) {
      currentCall.cancel(true);
    }
    CompletableFuture<Void> streamEnded =
        call.handle(
            (response, error) -> {
              synchronized (parser) {
                if (!streamOpen.getAndSet(false)) {
                  return null;
                }
                if (error != null && planEnded.get()) {
                  // The plan had ended, so every task is known: a failure after its end (a stream
                  // that broke
                  // or hit the call's time limit) costs nothing but the call's token usage.
                  return null;
                }
                if (error == null) {
                  addUsage(true, response.usage());
                  try {
                    parser.finish();
                  } catch (RuntimeException e) {
                    tasks.planBroken("the end of the plan could not be read (" + e + ")");
                  }
                  // A parser ends the plan on finish(); this covers one that did not.
                  tasks.onPlanEnd(false);
                } else if (!stopped()) {
                  String cut = incompleteLine(plan);
                  tasks.planBroken(
                      "the planner call failed: "
                          + describe(error)
                          + (cut.isEmpty()
                              ? ""
                              : "; the incomplete last line '" + cut + "' was not run"));
                  fail(
                      "The planner call of round " + number + " failed: " + describe(error), error);
                }
              }
              return null;
            });
    CompletableFuture.allOf(tasks.done(), streamEnded)
        .whenComplete((ignored, error) -> afterPlan(number, tasks, parser));
  }

  /** The reader of the compiler's plan format, telling {@code tasks} each task it reads. */
  private PlanReader planReader(int firstId, PlanListener listener) {
    return config.planFormat() == PlanFormat.JSON
        ? new JsonPlanParser(config.descriptors(), firstId, state.resultIds(), listener)
        : new PlanParser(
            config.descriptors(), firstId, state.resultIds(), listener, config.planRepairs());
  }

  private void afterPlan(int number, TaskFetchingUnit tasks, PlanReader parser) {
    if (stopped()) {
      endStopped();
      return;
    }
    if (llmFailure != null) {
      endFailed();
      return;
    }
    // The ids the plan took, not every id it wrote: a replan must number from where it can. Read
    // under the parser's own lock (its stream has ended), never nested in this run's.
    int taken;
    synchronized (parser) {
      taken = parser.lastId();
    }
    synchronized (this) {
      highestId = Math.max(highestId, taken);
    }
    DirectAnswer direct = tasks.directAnswer();
    String unusedAnswer = null;
    if (direct != null) {
      String written = "`" + shorten(direct.line()) + "`";
      if (!config.directAnswers()) {
        setDirectAnswerNote(
            "The plan ended with the direct answer "
                + written
                + ", but direct answers are off"
                + " (directAnswers(false)), so the joiner was asked.");
      } else {
        DirectAnswers.Verdict verdict =
            DirectAnswers.judge(direct, tasks.traces(), state::result, format);
        if (verdict.answer() != null) {
          // The run ends here: no joiner call.
          answerDelta(number, verdict.answer());
          finishRound(number, Joiner.Decision.finish(verdict.answer(), ""), null, null, true);
          end(RunOutcome.FINISHED, verdict.answer(), null);
          return;
        }
        unusedAnswer =
            "The plan ended with the direct answer "
                + written
                + ", which could not be used: "
                + verdict.problem();
        setDirectAnswerNote(unusedAnswer + " The joiner was asked.");
      }
    }
    LlmRequest request;
    synchronized (this) {
      request =
          config
              .joiner()
              .request(
                  question,
                  rounds,
                  tasks.traces(),
                  tasks.planError(),
                  unusedAnswer,
                  config.maxObservationChars(),
                  config.maxPromptChars(),
                  format);
    }
    askJoiner(number, request, null, false);
  }

  private synchronized void setDirectAnswerNote(String note) {
    directAnswerNote = note;
  }

  /**
   * Passes a piece of the final answer to the listener, and notes when the first came. Under the
   * monitor, so no piece follows the run's end event.
   */
  private synchronized void answerDelta(int round, String delta) {
    if (delta.isEmpty() || ended.get()) {
      return;
    }
    if (firstAnswerMs < 0) {
      firstAnswerMs = state.ms();
    }
    events.answerDelta(round, delta);
  }

  /**
   * Asks the joiner; {@code note} says what happened so far in this round's joining, {@code
   * finalOnly} that the replan budget is spent and this is the request for the best final answer.
   */
  private void askJoiner(int number, LlmRequest request, String note, boolean finalOnly) {
    callJoiner(
        number,
        request,
        text -> {
          Optional<Joiner.Decision> parsed = Joiner.parse(text);
          if (finalOnly) {
            // Only Finish is acceptable now; a second Replan with a reason yields that reason as
            // the
            // answer, but an empty or unreadable reply is never an answer.
            Optional<Joiner.Decision> usable =
                parsed.filter(
                    decision -> decision.isFinish() || !decision.text().equals(Joiner.NO_REASON));
            if (usable.isEmpty()) {
              noAnswer(
                  number,
                  text,
                  note
                      + " Its reply had no readable Finish(...) either, so the run has no answer.");
              return;
            }
            Joiner.Decision decision =
                usable.get().isFinish()
                    ? usable.get()
                    : Joiner.Decision.finish(usable.get().text(), usable.get().thought());
            String finalNote =
                note
                    + (usable.get().isFinish()
                        ? ""
                        : " Its reply was a Replan(...) again, so its reason is the answer.");
            complete(
                number, request, text, decision, finalNote, RunOutcome.REPLANS_EXHAUSTED, false);
            return;
          }
          if (parsed.isEmpty()) {
            if (note == null) {
              askJoiner(
                  number,
                  config.joiner().formatRetry(request, text),
                  "The joiner's reply had no readable Finish(...) or Replan(...); it was asked again with the format.",
                  false);
            } else {
              noAnswer(
                  number,
                  text,
                  note + " The second reply had none either, so the run has no answer.");
            }
            return;
          }
          Joiner.Decision decision = parsed.get();
          if (decision.isFinish()) {
            complete(number, request, text, decision, note, RunOutcome.FINISHED, false);
          } else if (number - 1 < config.maxReplans()) {
            finishRound(number, decision, decision.text(), note);
            startRound(number + 1);
          } else {
            askJoiner(
                number,
                config.joiner().finalAnswer(request, text, config.maxReplans()),
                (note == null ? "" : note + " ")
                    + "The joiner asked to replan ("
                    + decision.text()
                    + ") but the limit of "
                    + config.maxReplans()
                    + " replans was reached; it was asked for its best final answer.",
                true);
          }
        });
  }

  /**
   * One joiner call: ends the run if it was stopped meanwhile or the call failed, else counts its
   * usage and hands its text on.
   */
  private void callJoiner(int number, LlmRequest request, Consumer<String> onReply) {
    // A structured answer is passed on once it has been checked (see complete), not as it streams.
    AnswerStream stream = new AnswerStream(delta -> answerDelta(number, delta));
    answerStream = stream;
    LlmStreamListener listener = format == null ? stream : LlmStreamListener.IGNORE;
    chat(number, RunObserver.LlmCallPurpose.JOINER, request, listener)
        .whenComplete(
            (response, error) -> {
              if (stopped()) {
                endStopped();
                return;
              }
              if (error != null) {
                fail("The joiner call of round " + number + " failed: " + describe(error), error);
                endFailed();
                return;
              }
              addUsage(false, response.usage());
              onReply.accept(response.text());
            });
  }

  /**
   * Ends the run with the joiner's final answer. A structured answer is checked against its format
   * first; one that does not match is sent back once with the problem ({@code retried} says whether
   * that happened), and a second mismatch ends the run with {@link RunOutcome#INVALID_ANSWER}.
   */
  private void complete(
      int number,
      LlmRequest request,
      String reply,
      Joiner.Decision decision,
      String note,
      RunOutcome outcome,
      boolean retried) {
    if (format == null) {
      AnswerStream stream = answerStream;
      if (stream == null || !stream.passedOn()) {
        // The stream showed no Finish(...) at a line start (or the reply is used as it is).
        answerDelta(number, decision.text());
      }
      finishRound(number, decision, null, note);
      end(outcome, decision.text(), null);
      return;
    }
    AnswerFormat.Reading<?> reading = format.read(decision.text());
    if (reading.problem() == null) {
      answerDelta(number, reading.json());
      finishRound(
          number,
          new Joiner.Decision(decision.decision(), reading.json(), decision.thought()),
          null,
          note);
      end(outcome, reading.json(), null);
      return;
    }
    String problem = reading.problem();
    if (retried) {
      invalidAnswer =
          "The answer of "
              + format.description()
              + " does not match its JSON schema, also after the"
              + " joiner was told what was wrong and asked again: "
              + problem
              + ". Its last answer was: "
              + shorten(decision.text())
              + ". Make the question or the agent's instructions clearer, or use a"
              + " stronger model; the trace is in LlmCompilerException.partialResult().";
      finishRound(
          number,
          decision,
          null,
          append(
              note,
              "The retried answer did not match the answer format either (" + problem + ")."));
      end(RunOutcome.INVALID_ANSWER, "", null);
      return;
    }
    String retryNote =
        append(
            note,
            "The answer did not match the answer format ("
                + problem
                + "); the joiner was told and asked again.");
    LlmRequest retry = config.joiner().structuredRetry(request, reply, problem, format);
    callJoiner(
        number,
        retry,
        text -> {
          Joiner.Decision again =
              Joiner.parse(text)
                  .filter(Joiner.Decision::isFinish)
                  .orElseGet(
                      () ->
                          Joiner.Decision.finish(Joiner.rawAnswer(text), ActionText.thought(text)));
          complete(number, retry, text, again, retryNote, outcome, true);
        });
  }

  /**
   * Ends the run without an answer ({@link RunOutcome#INVALID_ANSWER}): the joiner's last reply,
   * {@code reply}, was empty or had no readable action, also after it was asked again.
   */
  private void noAnswer(int number, String reply, String note) {
    invalidAnswer =
        "The joiner gave no usable answer: "
            + (reply.isBlank()
                ? "its reply was empty"
                : "its reply had no line starting with `Action: Finish(...)`")
            + ", also after it was asked again in the required format"
            + (reply.isBlank() ? "" : "; its last reply was: \"" + shorten(reply) + "\"")
            + ". Check that the model follows the joiner's format (a stronger model helps) and that nothing cuts its"
            + " output short (a stop sequence, a token limit); the trace is in LlmCompilerException.partialResult().";
    finishRound(number, null, null, note);
    end(RunOutcome.INVALID_ANSWER, "", null);
  }

  private static String append(String note, String more) {
    return note == null || note.isEmpty() ? more : note + " " + more;
  }

  private static String shorten(String text) {
    String stripped = text.strip();
    String flat = stripped.substring(0, Math.min(stripped.length(), 1000)).replaceAll("\\s+", " ");
    return flat.length() > 300 ? flat.substring(0, 297) + "..." : flat;
  }

  private CompletableFuture<LlmResponse> chat(
      int round, RunObserver.LlmCallPurpose purpose, LlmRequest request, LlmStreamListener stream) {
    long startMs = state.ms();
    synchronized (this) {
      llmCalls++;
    }
    RunObserver.LlmCall observed = observation.llmCall(round, purpose, request);
    CompletableFuture<LlmResponse> call;
    try {
      LlmClient llm = config.llm();
      call = llm.chat(request, stream);
      if (call == null) {
        call =
            CompletableFuture.failedFuture(
                new LlmException(
                    LlmException.Kind.OTHER, "the LlmClient returned no future (null)"));
      }
    } catch (RuntimeException e) {
      call = CompletableFuture.failedFuture(e);
    }
    currentCall = call;
    // The run reacts to the stage returned here, so the call's time is recorded (and the observer
    // hears of the end) first. The call itself stays in currentCall: cancelling a dependent stage
    // would not abort it.
    CompletableFuture<LlmResponse> timed =
        call.whenComplete((response, error) -> callEnded(round, request, startMs));
    if (stopped()) {
      call.cancel(true);
    }
    if (observed == null) {
      return timed;
    }
    return timed.whenComplete(
        (response, error) ->
            observed.ended(response, error == null ? null : ToolExecutor.unwrap(error)));
  }

  private synchronized void callEnded(int round, LlmRequest request, long startMs) {
    llmCallTimes
        .computeIfAbsent(round, r -> new ArrayList<>())
        .add(new LlmCallTrace(request.purpose(), startMs, state.ms()));
  }

  private synchronized void addUsage(boolean planner, TokenUsage usage) {
    if (planner) {
      plannerUsage = plannerUsage.plus(usage);
    } else {
      joinerUsage = joinerUsage.plus(usage);
    }
  }

  private void fail(String message, Throwable cause) {
    if (llmFailure == null) {
      // Whatever the LlmClient put in its exception: a key a server echoed must not reach the
      // caller.
      llmFailureCause = Secrets.mask(ToolExecutor.unwrap(cause), List.of());
      llmFailure = message;
    }
  }

  private static String describe(Throwable error) {
    Throwable cause = ToolExecutor.unwrap(error);
    // Masked: the description goes into the trace and the exception message.
    if (cause instanceof LlmException llm) {
      return Secrets.mask(llm.getMessage())
          + " ("
          + llm.kind()
          + (llm.statusCode().isPresent() ? ", HTTP " + llm.statusCode().getAsInt() : "")
          + ")";
    }
    return cause.getClass().getSimpleName()
        + (cause.getMessage() == null ? "" : ": " + Secrets.mask(cause.getMessage()));
  }

  private static String incompleteLine(StringBuilder plan) {
    int lastBreak = plan.lastIndexOf("\n");
    return plan.substring(lastBreak + 1).strip();
  }

  private synchronized PendingRound pending() {
    return pending;
  }

  private void finishRound(int number, Joiner.Decision decision, String reason, String note) {
    finishRound(number, decision, reason, note, false);
  }

  /**
   * @param direct whether the plan's direct answer finished the round, without a joiner call
   */
  private void finishRound(
      int number, Joiner.Decision decision, String reason, String note, boolean direct) {
    RoundTrace trace;
    synchronized (this) {
      PendingRound round = pending;
      if (round == null || round.number() != number) {
        return;
      }
      pending = null;
      String joinerNote = note == null ? directAnswerNote : append(directAnswerNote, note);
      directAnswerNote = null;
      trace =
          new RoundTrace(
              decision == null ? JoinerDecision.NONE : decision.decision(),
              round.tasks().traces(),
              round.plan().toString(),
              round.tasks().planEndMs(),
              decision == null ? "" : decision.thought(),
              reason,
              round.tasks().planError(),
              joinerNote,
              llmCallTimes.getOrDefault(number, List.of()),
              direct);
      rounds.add(trace);
      if (decision != null) {
        events.joinerDecision(number, decision.decision(), decision.text());
      }
      events.roundEnded(number, trace);
    }
    observation.roundEnded(trace);
  }

  private void endStopped() {
    PendingRound round = pending();
    if (round != null) {
      finishRound(round.number(), null, null, null);
    }
    RunOutcome outcome = stopOutcome;
    end(outcome, "", new CancellationException(stopReason));
  }

  private void endFailed() {
    PendingRound round = pending();
    if (round != null) {
      finishRound(round.number(), null, null, null);
    }
    end(RunOutcome.LLM_FAILED, "", llmFailureCause);
  }

  private void end(RunOutcome outcome, String answer, Throwable cause) {
    if (!ended.compareAndSet(false, true)) {
      return;
    }
    // The deadline timer keeps running until the result is published (see deadlinePassed).
    String error =
        switch (outcome) {
          case LLM_FAILED -> llmFailure;
          case DEADLINE_EXCEEDED, CANCELLED -> stopReason;
          case INVALID_ANSWER -> invalidAnswer;
          default -> null;
        };
    long wallNanos = state.elapsedNanos();
    RunResult runResult;
    synchronized (this) {
      TokenUsage total = plannerUsage.plus(joinerUsage);
      RunTrace trace =
          new RunTrace(
              question,
              answer,
              wallNanos / 1_000_000,
              llmCalls,
              total.promptTokens(),
              total.completionTokens(),
              rounds,
              outcome,
              error,
              firstAnswerMs);
      runResult = new RunResult(trace, plannerUsage, joinerUsage, Duration.ofNanos(wallNanos));
    }
    events.runEnded(runResult);
    observation.ended(runResult);
    Runnable complete =
        () -> {
          if (outcome.hasAnswer()) {
            result.complete(runResult);
          } else if (outcome != RunOutcome.CANCELLED) {
            result.completeExceptionally(new LlmCompilerException(error, cause, runResult));
          } else {
            result.cancel(false);
          }
        };
    publish = complete;
    // A caller who reads the listener after the run sees every event, unless the deadline has
    // passed:
    // then nothing waits any longer. Publishing is set before deadlinePassed is read, and the timer
    // sets deadlinePassed before it reads publish, so one of the two always publishes.
    if (deadlinePassed) {
      complete.run();
    } else {
      events.delivered().thenRun(complete);
    }
  }
}
