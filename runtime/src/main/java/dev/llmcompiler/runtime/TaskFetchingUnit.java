package dev.llmcompiler.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmcompiler.annotations.Effect;
import dev.llmcompiler.runtime.internal.Json;
import dev.llmcompiler.runtime.internal.plan.DirectAnswer;
import dev.llmcompiler.runtime.internal.plan.PlanListener;
import dev.llmcompiler.runtime.internal.plan.PlanReferenceException;
import dev.llmcompiler.runtime.internal.plan.PlanValue;
import dev.llmcompiler.runtime.internal.plan.PlannedTask;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * Schedules one round's tasks as the parser emits them: a task is dispatched the moment it is
 * parsed and every task it references has succeeded, while the plan may still be streaming. Event
 * driven: each task keeps a count of unfinished dependencies and a list of its dependents, so a
 * finishing task touches only its own edges and the whole round costs time linear in tasks plus
 * references.
 *
 * <p>Calls go through the run's {@link CallMemo}: a task whose call (tool and resolved arguments)
 * was made before in the run shares that call's outcome instead of running it again, and a call
 * that changes data is put to the run's {@link ToolApprover} first, on an executor thread.
 *
 * <p>Thread-safe: the parser (on the LLM's stream thread), finishing tools and approvals (on
 * executor threads) and {@link #stop} (on a timer or the caller's thread) all enter through one
 * monitor; {@link #done()} completes outside it, and so do the outcomes published to the memo,
 * which wake the tasks that share them (possibly of a later round). Listener events are only queued
 * under the monitor ({@link RunEvents}), so no user callback ever runs while it is held.
 */
final class TaskFetchingUnit implements PlanListener {
  private final RunState run;
  private final int round;
  private final Map<String, ToolBinding> tools;
  private final ToolExecutor executor;
  private final RunEvents events;
  private final RunObservation observation;
  private final int maxTasks;

  private final Map<Integer, Node> byId = new HashMap<>();
  private final List<Node> order = new ArrayList<>();
  private final CompletableFuture<Void> done = new CompletableFuture<>();

  /** Work queued under the monitor to run after it is released: publishing outcomes to the memo. */
  private final List<Runnable> afterMonitor = new ArrayList<>();

  private int unfinished;
  private boolean planEnded;
  private String stopReason;
  private String planError;
  private long planEndMs = -1;
  private DirectAnswer directAnswer;

  TaskFetchingUnit(
      RunState run,
      int round,
      Map<String, ToolBinding> tools,
      ToolExecutor executor,
      RunEvents events,
      RunObservation observation,
      int maxTasks) {
    this.run = run;
    this.round = round;
    this.tools = tools;
    this.executor = executor;
    this.events = events;
    this.observation = observation;
    this.maxTasks = maxTasks;
  }

  /** Completes when the plan has ended and every task is finished, failed or skipped. */
  CompletableFuture<Void> done() {
    return done;
  }

  @Override
  public void onTask(PlannedTask task) {
    synchronized (this) {
      if (planEnded) {
        return;
      }
      if (events.enabled()) {
        events.taskParsed(TaskEvent.parsed(run.ms(), round, task));
      }
      Node node = new Node(task);
      order.add(node);
      // A duplicate id is a failed task from the parser; the first task keeps the id for
      // references.
      if (task.id() != PlannedTask.UNNUMBERED) {
        byId.putIfAbsent(task.id(), node);
      }
      unfinished++;
      if (order.size() > maxTasks) {
        fail(
            node,
            "Task "
                + task.id()
                + " was not run: a plan may have at most "
                + maxTasks
                + " tasks (maxTasksPerPlan). Plan fewer, larger steps, or continue in a replan.");
      } else if (task.error() != null) {
        fail(node, task.error());
      } else {
        link(node);
      }
    }
    afterUpdate();
  }

  private void link(Node node) {
    for (int dependency : node.task.dependsOn()) {
      Node earlier = byId.get(dependency);
      if (earlier != null && earlier != node) {
        if (earlier.status == null) {
          earlier.dependents().add(node);
          node.waitingFor++;
        } else if (earlier.status != TaskStatus.OK) {
          skip(node, earlier);
          return;
        }
      } else if (run.result(dependency) == null) {
        fail(
            node,
            "Task "
                + node.task.id()
                + " references $"
                + dependency
                + ", but there is no result of a task "
                + dependency
                + " to use (it does not exist yet, or it failed in an earlier round).");
        return;
      }
    }
    if (node.waitingFor == 0) {
      dispatchFrom(node);
    }
  }

  /** The plan ended; with or without a {@code join()}, the round ends once its tasks are done. */
  @Override
  public void onPlanEnd(boolean joinSeen) {
    synchronized (this) {
      if (planEnded) {
        return;
      }
      planEnded = true;
      planEndMs = run.ms();
    }
    afterUpdate();
  }

  /**
   * The plan ends with {@code join("...")}: kept for the run to decide on once the tasks are done.
   */
  @Override
  public synchronized void onDirectAnswer(DirectAnswer answer) {
    if (!planEnded) {
      directAnswer = answer;
    }
  }

  /** A JSON plan is malformed or cut off: as {@link #planBroken}, the tasks read before it run. */
  @Override
  public void onPlanError(String error) {
    planBroken(error);
  }

  /** The plan stream broke: no more tasks will come; the ones already parsed run to their end. */
  void planBroken(String error) {
    synchronized (this) {
      if (planEnded) {
        return;
      }
      planError = error;
      planEnded = true;
      planEndMs = run.ms();
    }
    afterUpdate();
  }

  /**
   * Stops the round at once: running tools and pending approvals are interrupted and every
   * unfinished task ends with the error {@code reason} (not skipped: nothing failed, the run
   * stopped). A call that changes data and had already entered its tool says that its outcome is
   * unknown.
   */
  void stop(String reason) {
    List<ToolExecutor.ToolCall> running = new ArrayList<>();
    List<Future<?>> approvals = new ArrayList<>();
    synchronized (this) {
      if (stopReason != null) {
        return;
      }
      stopReason = reason;
      if (!planEnded) {
        planEnded = true;
        planEndMs = run.ms();
      }
      for (Node node : order) {
        if (node.status == null) {
          String error = reason;
          if (node.call != null) {
            running.add(node.call);
            // Dropped before any is stopped, so a freed permit cannot start a queued call of this
            // round;
            // one that never started says so instead of looking like a slow tool. One that started
            // and
            // changes data may have taken effect.
            if (node.call.drop()) {
              error = reason + node.call.notStartedNote();
            } else if (CallMemo.changesData(node.effect)) {
              error = reason + "; the call had started: " + ToolExecutor.OUTCOME_UNKNOWN;
            }
          }
          if (node.approval != null) {
            approvals.add(node.approval);
          }
          finish(node, TaskStatus.ERROR, null, error);
        }
      }
    }
    // Outside the monitor: the completions they trigger find the tasks already ended.
    running.forEach(call -> call.stop(new ToolExecutor.RunStoppedException(reason)));
    approvals.forEach(approval -> approval.cancel(true));
    afterUpdate();
  }

  /**
   * Dispatches {@code first}, and then every task that becomes ready on the way because a task
   * ended at once (sharing an earlier outcome), iteratively: plans can be long chains.
   */
  private void dispatchFrom(Node first) {
    ArrayDeque<Node> ready = new ArrayDeque<>();
    ready.add(first);
    dispatchAll(ready);
  }

  private void dispatchAll(ArrayDeque<Node> ready) {
    while (!ready.isEmpty()) {
      Node node = ready.poll();
      if (node.status == null) {
        dispatch(node, ready);
      }
    }
  }

  /**
   * Resolves the task's arguments, then shares an earlier identical call, asks the approver, or
   * starts the call.
   */
  private void dispatch(Node node, ArrayDeque<Node> ready) {
    PlannedTask task = node.task;
    ToolBinding tool = tools.get(task.tool());
    if (tool == null) {
      fail(node, "Unknown tool '" + task.tool() + "'. Use only the tools listed in the prompt.");
      return;
    }
    ObjectNode args = Json.object();
    try {
      for (Map.Entry<String, PlanValue> argument : task.arguments().entrySet()) {
        args.set(argument.getKey(), argument.getValue().resolve(run::result));
      }
    } catch (PlanReferenceException e) {
      node.args = args;
      fail(node, e.getMessage());
      return;
    }
    node.args = args;
    node.effect = tool.descriptor().effect();
    CallMemo.Entry mine =
        new CallMemo.Entry(CallMemo.key(tool.name(), args), round, task.id(), node.effect);
    CallMemo.Entry earlier = run.calls().claim(mine);
    if (earlier != null) {
      node.reusedFrom = earlier.taskId;
      if (events.enabled()) {
        events.taskDispatched(TaskEvent.reused(run.ms(), round, task, args, earlier.taskId));
      }
      if (earlier.outcome.isDone()) {
        share(node, earlier, earlier.outcome.join(), ready);
      } else {
        earlier.outcome.thenAccept(outcome -> sharedLater(node, earlier, outcome));
      }
      return;
    }
    node.entry = mine;
    if (events.enabled()) {
      // Built before the call starts: the event copies the arguments before the tool can touch
      // them.
      events.taskDispatched(TaskEvent.dispatched(run.ms(), round, task, args));
    }
    ToolApprover approver = run.approver();
    if (approver != null && CallMemo.changesData(node.effect)) {
      askApprover(node, tool, approver);
    } else {
      start(node, tool);
    }
  }

  private void start(Node node, ToolBinding tool) {
    PlannedTask task = node.task;
    ObjectNode args = node.args;
    Supplier<RunObserver.ToolCall> observe =
        observation.active()
            ? () -> observation.toolCall(TaskEvent.dispatched(run.ms(), round, task, args))
            : null;
    node.call = executor.start(tool, args, () -> node.startMs = run.ms(), observe);
    node.call.result().whenComplete((result, error) -> completed(node, result, error));
  }

  /**
   * The task repeats a call made before in the run: it ends as that call did, without running it
   * again.
   */
  private void share(
      Node node, CallMemo.Entry earlier, CallMemo.Outcome outcome, ArrayDeque<Node> ready) {
    if (outcome.ok()) {
      succeeded(node, outcome.result(), ready);
    } else if (earlier.changesData()) {
      fail(
          node,
          "already attempted in round "
              + earlier.round
              + "; not repeated. Task "
              + earlier.taskId
              + ": "
              + outcome.error());
    } else {
      fail(node, "the same call as task " + earlier.taskId + ", which failed: " + outcome.error());
    }
  }

  /** The earlier call this task shares ended after the task was dispatched. */
  private void sharedLater(Node node, CallMemo.Entry earlier, CallMemo.Outcome outcome) {
    // The outcome may have arrived while dispatch still held the monitor; that caller finishes the
    // update.
    boolean nested = Thread.holdsLock(this);
    synchronized (this) {
      if (node.status == null) {
        ArrayDeque<Node> ready = new ArrayDeque<>();
        share(node, earlier, outcome, ready);
        dispatchAll(ready);
      }
    }
    if (!nested) {
      afterUpdate();
    }
  }

  /**
   * Puts the call to the approver on an executor thread, where it may block as long as a person
   * takes; {@link #stop} interrupts it.
   */
  private void askApprover(Node node, ToolBinding tool, ToolApprover approver) {
    ToolApprover.Request request =
        ToolApprover.Request.builder()
            .tool(tool.descriptor())
            .arguments(node.args)
            .question(run.question())
            .round(round)
            .taskId(node.task.id())
            .thought(node.task.thought())
            .build();
    try {
      node.approval = executor.submit(() -> approved(node, tool, decide(approver, request)));
    } catch (RejectedExecutionException e) {
      fail(
          node,
          "the executor rejected the approval (was the LlmCompiler or its ExecutorService shut down?)");
    }
  }

  private static ToolApproval decide(ToolApprover approver, ToolApprover.Request request) {
    try {
      ToolApproval decision = approver.approve(request);
      return decision != null
          ? decision
          : ToolApproval.deny("the approver returned no decision (null)");
    } catch (InterruptedException e) {
      // Interrupted because the run stopped (its task has ended already) or by the approver's own
      // code.
      Thread.currentThread().interrupt();
      return ToolApproval.deny("the approval was interrupted");
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable e) {
      String type =
          e.getClass().getSimpleName().isEmpty()
              ? e.getClass().getName()
              : e.getClass().getSimpleName();
      return ToolApproval.deny(
          "the approver failed: " + type + (e.getMessage() == null ? "" : ": " + e.getMessage()));
    }
  }

  private void approved(Node node, ToolBinding tool, ToolApproval decision) {
    boolean nested = Thread.holdsLock(this);
    synchronized (this) {
      if (node.status == null) {
        node.approval = null;
        if (decision.allowed()) {
          start(node, tool);
        } else {
          fail(node, "denied by the approver: " + decision.reason().orElse(""));
        }
      }
    }
    if (!nested) {
      afterUpdate();
    }
  }

  private void completed(Node node, JsonNode result, Throwable error) {
    // A call that ends at once (a rejected executor) completes while dispatch holds the monitor.
    boolean nested = Thread.holdsLock(this);
    synchronized (this) {
      if (node.status == null) {
        if (error == null) {
          ArrayDeque<Node> ready = new ArrayDeque<>();
          succeeded(node, result, ready);
          dispatchAll(ready);
        } else {
          fail(node, describeFailure(node.task.tool(), node.effect, node.call.mayHaveRun(), error));
        }
      }
    }
    if (!nested) {
      afterUpdate();
    }
  }

  /** Records the result and queues the dependents it was the last input of. */
  private void succeeded(Node node, JsonNode result, ArrayDeque<Node> ready) {
    run.putResult(node.task.id(), result);
    finish(node, TaskStatus.OK, result, null);
    if (node.dependents != null) {
      for (Node dependent : node.dependents) {
        if (dependent.status == null && --dependent.waitingFor == 0) {
          ready.add(dependent);
        }
      }
    }
  }

  /**
   * Why a call failed, for the model: for a tool that changes data and was cut off (timed out or
   * cancelled) after it was entered, that its outcome is unknown, so that it is not simply
   * repeated.
   */
  static String describeFailure(String tool, Effect effect, boolean mayHaveRun, Throwable error) {
    Throwable cause = ToolExecutor.unwrap(error);
    if (CallMemo.changesData(effect) && mayHaveRun) {
      if (cause instanceof ToolExecutor.ToolTimeoutException timeout) {
        return timeout.outcomeUnknown();
      }
      if (cause instanceof CancellationException) {
        return "Tool '"
            + tool
            + "' was cancelled after it started"
            + (cause.getMessage() == null ? "" : " (" + cause.getMessage() + ")")
            + "; "
            + ToolExecutor.OUTCOME_UNKNOWN
            + ".";
      }
    }
    return describeFailure(tool, error);
  }

  static String describeFailure(String tool, Throwable error) {
    Throwable cause = ToolExecutor.unwrap(error);
    if (cause instanceof ToolArgumentException
        || cause instanceof ToolExecutor.ToolTimeoutException
        || cause instanceof ToolExecutor.RunStoppedException) {
      return cause.getMessage();
    }
    String type =
        cause.getClass().getSimpleName().isEmpty()
            ? cause.getClass().getName()
            : cause.getClass().getSimpleName();
    return "Tool '"
        + tool
        + "' failed: "
        + type
        + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
  }

  private void fail(Node node, String error) {
    node.rootFailure = "task " + node.task.id() + " failed: " + error;
    finish(node, TaskStatus.ERROR, null, error);
    skipDependents(node);
  }

  private void skip(Node node, Node cause) {
    node.rootFailure = cause.rootFailure;
    String reason =
        cause.status == TaskStatus.ERROR
            ? "skipped: depends on task " + cause.task.id() + ", which failed: " + cause.error
            : "skipped: depends on task "
                + cause.task.id()
                + ", which was skipped because "
                + cause.rootFailure;
    finish(node, TaskStatus.SKIPPED, null, reason);
    skipDependents(node);
  }

  /**
   * Skips everything downstream of a failed or skipped task, iteratively (plans can be long
   * chains).
   */
  private void skipDependents(Node failed) {
    if (stopReason != null) {
      return;
    }
    ArrayDeque<Node> causes = new ArrayDeque<>();
    causes.add(failed);
    while (!causes.isEmpty()) {
      Node cause = causes.poll();
      if (cause.dependents == null) {
        continue;
      }
      for (Node dependent : cause.dependents) {
        if (dependent.status == null) {
          dependent.rootFailure = cause.rootFailure;
          String reason =
              cause.status == TaskStatus.ERROR
                  ? "skipped: depends on task " + cause.task.id() + ", which failed: " + cause.error
                  : "skipped: depends on task "
                      + cause.task.id()
                      + ", which was skipped because "
                      + cause.rootFailure;
          finish(dependent, TaskStatus.SKIPPED, null, reason);
          causes.add(dependent);
        }
      }
    }
  }

  private void finish(Node node, TaskStatus status, JsonNode result, String error) {
    node.status = status;
    node.result = result;
    node.error = error;
    CallMemo.Entry entry = node.entry;
    if (entry != null) {
      // Published outside the monitor: it wakes the tasks sharing the call, which may belong to
      // another round.
      CallMemo.Outcome outcome =
          new CallMemo.Outcome(
              status == TaskStatus.OK ? result : null, status == TaskStatus.OK ? null : error);
      afterMonitor.add(() -> run.calls().settle(entry, outcome));
    }
    // A tool's end is when it returned, not when this unit got to hear of it.
    node.endMs =
        node.call != null && node.call.result().isDone() && stopReason == null
            ? run.msAt(node.call.endNanos())
            : run.ms();
    if (node.startMs < 0) {
      node.startMs = node.endMs;
    }
    unfinished--;
    if (events.enabled()) {
      events.taskFinished(round, node.toTrace());
    }
  }

  /**
   * Runs what was queued under the monitor, then completes the round if it is done; never under the
   * monitor.
   */
  private void afterUpdate() {
    while (true) {
      List<Runnable> work;
      synchronized (this) {
        if (afterMonitor.isEmpty()) {
          break;
        }
        work = new ArrayList<>(afterMonitor);
        afterMonitor.clear();
      }
      work.forEach(Runnable::run);
    }
    completeIfDone();
  }

  private void completeIfDone() {
    boolean finished;
    synchronized (this) {
      finished = planEnded && unfinished == 0;
    }
    if (finished) {
      done.complete(null);
    }
  }

  synchronized List<TaskTrace> traces() {
    List<TaskTrace> traces = new ArrayList<>(order.size());
    order.forEach(node -> traces.add(node.toTrace()));
    return traces;
  }

  synchronized String planError() {
    return planError;
  }

  synchronized long planEndMs() {
    return planEndMs;
  }

  /** The answer of the plan's {@code join("...")}, or {@code null} if its join had none. */
  synchronized DirectAnswer directAnswer() {
    return directAnswer;
  }

  /** One task and its scheduling state; guarded by the unit's monitor except {@link #startMs}. */
  private static final class Node {
    final PlannedTask task;
    List<Node> dependents;
    int waitingFor;
    TaskStatus status;
    ObjectNode args;
    JsonNode result;
    String error;
    String rootFailure;
    volatile long startMs = -1;
    long endMs;
    ToolExecutor.ToolCall call;

    /** The tool's effect, once dispatched. */
    Effect effect;

    /** The memo entry of the call this task makes itself, or {@code null}. */
    CallMemo.Entry entry;

    /** The task whose call this one shares, or 0. */
    int reusedFrom;

    /** The pending approval, or {@code null}. */
    Future<?> approval;

    Node(PlannedTask task) {
      this.task = task;
    }

    List<Node> dependents() {
      if (dependents == null) {
        dependents = new ArrayList<>(2);
      }
      return dependents;
    }

    TaskTrace toTrace() {
      return new TaskTrace(
          task.id(),
          task.tool(),
          args,
          new ArrayList<>(task.dependsOn()),
          startMs,
          status == null ? -1 : endMs,
          status == null ? TaskStatus.ERROR : status,
          result,
          status == null ? "not finished" : error,
          task.thought(),
          task.line(),
          task.lineNumber(),
          task.repairs(),
          reusedFrom);
    }
  }
}
