package dev.llmcompiler.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmcompiler.annotations.Effect;
import dev.llmcompiler.runtime.internal.Json;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;

/**
 * Decides whether a tool call that changes things may run: called before each call of a {@link
 * Effect#MUTATING} or {@link Effect#DESTRUCTIVE} tool, with the tool, its resolved arguments and
 * the run's question. Register it with {@link LlmCompiler.Builder#approver}.
 *
 * <pre>{@code
 * LlmCompiler compiler = LlmCompiler.builder()
 *     .llm(llm)
 *     .tools(ShopTools.of(shop))
 *     .approver(request -> request.tool().name().equals("charge")
 *             && request.arguments().path("cents").asLong() > 10_000
 *         ? ToolApproval.deny("charges above 100.00 need a manager")
 *         : ToolApproval.allow())
 *     .build();
 * }</pre>
 *
 * <h2>Contract</h2>
 *
 * <ul>
 *   <li>It is called once the call's inputs are ready, on a thread of the tool executor and never
 *       under a lock of the runtime, so it may block while a person decides: other tasks keep
 *       running meanwhile. The tool's timeout starts only when the call is allowed.
 *   <li>The run deadline still applies: when the run stops (deadline or cancellation) while an
 *       approval is pending, the approving thread is interrupted and the task ends with the run's
 *       stop reason; the tool is never called.
 *   <li>A denial becomes the task's error, {@code "denied by the approver: <reason>"}; the tool is
 *       never reached and the tasks that depend on it are skipped. Whatever the approver throws is
 *       a denial with the exception's message; so is a {@code null} decision.
 *   <li>It is asked once per distinct call: a repeat of the same call in the same run (also in a
 *       replan) is never executed again, so it is never asked about again either. {@link
 *       Effect#READ_ONLY} and {@link Effect#IDEMPOTENT} calls are not asked about.
 *   <li>It may be called concurrently, for parallel tasks of one run and for concurrent runs, so it
 *       must be thread-safe.
 * </ul>
 */
@FunctionalInterface
public interface ToolApprover {

  /**
   * Decides on one call.
   *
   * @return {@link ToolApproval#allow()} or {@link ToolApproval#deny(String)}
   * @throws Exception anything; it denies the call with the exception's message
   */
  ToolApproval approve(Request request) throws Exception;

  /**
   * One call awaiting approval: the tool, the arguments it would receive, and where in the run it
   * comes from. Immutable; made by the runtime, or by {@link #builder()} to test an approver.
   */
  final class Request {
    private final ToolDescriptor tool;
    private final JsonNode arguments;
    private final String question;
    private final int round;
    private final int taskId;
    private final String thought;

    private Request(Builder builder) {
      this.tool = builder.tool;
      this.arguments = builder.arguments.deepCopy();
      this.question = builder.question;
      this.round = builder.round;
      this.taskId = builder.taskId;
      this.thought = builder.thought;
    }

    /** Starts a request, e.g. to test an approver; {@code tool} is required. */
    public static Builder builder() {
      return new Builder();
    }

    /** The tool to be called. */
    public ToolDescriptor tool() {
      return tool;
    }

    /** What the call does to the world: {@code tool().effect()}. */
    public Effect effect() {
      return tool.effect();
    }

    /**
     * The arguments the tool would receive, by parameter name, every reference to an earlier result
     * replaced by that result. A copy; modifying it changes nothing.
     */
    public JsonNode arguments() {
      return arguments.deepCopy();
    }

    /** The question the run answers. */
    public String question() {
      return question;
    }

    /** The round of the plan the call is in, counting from 1. */
    public int round() {
      return round;
    }

    /** The id of the call's task in the plan. */
    public int taskId() {
      return taskId;
    }

    /** The planner's {@code Thought:} before the task, or {@code ""}. */
    public String thought() {
      return thought;
    }

    /**
     * The call as one line of text, for a person to read: {@code charge(card="4242", cents=500)}.
     */
    public String call() {
      StringBuilder call = new StringBuilder(tool.name()).append('(');
      for (Iterator<Map.Entry<String, JsonNode>> it = arguments.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> argument = it.next();
        call.append(argument.getKey()).append('=').append(Json.write(argument.getValue(), false));
        if (it.hasNext()) {
          call.append(", ");
        }
      }
      return call.append(')').toString();
    }

    @Override
    public String toString() {
      return "ToolApprover.Request["
          + call()
          + ", effect="
          + effect()
          + ", round="
          + round
          + ", task="
          + taskId
          + "]";
    }

    /** Builds a {@link Request}. */
    public static final class Builder {
      private ToolDescriptor tool;
      private JsonNode arguments = Json.object();
      private String question = "";
      private int round = 1;
      private int taskId = 1;
      private String thought = "";

      private Builder() {}

      /** The tool to be called. Required. */
      public Builder tool(ToolDescriptor tool) {
        this.tool = Objects.requireNonNull(tool, "tool");
        return this;
      }

      /** The resolved arguments, a JSON object; defaults to none. */
      public Builder arguments(JsonNode arguments) {
        Objects.requireNonNull(arguments, "arguments");
        if (!arguments.isObject()) {
          throw new IllegalArgumentException(
              "arguments must be a JSON object of parameter names, got: " + arguments);
        }
        this.arguments = arguments;
        return this;
      }

      /** The run's question; defaults to {@code ""}. */
      public Builder question(String question) {
        this.question = Objects.requireNonNull(question, "question");
        return this;
      }

      /** The round, from 1; defaults to 1. */
      public Builder round(int round) {
        this.round = BuilderChecks.atLeast(round, 1, "round");
        return this;
      }

      /** The task id, from 1; defaults to 1. */
      public Builder taskId(int taskId) {
        this.taskId = BuilderChecks.atLeast(taskId, 1, "taskId");
        return this;
      }

      /** The planner's thought before the task; defaults to {@code ""}. */
      public Builder thought(String thought) {
        this.thought = Objects.requireNonNull(thought, "thought");
        return this;
      }

      /**
       * Builds the request.
       *
       * @throws IllegalStateException if the tool was not set
       */
      public Request build() {
        if (tool == null) {
          throw new IllegalStateException("`tool` is required but was not set");
        }
        return new Request(this);
      }
    }
  }
}
