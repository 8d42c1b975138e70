package dev.llmcompiler.runtime;

import dev.llmcompiler.runtime.llm.LlmClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;

/**
 * The settings that {@link LlmCompiler.Builder} and {@link ReActAgent.Builder} share, with the one
 * implementation of their setters. Package-private: users call these methods on the public
 * builders, and each returns that builder, so calls chain as if it declared them.
 *
 * @param <B> the public builder
 */
abstract class BaseBuilder<B extends BaseBuilder<B>> {
  LlmClient llm;
  final List<ToolSet> toolSets = new ArrayList<>();

  /** The user's executor, or {@code null} for one the compiler or agent makes and owns. */
  ExecutorService executor;

  Duration toolTimeout = LlmCompiler.DEFAULT_TOOL_TIMEOUT;
  int maxObservationChars = LlmCompiler.DEFAULT_MAX_OBSERVATION_CHARS;

  /** The user's listener, or {@code null} for none. */
  RunListener listener;

  BaseBuilder() {}

  /** This builder as its public type. */
  abstract B self();

  /**
   * The language model. Required. It is not owned: closing the compiler or agent leaves it open, so
   * one client can serve several of them; close it yourself when you are done with it.
   */
  public B llm(LlmClient llm) {
    this.llm = Objects.requireNonNull(llm, "llm");
    return self();
  }

  /**
   * Adds tool sets, e.g. generated {@code FooTools.of(foo)}. At least one tool is required, and
   * tool names must be unique across the sets.
   */
  public B tools(ToolSet... toolSets) {
    return tools(Arrays.asList(toolSets));
  }

  /** Adds tool sets, as {@link #tools(ToolSet...)}. */
  public B tools(Collection<? extends ToolSet> toolSets) {
    for (ToolSet set : toolSets) {
      this.toolSets.add(Objects.requireNonNull(set, "tool set"));
    }
    return self();
  }

  /**
   * The executor tools run on, and listener events are delivered on. By default the compiler or
   * agent makes its own: a virtual thread per call where the JDK has them (21+); before that, a
   * pool of daemon platform threads: 64 that calls take turns on, growing to up to 4,096 busy
   * threads as soon as calls wait because the threads block (tools waiting on the network hold
   * their thread), and letting idle threads go after 30 s. A tool that was stopped (timed out, or
   * its run ended) but ignores its interrupt never costs later calls their thread: the pool grows
   * past it, and on JDK 21+ calls run on such platform threads while it holds a virtual thread's
   * carrier. A supplied executor is used as it is and not shut down by {@code close()}.
   */
  public B executor(ExecutorService executor) {
    this.executor = Objects.requireNonNull(executor, "executor");
    return self();
  }

  /**
   * How long one tool call may run before it is interrupted and fails. Default 60 s. The time
   * counts from the moment the tool starts running on its thread: time spent waiting for a thread
   * or a {@code toolConcurrency} permit counts only against the run deadline ({@code runDeadline}),
   * and a call the run stops before it started says that it never started.
   */
  public B toolTimeout(Duration toolTimeout) {
    this.toolTimeout = BuilderChecks.positive(toolTimeout, "toolTimeout");
    return self();
  }

  /** How many characters of one tool result the model sees before it is cut short. Default 4000. */
  public B maxObservationChars(int maxObservationChars) {
    this.maxObservationChars =
        BuilderChecks.atLeast(maxObservationChars, 100, "maxObservationChars");
    return self();
  }

  /**
   * Receives the events of every run, off the runtime's threads and never able to break a run; see
   * {@link RunListener} for threads and order. Default: none.
   */
  public B listener(RunListener listener) {
    this.listener = Objects.requireNonNull(listener, "listener");
    return self();
  }

  /** The language model, checked to be set. */
  LlmClient requiredLlm() {
    return BuilderChecks.required(llm, "llm", ".llm(yourLlmClient)");
  }

  /** The tools of all sets, in order, checked for duplicate names and for at least one tool. */
  List<ToolBinding> bindTools() {
    Map<String, ToolBinding> byName = new LinkedHashMap<>();
    for (ToolSet set : toolSets) {
      for (ToolDescriptor tool : set.tools()) {
        ToolBinding previous = byName.putIfAbsent(tool.name(), new ToolBinding(set, tool));
        if (previous != null) {
          throw new IllegalStateException(
              "Two tools are named '"
                  + tool.name()
                  + "' (in "
                  + previous.set().getClass().getName()
                  + " and "
                  + set.getClass().getName()
                  + "). Tool names must be unique across the tool sets of one compiler: rename one with @Tool(name = \"...\").");
        }
      }
    }
    if (byName.isEmpty()) {
      throw new IllegalStateException(
          "`tools` is required but no tool was given: call .tools(yourToolSet) with at least one tool.");
    }
    return new ArrayList<>(byName.values());
  }
}
