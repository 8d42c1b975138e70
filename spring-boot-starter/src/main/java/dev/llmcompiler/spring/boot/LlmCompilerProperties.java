package dev.llmcompiler.spring.boot;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code llmcompiler.*} properties: the OpenAI-compatible model server, the run options of the
 * {@code LlmCompiler} bean and of every agent bean, and context propagation.
 *
 * <pre>{@code
 * llmcompiler.openai.base-url=http://localhost:11434/v1
 * llmcompiler.openai.model=qwen2.5:7b-instruct
 * llmcompiler.run-deadline=2m
 * llmcompiler.tool-timeouts.search=10s
 * }</pre>
 *
 * <p>The defaults are the runtime's; see {@code LlmCompiler.Builder} and {@code OpenAiLlm.Builder}.
 */
@ConfigurationProperties("llmcompiler")
public class LlmCompilerProperties {

  /** The OpenAI-compatible model server the LlmClient bean talks to. */
  private final OpenAi openai = new OpenAi();

  /** Context propagation to the threads that run tools. */
  private final ContextPropagation contextPropagation = new ContextPropagation();

  /** The most a whole run may take; then it stops and fails. Default: no deadline. */
  private Duration runDeadline;

  /**
   * How long one tool call may take before it is interrupted and fails, counted from the moment it
   * starts running.
   */
  private Duration toolTimeout = Duration.ofSeconds(60);

  /** Timeouts of single tools, by tool name, overriding tool-timeout for them. */
  private Map<String, Duration> toolTimeouts = new LinkedHashMap<>();

  /**
   * The most calls of a tool that may run at once, across all runs, by tool name; further calls
   * wait their turn in order. Default: no limit.
   */
  private Map<String, Integer> toolConcurrency = new LinkedHashMap<>();

  /** How many times the joiner may ask for a new plan; 0 allows a single round. */
  private int maxReplans = 2;

  /** The most tasks one plan may have; tasks beyond it fail with a message. */
  private int maxTasksPerPlan = 50;

  /** How many characters of one tool result the model sees before it is cut short. */
  private int maxObservationChars = 4000;

  /**
   * Extra rules appended to the planner's system prompt, e.g. domain conventions. An agent's own
   * {@code @Agent(instructions)} replace them for that agent.
   */
  private String plannerInstructions = "";

  /** The OpenAI-compatible model server. */
  public OpenAi getOpenai() {
    return openai;
  }

  /** Context propagation to the threads that run tools. */
  public ContextPropagation getContextPropagation() {
    return contextPropagation;
  }

  /** The most a whole run may take, or {@code null} for no deadline. */
  public Duration getRunDeadline() {
    return runDeadline;
  }

  /** Sets the most a whole run may take; {@code null} for no deadline. */
  public void setRunDeadline(Duration runDeadline) {
    this.runDeadline = runDeadline;
  }

  /** How long one tool call may take. */
  public Duration getToolTimeout() {
    return toolTimeout;
  }

  /** Sets how long one tool call may take. */
  public void setToolTimeout(Duration toolTimeout) {
    this.toolTimeout = toolTimeout;
  }

  /** Timeouts of single tools, by tool name. */
  public Map<String, Duration> getToolTimeouts() {
    return toolTimeouts;
  }

  /** Sets the timeouts of single tools, by tool name. */
  public void setToolTimeouts(Map<String, Duration> toolTimeouts) {
    this.toolTimeouts = toolTimeouts;
  }

  /** The most calls of a tool that may run at once, by tool name. */
  public Map<String, Integer> getToolConcurrency() {
    return toolConcurrency;
  }

  /** Sets the most calls of a tool that may run at once, by tool name. */
  public void setToolConcurrency(Map<String, Integer> toolConcurrency) {
    this.toolConcurrency = toolConcurrency;
  }

  /** How many times the joiner may ask for a new plan. */
  public int getMaxReplans() {
    return maxReplans;
  }

  /** Sets how many times the joiner may ask for a new plan. */
  public void setMaxReplans(int maxReplans) {
    this.maxReplans = maxReplans;
  }

  /** The most tasks one plan may have. */
  public int getMaxTasksPerPlan() {
    return maxTasksPerPlan;
  }

  /** Sets the most tasks one plan may have. */
  public void setMaxTasksPerPlan(int maxTasksPerPlan) {
    this.maxTasksPerPlan = maxTasksPerPlan;
  }

  /** How many characters of one tool result the model sees. */
  public int getMaxObservationChars() {
    return maxObservationChars;
  }

  /** Sets how many characters of one tool result the model sees. */
  public void setMaxObservationChars(int maxObservationChars) {
    this.maxObservationChars = maxObservationChars;
  }

  /** Extra rules appended to the planner's system prompt, {@code ""} for none. */
  public String getPlannerInstructions() {
    return plannerInstructions;
  }

  /** Sets extra rules appended to the planner's system prompt. */
  public void setPlannerInstructions(String plannerInstructions) {
    this.plannerInstructions = plannerInstructions;
  }

  /** The {@code llmcompiler.openai.*} properties. */
  public static class OpenAi {

    /**
     * The OpenAI-compatible API to call, including its version path, e.g. http://localhost:11434/v1
     * (Ollama) or http://localhost:8000/v1 (vLLM). Falls back to OPENAI_BASE_URL, then OpenAI's API
     * (https://api.openai.com/v1).
     */
    private String baseUrl;

    /**
     * The API key. Falls back to OPENAI_API_KEY. Required for OpenAI's own API; optional for
     * another base URL (a placeholder is sent, which local servers ignore).
     */
    private String apiKey;

    /** The model to ask for. Falls back to OPENAI_MODEL, then gpt-4o-mini. */
    private String model;

    /** How long to wait for a connection to the server. */
    private Duration connectTimeout = Duration.ofSeconds(10);

    /**
     * The longest silence allowed while waiting for a response to begin and between two of its
     * pieces; it bounds a stalled server without cutting a long answer.
     */
    private Duration idleTimeout = Duration.ofMinutes(2);

    /**
     * How often a failed request (connection failure, 408, 409, 429, 5xx) is retried before giving
     * up; 0 turns retries off.
     */
    private int maxRetries = 2;

    /**
     * The sampling temperature, between 0 and 2, for requests that set none. Default: none is sent
     * and the server's default applies.
     */
    private Double temperature;

    /**
     * Whether to warm the client up in the background at startup, so that the first request does
     * not pay the SDK's one-time cost. Sends no request to the server.
     */
    private boolean warmUp = true;

    /** The base URL, or {@code null} to fall back to OPENAI_BASE_URL. */
    public String getBaseUrl() {
      return baseUrl;
    }

    /** Sets the base URL. */
    public void setBaseUrl(String baseUrl) {
      this.baseUrl = baseUrl;
    }

    /** The API key, or {@code null} to fall back to OPENAI_API_KEY. */
    public String getApiKey() {
      return apiKey;
    }

    /** Sets the API key. */
    public void setApiKey(String apiKey) {
      this.apiKey = apiKey;
    }

    /** The model, or {@code null} to fall back to OPENAI_MODEL. */
    public String getModel() {
      return model;
    }

    /** Sets the model. */
    public void setModel(String model) {
      this.model = model;
    }

    /** How long to wait for a connection. */
    public Duration getConnectTimeout() {
      return connectTimeout;
    }

    /** Sets how long to wait for a connection. */
    public void setConnectTimeout(Duration connectTimeout) {
      this.connectTimeout = connectTimeout;
    }

    /** The longest silence allowed in a response. */
    public Duration getIdleTimeout() {
      return idleTimeout;
    }

    /** Sets the longest silence allowed in a response. */
    public void setIdleTimeout(Duration idleTimeout) {
      this.idleTimeout = idleTimeout;
    }

    /** How often a failed request is retried. */
    public int getMaxRetries() {
      return maxRetries;
    }

    /** Sets how often a failed request is retried. */
    public void setMaxRetries(int maxRetries) {
      this.maxRetries = maxRetries;
    }

    /** The default sampling temperature, or {@code null} for the server's. */
    public Double getTemperature() {
      return temperature;
    }

    /** Sets the default sampling temperature. */
    public void setTemperature(Double temperature) {
      this.temperature = temperature;
    }

    /** Whether to warm the client up in the background at startup. */
    public boolean isWarmUp() {
      return warmUp;
    }

    /** Sets whether to warm the client up in the background at startup. */
    public void setWarmUp(boolean warmUp) {
      this.warmUp = warmUp;
    }
  }

  /** The {@code llmcompiler.context-propagation.*} properties. */
  public static class ContextPropagation {

    /**
     * Whether tool calls see the context of the thread that started the run: its MDC, Spring
     * Security's SecurityContext when Spring Security is present, and what any other
     * ThreadLocalAccessor registered with Micrometer's ContextRegistry carries (such as the current
     * Observation).
     */
    private boolean enabled = true;

    /** Whether tool calls see the caller's context. */
    public boolean isEnabled() {
      return enabled;
    }

    /** Sets whether tool calls see the caller's context. */
    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }
  }
}
