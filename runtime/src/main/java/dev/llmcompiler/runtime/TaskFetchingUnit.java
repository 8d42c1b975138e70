package dev.llmcompiler.runtime;

import dev.llmcompiler.runtime.internal.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmcompiler.runtime.internal.plan.PlanListener;
import dev.llmcompiler.runtime.internal.plan.PlanReferenceException;
import dev.llmcompiler.runtime.internal.plan.PlanValue;
import dev.llmcompiler.runtime.internal.plan.PlannedTask;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Schedules one round's tasks as the parser emits them: a task is dispatched the moment it is parsed
 * and every task it references has succeeded, while the plan may still be streaming. Event driven:
 * each task keeps a count of unfinished dependencies and a list of its dependents, so a finishing
 * task touches only its own edges and the whole round costs time linear in tasks plus references.
 *
 * <p>Thread-safe: the parser (on the LLM's stream thread), finishing tools (on executor threads)
 * and {@link #stop} (on a timer or the caller's thread) all enter through one monitor; {@link #done()}
 * completes outside it. Listener events are only queued under the monitor ({@link RunEvents}), so
 * no user callback ever runs while it is held.
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
  private int unfinished;
  private boolean planEnded;
  private String stopReason;
  private String planError;
  private long planEndMs = -1;

  TaskFetchingUnit(RunState run, int round, Map<String, ToolBinding> tools, ToolExecutor executor,
      RunEvents events, RunObservation observation, int maxTasks) {
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
      // A duplicate id is a failed task from the parser; the first task keeps the id for references.
      byId.putIfAbsent(task.id(), node);
      unfinished++;
      if (order.size() > maxTasks) {
        fail(node, "Task " + task.id() + " was not run: a plan may have at most " + maxTasks
            + " tasks (maxTasksPerPlan). Plan fewer, larger steps, or continue in a replan.");
      } else if (task.error() != null) {
        fail(node, task.error());
      } else {
        link(node);
      }
    }
    completeIfDone();
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
        fail(node, "Task " + node.task.id() + " references $" + dependency + ", but there is no result of a task "
            + dependency + " to use (it does not exist yet, or it failed in an earlier round).");
        return;
      }
    }
    if (node.waitingFor == 0) {
      dispatch(node);
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
    completeIfDone();
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
    completeIfDone();
  }

  /**
   * Stops the round at once: running tools are interrupted and every unfinished task ends with the
   * error {@code reason} (not skipped: nothing failed, the run stopped).
   */
  void stop(String reason) {
    List<ToolExecutor.ToolCall> running = new ArrayList<>();
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
            // Dropped before any is stopped, so a freed permit cannot start a queued call of this round;
            // one that never started says so instead of looking like a slow tool.
            if (node.call.drop()) {
              error = reason + node.call.notStartedNote();
            }
          }
          finish(node, TaskStatus.ERROR, null, error);
        }
      }
    }
    // Outside the monitor: the completions they trigger find the tasks already ended.
    running.forEach(call -> call.stop(new ToolExecutor.RunStoppedException(reason)));
    completeIfDone();
  }

  private void dispatch(Node node) {
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
    if (events.enabled()) {
      // Built before the call starts: the event copies the arguments before the tool can touch them.
      events.taskDispatched(TaskEvent.dispatched(run.ms(), round, task, args));
    }
    Supplier<RunObserver.ToolCall> observe = observation.active()
        ? () -> observation.toolCall(TaskEvent.dispatched(run.ms(), round, task, args))
        : null;
    node.call = executor.start(tool, args, () -> node.startMs = run.ms(), observe);
    node.call.result().whenComplete((result, error) -> completed(node, result, error));
  }

  private void completed(Node node, JsonNode result, Throwable error) {
    synchronized (this) {
      if (node.status != null) {
        return;
      }
      if (error == null) {
        run.putResult(node.task.id(), result);
        finish(node, TaskStatus.OK, result, null);
        if (node.dependents != null) {
          for (Node dependent : node.dependents) {
            if (dependent.status == null && --dependent.waitingFor == 0) {
              dispatch(dependent);
            }
          }
        }
      } else {
        fail(node, describeFailure(node.task.tool(), error));
      }
    }
    completeIfDone();
  }

  static String describeFailure(String tool, Throwable error) {
    Throwable cause = ToolExecutor.unwrap(error);
    if (cause instanceof ToolArgumentException
        || cause instanceof ToolExecutor.ToolTimeoutException
        || cause instanceof ToolExecutor.RunStoppedException) {
      return cause.getMessage();
    }
    String type = cause.getClass().getSimpleName().isEmpty() ? cause.getClass().getName() : cause.getClass().getSimpleName();
    return "Tool '" + tool + "' failed: " + type + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
  }

  private void fail(Node node, String error) {
    node.rootFailure = "task " + node.task.id() + " failed: " + error;
    finish(node, TaskStatus.ERROR, null, error);
    skipDependents(node);
  }

  private void skip(Node node, Node cause) {
    node.rootFailure = cause.rootFailure;
    String reason = cause.status == TaskStatus.ERROR
        ? "skipped: depends on task " + cause.task.id() + ", which failed: " + cause.error
        : "skipped: depends on task " + cause.task.id() + ", which was skipped because " + cause.rootFailure;
    finish(node, TaskStatus.SKIPPED, null, reason);
    skipDependents(node);
  }

  /** Skips everything downstream of a failed or skipped task, iteratively (plans can be long chains). */
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
          String reason = cause.status == TaskStatus.ERROR
              ? "skipped: depends on task " + cause.task.id() + ", which failed: " + cause.error
              : "skipped: depends on task " + cause.task.id() + ", which was skipped because " + cause.rootFailure;
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
    // A tool's end is when it returned, not when this unit got to hear of it.
    node.endMs = node.call != null && node.call.result().isDone() && stopReason == null
        ? run.msAt(node.call.endNanos()) : run.ms();
    if (node.startMs < 0) {
      node.startMs = node.endMs;
    }
    unfinished--;
    if (events.enabled()) {
      events.taskFinished(round, node.toTrace());
    }
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

  synchronized int highestId() {
    int highest = 0;
    for (Node node : order) {
      highest = Math.max(highest, node.task.id());
    }
    return highest;
  }

  synchronized String planError() {
    return planError;
  }

  synchronized long planEndMs() {
    return planEndMs;
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
      return new TaskTrace(task.id(), task.tool(), args, new ArrayList<>(task.dependsOn()), startMs,
          status == null ? -1 : endMs, status == null ? TaskStatus.ERROR : status, result,
          status == null ? "not finished" : error, task.thought(), task.line(), task.lineNumber());
    }
  }
}
