package dev.llmcompiler.runtime;

import dev.llmcompiler.runtime.llm.LlmClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Answers questions by letting an LLM plan a graph of tool calls that run in parallel, streaming: a
 * task starts the moment its plan line is read and its inputs are ready; a joiner then answers or
 * asks for a new plan.
 *
 * <pre>{@code
 * try (OpenAiLlm llm = OpenAiLlm.fromEnv();
 *     LlmCompiler compiler = LlmCompiler.builder()
 *         .llm(llm)
 *         .tools(SearchServiceTools.of(new SearchService()), MathToolsTools.of(new MathTools()))
 *         .toolTimeout(Duration.ofSeconds(20))
 *         .runDeadline(Duration.ofMinutes(2))
 *         .build()) {
 *   RunResult result = compiler.run("How much bigger is Apple's market cap than Microsoft's?");
 *   System.out.println(result.answer());
 * }
 * }</pre>
 *
 * <p>Thread-safe and reusable: one instance serves any number of concurrent runs. Close it to stop
 * the threads it owns (its timer, and its tool executor unless you supplied one). Tools run on
 * virtual threads on JDK 21+, else on a pool of platform threads that grows while calls wait (see
 * {@link Builder#executor}), so blocking tools of concurrent runs do not wait for each other.
 *
 * <p>The compiler does not own the {@link LlmClient} it is given: {@link #close()} never closes it,
 * so one client can serve several compilers and agents. Close the client yourself after the last
 * compiler that uses it, as the example does with try-with-resources.
 *
 * <h2>How runs end</h2>
 *
 * <ul>
 *   <li>Malformed plan lines, tool failures, timeouts and unreadable joiner output never make
 *       {@link #run} throw: they become failed tasks, skipped dependents, or notes in the trace.
 *   <li>The joiner's decision is read only from a line that starts with {@code Action:}; when it
 *       writes several, the last one counts, so an action quoted in its thought (or copied from a
 *       tool's result) never decides anything. If its reply has no readable {@code Action:
 *       Finish(...)}/{@code Action: Replan(...)}, it is asked once more with the required format;
 *       if that reply is empty or unreadable too, the run ends without an answer: {@link #run}
 *       throws an {@link LlmCompilerException} with outcome {@link RunOutcome#INVALID_ANSWER},
 *       whose message quotes the reply. An unreadable reply is never taken as the answer. {@link
 *       RoundTrace#joinerNote()} records each step.
 *   <li>If the joiner still wants to replan when {@code maxReplans} is spent, it is asked for its
 *       best final answer and the result's outcome is {@link RunOutcome#REPLANS_EXHAUSTED} (a
 *       second Replan's reason is that answer; an empty or unreadable reply again ends the run with
 *       {@link RunOutcome#INVALID_ANSWER}).
 *   <li>A plan ends when it ends: once {@code join()} or {@code <END_OF_PLAN>} is read, a planner
 *       that goes on writing (more than a line break and a stop marker) has its call cancelled
 *       rather than waited for, and a failure of the call after that point does not fail the run.
 *   <li>Tool results, errors and thoughts reach the joiner and the replanner as data: each quoted
 *       as JSON on its task's line, so none can start a line of its own, cut at {@link
 *       Builder#maxObservationChars} each and at {@link Builder#maxPromptChars} in all, with a note
 *       of what was cut. A replan shows earlier plans as their parsed tasks, never as raw text.
 *   <li>If an LLM call fails ({@code LlmException}), no further LLM call is made: tasks already
 *       parsed run to their end, then {@link #run} throws an {@link LlmCompilerException} whose
 *       {@link LlmCompilerException#partialResult()} has the trace (outcome {@link
 *       RunOutcome#LLM_FAILED}). The same holds when the run deadline passes ({@link
 *       RunOutcome#DEADLINE_EXCEEDED}), except that pending tasks are stopped.
 *   <li>Cancelling the future of {@link #runAsync} stops the run: the LLM call is aborted and
 *       running tools are interrupted.
 *   <li>With an {@link AnswerFormat} ({@link #run(String, AnswerFormat)}), a final answer that does
 *       not match the schema is sent back to the joiner once with what is wrong; if the next one
 *       does not match either, {@code run} throws an {@link LlmCompilerException} with outcome
 *       {@link RunOutcome#INVALID_ANSWER}.
 *   <li>A plan that ends with its answer, {@code join("The ratio is ${6}")}, finishes the run with
 *       that text and no joiner call when every task it references succeeded; otherwise the joiner
 *       answers and is told why ({@link Builder#directAnswers}).
 * </ul>
 *
 * <h2>Calls that change things</h2>
 *
 * <p>Each tool's {@link ToolDescriptor#effect()} decides how its calls are made. In one run, a call
 * (a tool with the same resolved arguments) runs at most once: a later task that repeats a {@code
 * READ_ONLY} or {@code IDEMPOTENT} call, in the same plan or a replan, shares the first one's
 * result, also while it is still running; a repeat of a {@code MUTATING} or {@code DESTRUCTIVE}
 * call (what a tool that declares nothing is) gets the first one's result, or fails with its error
 * and "already attempted in round N; not repeated". {@link TaskTrace#reusedFrom()} shows every such
 * reuse. Such a call that timed out or was stopped after its tool was entered says "outcome
 * unknown: it may have taken effect; do not repeat it blindly". No call is ever retried. With an
 * {@link Builder#approver approver}, calls that change data run only once it allows them.
 */
public final class LlmCompiler implements AutoCloseable {
  /** Tasks a plan may have unless {@link Builder#maxTasksPerPlan} says otherwise. */
  public static final int DEFAULT_MAX_TASKS_PER_PLAN = 50;

  /** Replans a run may have unless {@link Builder#maxReplans} says otherwise. */
  public static final int DEFAULT_MAX_REPLANS = 2;

  /** How long one tool call may run unless {@link Builder#toolTimeout} says otherwise. */
  public static final Duration DEFAULT_TOOL_TIMEOUT = Duration.ofSeconds(60);

  /** How many characters of one result the joiner and planner see before it is cut short. */
  public static final int DEFAULT_MAX_OBSERVATION_CHARS = 4000;

  /**
   * How many characters of results one joiner or replanner prompt holds unless {@link
   * Builder#maxPromptChars} says otherwise: about 25,000 tokens.
   */
  public static final int DEFAULT_MAX_PROMPT_CHARS = 100_000;

  private final Config config;
  private final java.util.concurrent.atomic.AtomicBoolean closed =
      new java.util.concurrent.atomic.AtomicBoolean();

  /** Everything a run needs, fixed when the compiler is built. */
  record Config(
      LlmClient llm,
      List<ToolBinding> tools,
      Map<String, ToolBinding> toolsByName,
      Map<String, ToolDescriptor> descriptors,
      Planner planner,
      Joiner joiner,
      ToolExecutor executor,
      // The user's listener, or null for none: then no event is even built.
      RunListener listener,
      List<RunObserver> observers,
      int maxTasksPerPlan,
      int maxReplans,
      Duration runDeadline,
      int maxObservationChars,
      PlanFormat planFormat,
      boolean planRepairs,
      // Decides on calls that change data, or null to allow them all.
      ToolApprover approver,
      int maxPromptChars,
      boolean directAnswers) {}

  private LlmCompiler(Config config) {
    this.config = config;
  }

  /** Starts configuring a compiler; {@link Builder#llm} and {@link Builder#tools} are required. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Answers {@code question}, blocking until the run ends.
   *
   * @throws LlmCompilerException if an LLM call failed or the run deadline passed (see the class
   *     comment); its {@link LlmCompilerException#partialResult()} holds what ran
   * @throws CancellationException if the calling thread was interrupted (the run is cancelled and
   *     the thread's interrupt flag is set again)
   * @throws IllegalStateException if the compiler was closed
   */
  public RunResult run(String question) {
    return await(runAsync(question));
  }

  /**
   * Answers {@code question} with a structured answer, blocking until the run ends: the joiner is
   * asked to finish with JSON matching {@code format}'s schema, which is checked and bound to its
   * type; an answer that does not match is sent back once with what was wrong.
   *
   * <pre>{@code
   * StructuredResult<Comparison> result = compiler.run(question, AnswerFormat.of(Comparison.class, schema));
   * }</pre>
   *
   * @throws LlmCompilerException as {@link #run(String)}, and also when the answer still does not
   *     match after the retry (outcome {@link RunOutcome#INVALID_ANSWER}; the message names the
   *     format's description and the problem, the partial result holds the trace)
   */
  public <T> StructuredResult<T> run(String question, AnswerFormat<T> format) {
    Objects.requireNonNull(format, "format");
    return structured(await(start(question, format)), format);
  }

  /**
   * Starts answering {@code question} with a structured answer (see {@link #run(String,
   * AnswerFormat)}) and returns at once. The future completes with the result, or exceptionally
   * with an {@link LlmCompilerException}; cancel it to cancel the run.
   */
  public <T> CompletableFuture<StructuredResult<T>> runAsync(
      String question, AnswerFormat<T> format) {
    Objects.requireNonNull(format, "format");
    CompletableFuture<RunResult> run = start(question, format);
    CompletableFuture<StructuredResult<T>> answer =
        run.thenApply(result -> structured(result, format));
    // A dependent stage does not cancel its source on its own: pass the cancellation on.
    answer.whenComplete(
        (value, error) -> {
          if (answer.isCancelled()) {
            run.cancel(true);
          }
        });
    return answer;
  }

  private static <T> StructuredResult<T> structured(RunResult result, AnswerFormat<T> format) {
    AnswerFormat.Reading<T> reading = format.read(result.answer());
    if (reading.problem() != null) {
      // The run checked this very text; failing here would be a defect, not a model error.
      throw new IllegalStateException(
          "A checked structured answer could not be read again: " + reading.problem());
    }
    return new StructuredResult<>(reading.value(), reading.json(), result);
  }

  private static RunResult await(CompletableFuture<RunResult> future) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      CancellationException cancelled =
          new CancellationException("The run was cancelled: the calling thread was interrupted.");
      cancelled.initCause(e);
      throw cancelled;
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof LlmCompilerException failure) {
        // Rethrown on the caller's thread so its stack trace shows where run was called.
        LlmCompilerException rethrown =
            new LlmCompilerException(
                failure.getMessage(), failure.getCause(), failure.partialResult().orElse(null));
        rethrown.addSuppressed(failure);
        throw rethrown;
      }
      throw new LlmCompilerException("The run failed unexpectedly: " + cause, cause, null);
    }
  }

  /**
   * Starts answering {@code question} and returns at once. The future completes with the result, or
   * exceptionally with an {@link LlmCompilerException}; cancel it to cancel the run.
   */
  public CompletableFuture<RunResult> runAsync(String question) {
    return start(question, null);
  }

  private CompletableFuture<RunResult> start(String question, AnswerFormat<?> format) {
    Objects.requireNonNull(question, "question");
    if (closed.get()) {
      throw new IllegalStateException(
          "This LlmCompiler is closed: build a new one to run more questions.");
    }
    return new CompilerRun(config, question, format).start();
  }

  /** The planner's system prompt: the same text, byte for byte, on every run of this compiler. */
  public String plannerSystemPrompt() {
    return config.planner().systemPrompt();
  }

  /**
   * The joiner's system prompt: the same text, byte for byte, on every run of this compiler. It
   * asks for a Thought before the action only with {@link Builder#joinerThought
   * joinerThought(true)}.
   */
  public String joinerSystemPrompt() {
    return config.joiner().systemPrompt();
  }

  /** The names of the tools this compiler's plans may call, in the order of the tool sets. */
  public List<String> toolNames() {
    return List.copyOf(config.toolsByName().keySet());
  }

  /**
   * Stops the compiler's timer and, unless it was supplied by the caller, its tool executor. The
   * {@link LlmClient} stays open: the compiler does not own it.
   */
  @Override
  public void close() {
    closed.set(true);
    config.executor().close();
  }

  /**
   * Configures an {@link LlmCompiler}: {@link #llm} and {@link #tools} are required, everything
   * else has a default.
   */
  public static final class Builder extends BaseBuilder<Builder> {
    private int maxTasksPerPlan = DEFAULT_MAX_TASKS_PER_PLAN;
    private int maxReplans = DEFAULT_MAX_REPLANS;
    private Duration runDeadline;
    private int maxPromptChars = DEFAULT_MAX_PROMPT_CHARS;
    private final Map<String, Duration> toolTimeouts = new LinkedHashMap<>();
    private final Map<String, Integer> toolConcurrency = new LinkedHashMap<>();
    private String plannerInstructions = "";
    private final List<String> plannerExamples = new ArrayList<>();
    private final List<RunObserver> observers = new ArrayList<>();
    private PlanFormat planFormat = PlanFormat.TEXT;
    private boolean planRepairs = true;
    private ToolApprover approver;
    private boolean directAnswers = true;
    private boolean joinerThought;

    private Builder() {}

    @Override
    Builder self() {
      return this;
    }

    /** The most tasks one plan may have; tasks beyond fail with a message. Default 50. */
    public Builder maxTasksPerPlan(int maxTasksPerPlan) {
      this.maxTasksPerPlan = BuilderChecks.atLeast(maxTasksPerPlan, 1, "maxTasksPerPlan");
      return this;
    }

    /** How many times the joiner may ask for a new plan. Default 2; 0 allows a single round. */
    public Builder maxReplans(int maxReplans) {
      this.maxReplans = BuilderChecks.atLeast(maxReplans, 0, "maxReplans");
      return this;
    }

    /** The most a whole run may take; then it stops and throws. Default: no deadline. */
    public Builder runDeadline(Duration runDeadline) {
      this.runDeadline = BuilderChecks.positive(runDeadline, "runDeadline");
      return this;
    }

    /**
     * The most characters of results, errors and thoughts, of all rounds together, that one joiner
     * or replanner prompt holds (the question and the fixed instructions come on top). When they do
     * not fit, short results stay whole, long ones are cut to equal shares, and if even that is too
     * much the latest round's tasks are shown first; the prompt says what was left out. Each single
     * result is also cut at {@link #maxObservationChars}. Default {@value
     * LlmCompiler#DEFAULT_MAX_PROMPT_CHARS}.
     */
    public Builder maxPromptChars(int maxPromptChars) {
      this.maxPromptChars = BuilderChecks.atLeast(maxPromptChars, 1000, "maxPromptChars");
      return this;
    }

    /** The timeout of one tool, overriding {@link #toolTimeout(Duration)}. */
    public Builder toolTimeout(String tool, Duration timeout) {
      toolTimeouts.put(
          Objects.requireNonNull(tool, "tool"),
          BuilderChecks.positive(timeout, "toolTimeout(" + tool + ")"));
      return this;
    }

    /**
     * At most {@code maxConcurrent} calls of {@code tool} at once, across all runs of the compiler;
     * further calls wait their turn in order. Default: no limit.
     */
    public Builder toolConcurrency(String tool, int maxConcurrent) {
      Objects.requireNonNull(tool, "tool");
      toolConcurrency.put(
          tool, BuilderChecks.atLeast(maxConcurrent, 1, "toolConcurrency(\"" + tool + "\")"));
      return this;
    }

    /**
     * Adds an observer that instruments every run from the inside: tracing spans, or the caller's
     * context carried to the tool threads. Observers are called in the order added; see {@link
     * RunObserver} for when and on which threads.
     */
    public Builder observer(RunObserver observer) {
      observers.add(Objects.requireNonNull(observer, "observer"));
      return this;
    }

    /**
     * How the planner writes its plan. Default {@link PlanFormat#TEXT}; {@link PlanFormat#JSON}
     * asks for a JSON plan constrained by a schema of the tools, for models that stray from the
     * text format. In JSON mode the planner examples (the built-in ones, the tool sets' and {@link
     * #plannerExample}s) are shown as JSON, so each must be a valid plan of these tools.
     */
    public Builder planFormat(PlanFormat planFormat) {
      this.planFormat = Objects.requireNonNull(planFormat, "planFormat");
      return this;
    }

    /**
     * Whether text plan lines a model clearly meant but wrote loosely are repaired, each repair
     * noted in {@link TaskTrace#repairs()} and {@link TaskEvent#repairs()}: unquoted text for a
     * string parameter ({@code search(Rosetta)}), a missing final {@code )}, a {@code Step 2:}
     * label, a tool name in backticks; {@code ###} separators are skipped and a {@code Question:}
     * after the plan ends it. Default {@code true}; {@code false} reads the plan language strictly,
     * so every such line is a failed task with a message saying what to write.
     */
    public Builder planRepairs(boolean planRepairs) {
      this.planRepairs = planRepairs;
      return this;
    }

    /**
     * Asks {@code approver} before each call of a {@link
     * dev.llmcompiler.annotations.Effect#MUTATING} or {@link
     * dev.llmcompiler.annotations.Effect#DESTRUCTIVE} tool (which is what a tool that declares no
     * effect is); a denied call fails without reaching its tool, and its dependents are skipped. It
     * may block like a person deciding, on a tool thread; the run deadline still applies. See
     * {@link ToolApprover}. Default: none, every call runs.
     */
    public Builder approver(ToolApprover approver) {
      this.approver = Objects.requireNonNull(approver, "approver");
      return this;
    }

    /**
     * Whether a plan may end with its answer, {@code join("The ratio is ${6}")}, so that a run
     * whose answer needs no judgment over the results (a computed number, a looked-up value, or a
     * question that needs no tool, {@code 1. join("Paris")}) ends without a joiner call. The
     * planner prompt teaches it for such answers only. When every task the answer references has
     * succeeded, the run finishes with the rendered text ({@link RoundTrace#directAnswer()});
     * otherwise the joiner answers as usual and is told why the direct answer was not used. With an
     * {@link AnswerFormat}, a direct answer is used only if its text matches the format.
     *
     * <p>Default {@code true}; {@code false} leaves direct answers out of the planner prompt and
     * the JSON plan schema, and a plan's {@code join("...")} is read as {@code join()} (the round's
     * {@link RoundTrace#joinerNote()} says so).
     */
    public Builder directAnswers(boolean directAnswers) {
      this.directAnswers = directAnswers;
      return this;
    }

    /**
     * Whether the joiner is asked to write {@code Thought: <brief reasoning>} before its {@code
     * Action:} line. Default {@code false}: the joiner writes only its action, which saves decode
     * time and tokens on every run; {@code true} asks for the Thought again, which some models need
     * to judge well. Either way a reply is read from its last line that starts with {@code
     * Action:}, so a model that writes a Thought anyway is understood, and its thought is kept in
     * {@link RoundTrace#thought()}.
     */
    public Builder joinerThought(boolean joinerThought) {
      this.joinerThought = joinerThought;
      return this;
    }

    /** Extra rules appended to the planner's system prompt, e.g. domain conventions. */
    public Builder plannerInstructions(String instructions) {
      this.plannerInstructions = Objects.requireNonNull(instructions, "instructions");
      return this;
    }

    /**
     * Adds a few-shot example to the planner's system prompt: a question and its plan in the plan
     * language, using your real tools, e.g. {@code "Question: ...\n1. search(\"x\")\n2.
     * join()\n<END_OF_PLAN>"}. The prompt lists the built-in examples, then the tool sets' {@link
     * ToolSet#examples()} in the order of the sets, then these in the order added.
     */
    public Builder plannerExample(String example) {
      plannerExamples.add(Objects.requireNonNull(example, "example"));
      return this;
    }

    /**
     * Builds the compiler.
     *
     * @throws IllegalStateException if the llm or the tools are missing, two tools share a name, a
     *     per-tool setting names a tool that does not exist, or (in {@link PlanFormat#JSON} mode) a
     *     planner example is not a valid plan of the tools
     */
    public LlmCompiler build() {
      LlmClient llm = requiredLlm();
      List<ToolBinding> tools = bindTools();
      Map<String, ToolBinding> byName = new LinkedHashMap<>();
      Map<String, ToolDescriptor> descriptors = new LinkedHashMap<>();
      tools.forEach(
          tool -> {
            byName.put(tool.name(), tool);
            descriptors.put(tool.name(), tool.descriptor());
          });
      checkToolsExist(toolTimeouts.keySet(), byName, "toolTimeout");
      checkToolsExist(toolConcurrency.keySet(), byName, "toolConcurrency");
      Config config =
          new Config(
              llm,
              List.copyOf(tools),
              Collections.unmodifiableMap(byName),
              Collections.unmodifiableMap(descriptors),
              new Planner(tools, plannerInstructions, examples(), planFormat, directAnswers),
              new Joiner(joinerThought),
              new ToolExecutor(executor, toolTimeout, toolTimeouts, toolConcurrency),
              listener,
              List.copyOf(observers),
              maxTasksPerPlan,
              maxReplans,
              runDeadline,
              maxObservationChars,
              planFormat,
              planRepairs,
              approver,
              maxPromptChars,
              directAnswers);
      return new LlmCompiler(config);
    }

    private List<String> examples() {
      List<String> examples = new ArrayList<>();
      for (ToolSet set : toolSets) {
        examples.addAll(
            Objects.requireNonNull(set.examples(), "examples() of " + set.getClass().getName()));
      }
      examples.addAll(plannerExamples);
      return examples;
    }

    private static void checkToolsExist(
        Collection<String> names, Map<String, ToolBinding> tools, String setting) {
      for (String name : names) {
        if (!tools.containsKey(name)) {
          throw new IllegalStateException(
              setting
                  + "(\""
                  + name
                  + "\", ...) names no tool; the tools are: "
                  + String.join(", ", tools.keySet())
                  + ".");
        }
      }
    }
  }
}
