package dev.llmcompiler.spring.boot;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The starter's auto-configuration in a test context, as an application gets it. */
final class Contexts {
  /** A base URL nothing listens on: wiring tests never call the model. */
  static final String NO_SERVER = "http://127.0.0.1:9/v1";

  private Contexts() {}

  /** The auto-configuration with the model server at {@code baseUrl}. */
  static ApplicationContextRunner runner(String baseUrl) {
    return new ApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                OpenAiLlmAutoConfiguration.class, LlmCompilerAutoConfiguration.class))
        .withPropertyValues("llmcompiler.openai.base-url=" + baseUrl);
  }
}
