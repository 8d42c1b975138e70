package test;

import dev.llmcompiler.runtime.AnswerFormat;
import dev.llmcompiler.runtime.LlmCompiler;
import dev.llmcompiler.runtime.ToolSet;
import dev.llmcompiler.runtime.internal.ToolArguments;
import dev.llmcompiler.runtime.llm.LlmClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.annotation.processing.Generated;

/**
 * The implementation of {@link Assistant}, generated from its {@code @Agent} interface.
 *
 * <p>Create it with {@link #create(LlmClient, ToolSet...)} (its tool sets: SearchTools), which takes ownership of the client, or {@link #create(LlmCompiler.Builder)} for more options, which leaves the client to the caller. Close it when done.
 */
@Generated("dev.llmcompiler.processor.ToolProcessor")
@SuppressWarnings({"deprecation", "removal"})
public final class AssistantImpl implements Assistant, AutoCloseable {
  private static final String INSTRUCTIONS = "Answer in one short sentence.";

  private static final List<String> EXAMPLES = List.of(
    "Question: What is 2 + 3?\n"
        + "1. add(2, 3)\n"
        + "2. join()\n"
        + "<END_OF_PLAN>");

  private static final List<String> TOOLS = List.of(
    "search",
    "add");

  private static final AnswerFormat<Assistant.Sum> SUM_ANSWER = AnswerFormat.of(
      Assistant.Sum.class,
      "{\"type\":\"object\",\"properties\":{\"total\":{\"type\":\"integer\",\"description\":\"the sum\"},\"terms\":{\"type\":\"array\",\"items\":{\"type\":\"integer\"},\"description\":\"what was added\"}},\"required\":[\"total\",\"terms\"],\"additionalProperties\":false}",
      "Assistant.sum(String, int, List), record Sum");

  private final LlmCompiler compiler;

  /**
   * The client {@link #close()} closes after the compiler; {@code null} when the caller owns it.
   */
  private final LlmClient ownedLlm;

  private final AtomicBoolean closed = new AtomicBoolean();

  private AssistantImpl(LlmCompiler compiler, LlmClient ownedLlm) {
    this.compiler = compiler;
    this.ownedLlm = ownedLlm;
  }

  /**
   * An agent planning and answering with {@code llm}, calling the tools of {@code tools} (its tool sets: SearchTools).
   *
   * <p>The agent owns {@code llm}: {@link #close()} closes it after the compiler, and so does a failure to create the agent.
   *
   * @throws IllegalStateException if a tool of the agent's tool classes is not among {@code tools}
   */
  public static AssistantImpl create(LlmClient llm, ToolSet... tools) {
    Objects.requireNonNull(llm, "AssistantImpl.create(llm, tools): llm is null; pass the LlmClient to plan and answer with");
    try {
      return create(LlmCompiler.builder().llm(llm).tools(tools), llm);
    } catch (RuntimeException | Error e) {
      // The agent owns llm from this call on, so a failed creation must not leak it.
      try {
        llm.close();
      } catch (RuntimeException closing) {
        e.addSuppressed(closing);
      }
      throw e;
    }
  }

  /**
   * An agent on a compiler configured by {@code builder} (llm, tools and any other option, e.g. a run deadline).
   * The agent's planner instructions (if any, replacing the builder's) and examples are added to the builder, which is then built; do not reuse it.
   *
   * <p>The caller keeps ownership of the builder's {@code LlmClient}: {@link #close()} does not close it.
   *
   * @throws IllegalStateException if a tool of the agent's tool classes is not among the builder's
   */
  public static AssistantImpl create(LlmCompiler.Builder builder) {
    return create(builder, null);
  }

  private static AssistantImpl create(LlmCompiler.Builder builder, LlmClient ownedLlm) {
    Objects.requireNonNull(builder, "builder");
    if (!INSTRUCTIONS.isEmpty()) {
      builder.plannerInstructions(INSTRUCTIONS);
    }
    EXAMPLES.forEach(builder::plannerExample);
    LlmCompiler compiler = builder.build();
    List<String> missing = new ArrayList<>(TOOLS);
    missing.removeAll(compiler.toolNames());
    if (!missing.isEmpty()) {
      compiler.close();
      throw new IllegalStateException("AssistantImpl needs the tools of @Agent(tools = ...), but these are missing: " + missing + ". Pass SearchTools.of(...) to create(...).");
    }
    return new AssistantImpl(compiler, ownedLlm);
  }

  /**
   * The compiler this agent runs its questions on.
   */
  public LlmCompiler compiler() {
    return compiler;
  }

  @Override
  public String ask(String question) {
    return compiler.run(Objects.requireNonNull(question, "Assistant.ask(String): question is null; pass the question to answer")).answer();
  }

  @Override
  public Assistant.Sum sum(String question, int bonus, List<String> tags) {
    return compiler.run(String.join("\n",
            Objects.requireNonNull(question, "Assistant.sum(String, int, List): question is null; pass the question to answer"),
            "",
            "Context:",
            "bonus: " + ToolArguments.encode(bonus),
            "tags: " + ToolArguments.encode(tags)), SUM_ANSWER).value();
  }

  /**
   * Closes the compiler, then the {@code LlmClient} if this agent owns it (it was created with {@link #create(LlmClient, ToolSet...)}). Closing again does nothing.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      compiler.close();
    } finally {
      if (ownedLlm != null) {
        ownedLlm.close();
      }
    }
  }
}
