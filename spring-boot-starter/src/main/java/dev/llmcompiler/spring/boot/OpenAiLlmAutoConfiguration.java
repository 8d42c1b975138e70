package dev.llmcompiler.spring.boot;

import dev.llmcompiler.openai.OpenAiLlm;
import dev.llmcompiler.runtime.llm.LlmClient;
import java.util.concurrent.CompletionStage;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Auto-configures the {@link LlmClient}: an {@link OpenAiLlm} from the {@code llmcompiler.openai.*}
 * properties, each falling back to its {@code OPENAI_*} variable, unless the application defines
 * its own {@code LlmClient} bean; and its warm-up in the background at startup.
 */
@AutoConfiguration(before = LlmCompilerAutoConfiguration.class)
@ConditionalOnClass(OpenAiLlm.class)
@EnableConfigurationProperties(LlmCompilerProperties.class)
public class OpenAiLlmAutoConfiguration {

  /** Creates the auto-configuration; Spring Boot does. */
  public OpenAiLlmAutoConfiguration() {}

  /**
   * The OpenAI client. Each property falls back to its environment variable, read through Spring's
   * {@link Environment} (so an {@code OPENAI_API_KEY} system property or application property works
   * too): {@code base-url} to {@code OPENAI_BASE_URL}, {@code api-key} to {@code OPENAI_API_KEY},
   * {@code model} to {@code OPENAI_MODEL}. Closed with the application context.
   *
   * @throws IllegalStateException if neither a base URL nor an API key is configured, or a value is
   *     invalid; the message names the property to set
   */
  @Bean
  @ConditionalOnMissingBean(LlmClient.class)
  public OpenAiLlm openAiLlm(LlmCompilerProperties properties, Environment environment) {
    LlmCompilerProperties.OpenAi openai = properties.getOpenai();
    String baseUrl = firstNonBlank(openai.getBaseUrl(), environment.getProperty("OPENAI_BASE_URL"));
    String apiKey = firstNonBlank(openai.getApiKey(), environment.getProperty("OPENAI_API_KEY"));
    String model = firstNonBlank(openai.getModel(), environment.getProperty("OPENAI_MODEL"));
    if (baseUrl == null && apiKey == null) {
      throw new IllegalStateException(
          "No model server is configured for LLMCompiler. Set llmcompiler.openai.api-key"
              + " (or OPENAI_API_KEY) to use OpenAI, or llmcompiler.openai.base-url (or OPENAI_BASE_URL) to use an"
              + " OpenAI-compatible server, e.g. http://localhost:11434/v1 for Ollama; llmcompiler.openai.model (or"
              + " OPENAI_MODEL) picks the model (default "
              + OpenAiLlm.DEFAULT_MODEL
              + "). Or define your own LlmClient"
              + " bean.");
    }
    OpenAiLlm.Builder builder = OpenAiLlm.builder();
    try {
      if (baseUrl != null) {
        builder.baseUrl(baseUrl);
      }
      if (apiKey != null) {
        builder.apiKey(apiKey);
      }
      if (model != null) {
        builder.model(model);
      }
      builder
          .connectTimeout(openai.getConnectTimeout())
          .idleTimeout(openai.getIdleTimeout())
          .maxRetries(openai.getMaxRetries());
      if (openai.getTemperature() != null) {
        builder.defaultTemperature(openai.getTemperature());
      }
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalStateException(
          "Invalid llmcompiler.openai.* configuration: " + e.getMessage(), e);
    }
    return builder.build();
  }

  /**
   * Warms every {@link OpenAiLlm} bean up in the background once the context starts, so that the
   * first request does not pay the SDK's one-time cost. Off with {@code
   * llmcompiler.openai.warm-up=false}.
   */
  @Bean
  @ConditionalOnProperty(
      prefix = "llmcompiler.openai",
      name = "warm-up",
      havingValue = "true",
      matchIfMissing = true)
  BackgroundWarmUp<OpenAiLlm> llmCompilerOpenAiWarmUp(ObjectProvider<OpenAiLlm> clients) {
    return new BackgroundWarmUp<>(
        "OpenAiLlm", () -> clients.orderedStream().toList(), OpenAiLlmAutoConfiguration::warmUp);
  }

  /** What warming up one client does: {@link OpenAiLlm#warmUp()}, which sends no request. */
  static CompletionStage<?> warmUp(OpenAiLlm llm) {
    return llm.warmUp();
  }

  private static String firstNonBlank(String configured, String fallback) {
    if (configured != null && !configured.isBlank()) {
      return configured.trim();
    }
    return fallback == null || fallback.isBlank() ? null : fallback.trim();
  }
}
