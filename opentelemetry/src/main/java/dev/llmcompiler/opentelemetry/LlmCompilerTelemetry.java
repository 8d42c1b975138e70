package dev.llmcompiler.opentelemetry;

import dev.llmcompiler.runtime.LlmCompiler;
import dev.llmcompiler.runtime.RunObserver;
import io.opentelemetry.api.OpenTelemetry;
import java.util.Objects;

/**
 * OpenTelemetry tracing for {@link LlmCompiler} runs, with the spans and attributes of the
 * OpenTelemetry GenAI semantic conventions.
 *
 * <pre>{@code
 * LlmCompilerTelemetry telemetry = LlmCompilerTelemetry.builder(openTelemetry)
 *     .agentName("research")
 *     .providerName("openai")
 *     .model("gpt-4o-mini")
 *     .build();                         // or LlmCompilerTelemetry.create(openTelemetry)
 * LlmCompiler compiler = telemetry.configure(LlmCompiler.builder())
 *     .llm(llm)
 *     .tools(tools)
 *     .build();
 * }</pre>
 *
 * <h2>Spans</h2>
 *
 * Each run is one trace below the span that is current where {@code run} is called:
 *
 * <pre>
 * invoke_agent {agent}                      INTERNAL  the run
 * ├── plan {agent}                          INTERNAL  round 1: its plan, tasks and joiner decision
 * │   ├── chat {model}                      CLIENT    the planner call
 * │   ├── execute_tool search               INTERNAL  task 1 ┐ as long as the tasks ran,
 * │   ├── execute_tool search               INTERNAL  task 2 ┘ overlapping when they did
 * │   └── chat {model}                      CLIENT    the joiner call (and its retries)
 * └── plan {agent}                          INTERNAL  round 2, after a replan
 *     └── ...
 * </pre>
 *
 * Names without an agent name or model are just {@code invoke_agent}, {@code plan} and {@code
 * chat}. LLMCompiler streams a plan and runs its tasks at once, so a round's {@code plan} span
 * covers the planner call, the tasks and the joiner call; they are its children. While a tool runs,
 * its {@code execute_tool} span is current on the tool's thread (with the caller's context below
 * it), so spans that the tool opens itself, or that instrumented clients it calls open, are its
 * children.
 *
 * <h2>Attributes</h2>
 *
 * <ul>
 *   <li>All spans: {@code gen_ai.operation.name} ({@code invoke_agent}, {@code plan}, {@code chat},
 *       {@code execute_tool}); {@code gen_ai.agent.name} on {@code invoke_agent} and {@code plan}
 *       when {@link Builder#agentName} is set.
 *   <li>{@code invoke_agent} and {@code chat}: {@code gen_ai.provider.name} and {@code
 *       gen_ai.request.model} when {@link Builder#providerName} and {@link Builder#model} are set:
 *       an {@link dev.llmcompiler.runtime.llm.LlmClient} does not tell the run which provider or
 *       model it talks to, and a wrong provider would mislead backends that read it. Token usage
 *       {@code gen_ai.usage.input_tokens}, {@code gen_ai.usage.output_tokens}, and {@code
 *       gen_ai.usage.cache_read.input_tokens} where the provider reported cached prompt tokens (on
 *       {@code invoke_agent}: the run's totals).
 *   <li>{@code chat}: {@code gen_ai.request.temperature}, {@code gen_ai.request.max_tokens}, {@code
 *       gen_ai.request.stop_sequences} when the request sets them, {@code
 *       gen_ai.response.finish_reasons} when the response has one, and {@code
 *       llmcompiler.llm_call.purpose} ({@code planner} or {@code joiner}).
 *   <li>{@code execute_tool}: {@code gen_ai.tool.name}, {@code gen_ai.tool.call.id} (the task id,
 *       e.g. {@code "3"}), {@code gen_ai.tool.type} {@code function}, {@code
 *       llmcompiler.task.status} ({@code ok}, {@code error} or {@code skipped}) and {@code
 *       llmcompiler.task.depends_on}.
 *   <li>{@code plan}: {@code llmcompiler.round} and {@code llmcompiler.round.decision} ({@code
 *       finish}, {@code replan} or {@code none}); {@code invoke_agent}: {@code
 *       llmcompiler.run.outcome} (a {@link dev.llmcompiler.runtime.RunOutcome} in lower case).
 * </ul>
 *
 * <h2>Failures, skipped tasks and deadlines</h2>
 *
 * A span whose operation failed has status {@code ERROR} with the message as its description, and
 * {@code error.type}: for a tool, {@code timeout} (its tool timeout), {@code deadline_exceeded}
 * (the run's deadline stopped it), {@code cancelled}, {@code invalid_task} (the plan's line or its
 * references could not be used, so the tool never ran), or the exception's class name; for a model
 * call, the {@link dev.llmcompiler.runtime.llm.LlmException.Kind} in lower case (e.g. {@code
 * rate_limited}), {@code cancelled}, or the exception's class name; for a run, {@code
 * deadline_exceeded}, {@code cancelled}, {@code invalid_answer}, or the failed model call's type. A
 * task that never ran because a task it depends on failed has an {@code execute_tool} span of no
 * duration at the moment it was skipped, status unset, {@code llmcompiler.task.status} {@code
 * skipped} and {@code llmcompiler.task.skip_reason}. A round the run left without a joiner decision
 * (the deadline, a cancellation, a failed model call) has an {@code ERROR} {@code plan} span with
 * the run's {@code error.type}.
 *
 * <h2>Content</h2>
 *
 * Prompts, answers, tool arguments and results may hold personal or secret data, so they are
 * recorded only when asked for: {@link Builder#captureToolContent} adds {@code
 * gen_ai.tool.call.arguments} and {@code gen_ai.tool.call.result} (JSON text); {@link
 * Builder#captureMessageContent} adds {@code gen_ai.system_instructions}, {@code
 * gen_ai.input.messages} and {@code gen_ai.output.messages} (JSON text in the conventions' message
 * format) to {@code chat} spans, and the question and answer to {@code invoke_agent}. Each text is
 * cut to {@link Builder#maxContentLength} characters.
 *
 * <h2>Conventions</h2>
 *
 * This follows the GenAI semantic conventions (status: development) as defined in the {@code
 * open-telemetry/semantic-conventions-genai} repository, unreleased as of this version: the first
 * conventions with the {@code plan} operation, continuing those of semantic-conventions v1.41.1,
 * whose {@code docs/gen-ai} moved there. It emits that latest experimental version only.
 */
public final class LlmCompilerTelemetry {
  /** The instrumentation scope name of the tracer, and of this module. */
  public static final String INSTRUMENTATION_NAME = "dev.llmcompiler.opentelemetry";

  private final TelemetryObserver observer;

  private LlmCompilerTelemetry(Builder builder) {
    this.observer =
        new TelemetryObserver(
            builder.openTelemetry.getTracer(INSTRUMENTATION_NAME),
            new TelemetryObserver.Settings(
                builder.agentName,
                builder.providerName,
                builder.model,
                builder.captureToolContent,
                builder.captureMessageContent,
                builder.maxContentLength));
  }

  /**
   * Telemetry with the defaults: no agent name, provider or model, no content.
   *
   * <pre>{@code
   * LlmCompiler compiler = LlmCompilerTelemetry.create(GlobalOpenTelemetry.get())
   *     .configure(LlmCompiler.builder()).llm(llm).tools(tools).build();
   * }</pre>
   */
  public static LlmCompilerTelemetry create(OpenTelemetry openTelemetry) {
    return builder(openTelemetry).build();
  }

  /** A builder of telemetry that traces with {@code openTelemetry}'s tracer provider. */
  public static Builder builder(OpenTelemetry openTelemetry) {
    return new Builder(Objects.requireNonNull(openTelemetry, "openTelemetry"));
  }

  /**
   * Adds this telemetry's observer to {@code builder}, so every run of the compiler it builds is
   * traced.
   *
   * @return {@code builder}, to go on configuring it
   */
  public LlmCompiler.Builder configure(LlmCompiler.Builder builder) {
    return Objects.requireNonNull(builder, "builder").observer(observer);
  }

  /**
   * The {@link RunObserver} that makes the spans, for integrations that register observers
   * themselves: {@code LlmCompiler.builder().observer(telemetry.observer())} does what {@link
   * #configure} does. Thread-safe; one observer serves any number of compilers and runs.
   */
  public RunObserver observer() {
    return observer;
  }

  /** Configures {@link LlmCompilerTelemetry}; every option has a default. */
  public static final class Builder {
    /** The default of {@link #maxContentLength}. */
    public static final int DEFAULT_MAX_CONTENT_LENGTH = 8192;

    private final OpenTelemetry openTelemetry;
    private String agentName;
    private String providerName;
    private String model;
    private boolean captureToolContent;
    private boolean captureMessageContent;
    private int maxContentLength = DEFAULT_MAX_CONTENT_LENGTH;

    private Builder(OpenTelemetry openTelemetry) {
      this.openTelemetry = openTelemetry;
    }

    /**
     * The agent's name, for {@code gen_ai.agent.name} and the span names {@code invoke_agent
     * {name}} and {@code plan {name}}. Default: none.
     */
    public Builder agentName(String agentName) {
      this.agentName = nonBlank(agentName, "agentName");
      return this;
    }

    /**
     * The provider the {@link dev.llmcompiler.runtime.llm.LlmClient} talks to, for {@code
     * gen_ai.provider.name}: one of the conventions' values where one applies, such as {@code
     * openai}, {@code anthropic}, {@code aws.bedrock}, {@code gcp.vertex_ai}, {@code
     * azure.ai.openai}. Default: none, as the run cannot know it.
     */
    public Builder providerName(String providerName) {
      this.providerName = nonBlank(providerName, "providerName");
      return this;
    }

    /**
     * The model the client asks for (e.g. {@code OpenAiLlm.model()}), for {@code
     * gen_ai.request.model} and the span name {@code chat {model}}. Default: none.
     */
    public Builder model(String model) {
      this.model = nonBlank(model, "model");
      return this;
    }

    /**
     * Whether {@code execute_tool} spans record the tool's arguments and result ({@code
     * gen_ai.tool.call.arguments}, {@code gen_ai.tool.call.result}). Default {@code false}: they
     * may hold sensitive data.
     */
    public Builder captureToolContent(boolean capture) {
      this.captureToolContent = capture;
      return this;
    }

    /**
     * Whether {@code chat} spans record the prompts and the model's text, and {@code invoke_agent}
     * the question and answer ({@code gen_ai.system_instructions}, {@code gen_ai.input.messages},
     * {@code gen_ai.output.messages}). Default {@code false}: they may hold sensitive data, and the
     * planner's system prompt is long.
     */
    public Builder captureMessageContent(boolean capture) {
      this.captureMessageContent = capture;
      return this;
    }

    /** Sets both {@link #captureToolContent} and {@link #captureMessageContent}. */
    public Builder captureContent(boolean capture) {
      return captureToolContent(capture).captureMessageContent(capture);
    }

    /**
     * The most characters of one recorded text: a tool's arguments or result as JSON, or one
     * message text; longer ones are cut and end with {@code "…"}. Default {@value
     * #DEFAULT_MAX_CONTENT_LENGTH}.
     *
     * @throws IllegalArgumentException if less than 1
     */
    public Builder maxContentLength(int maxContentLength) {
      if (maxContentLength < 1) {
        throw new IllegalArgumentException(
            "maxContentLength must be at least 1, got " + maxContentLength);
      }
      this.maxContentLength = maxContentLength;
      return this;
    }

    /** Builds the telemetry. */
    public LlmCompilerTelemetry build() {
      return new LlmCompilerTelemetry(this);
    }

    private static String nonBlank(String value, String name) {
      Objects.requireNonNull(value, name);
      if (value.isBlank()) {
        throw new IllegalArgumentException(
            name + " must not be blank; leave it unset if there is none");
      }
      return value;
    }
  }
}
