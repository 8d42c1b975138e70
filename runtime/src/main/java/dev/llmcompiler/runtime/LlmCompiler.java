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
 * Answers questions by letting an LLM plan a graph of tool calls that run in parallel, streaming:
 * a task starts the moment its plan line is read and its inputs are ready; a joiner then answers or
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
 *   <li>If the joiner's reply has no readable {@code Finish(...)}/{@code Replan(...)}, it is asked
 *       once more with the required format; if that reply is unreadable too, its text becomes the
 *       answer. {@link RoundTrace#joinerNote()} records either step.
 *   <li>If the joiner still wants to replan when {@code maxReplans} is spent, it is asked for its
 *       best final answer and the result's outcome is {@link RunOutcome#REPLANS_EXHAUSTED}.
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
 * </ul>
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

  private final Config config;
  private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

  /** Everything a run needs, fixed when the compiler is built. */
  record Config(
      LlmClient llm,
      List<ToolBinding> tools,
      Map<String, ToolBinding> toolsByName,
      Map<String, ToolDescriptor> descriptors,
      Planner planner,
      ToolExecutor executor,
      // The user's listener, or null for none: then no event is even built.
      RunListener listener,
      List<RunObserver> observers,
      int maxTasksPerPlan,
      int maxReplans,
      Duration runDeadline,
      int maxObservationChars) {}

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
  public <T> CompletableFuture<StructuredResult<T>> runAsync(String question, AnswerFormat<T> format) {
    Objects.requireNonNull(format, "format");
    CompletableFuture<RunResult> run = start(question, format);
    CompletableFuture<StructuredResult<T>> answer = run.thenApply(result -> structured(result, format));
    // A dependent stage does not cancel its source on its own: pass the cancellation on.
    answer.whenComplete((value, error) -> {
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
      throw new IllegalStateException("A checked structured answer could not be read again: " + reading.problem());
    }
    return new StructuredResult<>(reading.value(), reading.json(), result);
  }

  private static RunResult await(CompletableFuture<RunResult> future) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      CancellationException cancelled = new CancellationException("The run was cancelled: the calling thread was interrupted.");
      cancelled.initCause(e);
      throw cancelled;
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof LlmCompilerException failure) {
        // Rethrown on the caller's thread so its stack trace shows where run was called.
        LlmCompilerException rethrown =
            new LlmCompilerException(failure.getMessage(), failure.getCause(), failure.partialResult().orElse(null));
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
      throw new IllegalStateException("This LlmCompiler is closed: build a new one to run more questions.");
    }
    return new CompilerRun(config, question, format).start();
  }

  /**
   * The planner's system prompt: the same text, byte for byte, on every run of this compiler.
   */
  public String plannerSystemPrompt() {
    return config.planner().systemPrompt();
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
   * Configures an {@link LlmCompiler}: {@link #llm} and {@link #tools} are required, everything else
   * has a default.
   */
  public static final class Builder extends BaseBuilder<Builder> {
    private int maxTasksPerPlan = DEFAULT_MAX_TASKS_PER_PLAN;
    private int maxReplans = DEFAULT_MAX_REPLANS;
    private Duration runDeadline;
    private final Map<String, Duration> toolTimeouts = new LinkedHashMap<>();
    private final Map<String, Integer> toolConcurrency = new LinkedHashMap<>();
    private String plannerInstructions = "";
    private final List<String> plannerExamples = new ArrayList<>();
    private final List<RunObserver> observers = new ArrayList<>();

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

    /** The timeout of one tool, overriding {@link #toolTimeout(Duration)}. */
    public Builder toolTimeout(String tool, Duration timeout) {
      toolTimeouts.put(Objects.requireNonNull(tool, "tool"), BuilderChecks.positive(timeout, "toolTimeout(" + tool + ")"));
      return this;
    }

    /**
     * At most {@code maxConcurrent} calls of {@code tool} at once, across all runs of the compiler;
     * further calls wait their turn in order. Default: no limit.
     */
    public Builder toolConcurrency(String tool, int maxConcurrent) {
      Objects.requireNonNull(tool, "tool");
      toolConcurrency.put(tool, BuilderChecks.atLeast(maxConcurrent, 1, "toolConcurrency(\"" + tool + "\")"));
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

    /** Extra rules appended to the planner's system prompt, e.g. domain conventions. */
    public Builder plannerInstructions(String instructions) {
      this.plannerInstructions = Objects.requireNonNull(instructions, "instructions");
      return this;
    }

    /**
     * Adds a few-shot example to the planner's system prompt: a question and its plan in the plan
     * language, using your real tools, e.g. {@code "Question: ...\n1. search(\"x\")\n2. join()\n<END_OF_PLAN>"}.
     * The prompt lists the built-in examples, then the tool sets' {@link ToolSet#examples()} in the
     * order of the sets, then these in the order added.
     */
    public Builder plannerExample(String example) {
      plannerExamples.add(Objects.requireNonNull(example, "example"));
      return this;
    }

    /**
     * Builds the compiler.
     *
     * @throws IllegalStateException if the llm or the tools are missing, two tools share a name, or a
     *     per-tool setting names a tool that does not exist
     */
    public LlmCompiler build() {
      LlmClient llm = requiredLlm();
      List<ToolBinding> tools = bindTools();
      Map<String, ToolBinding> byName = new LinkedHashMap<>();
      Map<String, ToolDescriptor> descriptors = new LinkedHashMap<>();
      tools.forEach(tool -> {
        byName.put(tool.name(), tool);
        descriptors.put(tool.name(), tool.descriptor());
      });
      checkToolsExist(toolTimeouts.keySet(), byName, "toolTimeout");
      checkToolsExist(toolConcurrency.keySet(), byName, "toolConcurrency");
      Config config = new Config(llm, List.copyOf(tools), Collections.unmodifiableMap(byName),
          Collections.unmodifiableMap(descriptors), new Planner(tools, plannerInstructions, examples()),
          new ToolExecutor(executor, toolTimeout, toolTimeouts, toolConcurrency), listener, List.copyOf(observers),
          maxTasksPerPlan, maxReplans, runDeadline, maxObservationChars);
      return new LlmCompiler(config);
    }

    private List<String> examples() {
      List<String> examples = new ArrayList<>();
      for (ToolSet set : toolSets) {
        examples.addAll(Objects.requireNonNull(set.examples(), "examples() of " + set.getClass().getName()));
      }
      examples.addAll(plannerExamples);
      return examples;
    }

    private static void checkToolsExist(Collection<String> names, Map<String, ToolBinding> tools, String setting) {
      for (String name : names) {
        if (!tools.containsKey(name)) {
          throw new IllegalStateException(setting + "(\"" + name + "\", ...) names no tool; the tools are: "
              + String.join(", ", tools.keySet()) + ".");
        }
      }
    }
  }
}
