package dev.llmcompiler.spring.boot;

import dev.llmcompiler.opentelemetry.LlmCompilerTelemetry;
import dev.llmcompiler.runtime.LlmCompiler;
import dev.llmcompiler.runtime.RunObserver;
import dev.llmcompiler.runtime.llm.LlmClient;
import io.micrometer.context.ContextSnapshotFactory;
import io.opentelemetry.api.OpenTelemetry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * Auto-configures LLMCompiler: an {@link LlmCompiler} bean with the tools of every bean whose class
 * declares {@code @Tool} methods (and every {@code ToolSet} bean), every {@code @Agent} interface
 * as a bean of its type, and tool calls that see the caller's context (MDC, Spring Security's
 * context). With {@code llmcompiler-opentelemetry} on the class path and an {@code OpenTelemetry}
 * bean in the context, runs are traced with OpenTelemetry's GenAI spans.
 *
 * <p>The {@code llmcompiler.*} run options, every {@link RunObserver} bean and every {@link
 * LlmCompilerCustomizer} bean configure the compiler and each agent alike. Define your own {@code
 * LlmCompiler} bean to replace the auto-configured one; agents keep being built as described.
 */
@AutoConfiguration(
    afterName = {
      "org.springframework.boot.actuate.autoconfigure.opentelemetry.OpenTelemetryAutoConfiguration",
      "org.springframework.boot.actuate.autoconfigure.tracing.OpenTelemetryTracingAutoConfiguration"
    })
@ConditionalOnClass(LlmCompiler.class)
@EnableConfigurationProperties(LlmCompilerProperties.class)
@Import(AgentRegistrar.class)
public class LlmCompilerAutoConfiguration {

  /** Creates the auto-configuration; Spring Boot does. */
  public LlmCompilerAutoConfiguration() {}

  /**
   * The compiler, with every tool of the application's beans; closed with the context (the {@code
   * LlmClient} bean is closed on its own).
   *
   * @throws IllegalStateException if no bean has tools, with what to check
   */
  @Bean
  @ConditionalOnMissingBean
  public LlmCompiler llmCompiler(
      CompilerBuilders llmCompilerBuilders, ToolSetBeans llmCompilerToolSetBeans) {
    if (llmCompilerToolSetBeans.all().isEmpty()) {
      throw new IllegalStateException(
          "The LlmCompiler bean has no tools: no bean's class declares @Tool methods"
              + " (nor implements or extends a type that does), and no bean is a ToolSet. Check that the tool classes are"
              + " beans (e.g. @Service) and are compiled with llmcompiler-processor on the annotation processor path: it"
              + " writes the FooToolsFactory classes this starter finds through"
              + " META-INF/services/dev.llmcompiler.runtime.internal.ToolSetFactory. Or define your own LlmCompiler bean.");
    }
    return llmCompilerBuilders.builder(llmCompilerToolSetBeans.all(), false).build();
  }

  @Bean(ToolSetBeans.BEAN_NAME)
  static ToolSetBeans llmCompilerToolSetBeans(ConfigurableListableBeanFactory beanFactory) {
    return new ToolSetBeans(beanFactory);
  }

  @Bean
  CompilerBuilders llmCompilerBuilders(
      LlmClient llm,
      LlmCompilerProperties properties,
      ObjectProvider<RunObserver> observers,
      ObjectProvider<LlmCompilerCustomizer> customizers) {
    return new CompilerBuilders(llm, properties, observers, customizers);
  }

  /** The caller's context in tool calls, through Micrometer's context-propagation. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(ContextSnapshotFactory.class)
  @ConditionalOnProperty(
      prefix = "llmcompiler.context-propagation",
      name = "enabled",
      havingValue = "true",
      matchIfMissing = true)
  static class ContextPropagationConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "llmCompilerContextPropagation")
    RunObserver llmCompilerContextPropagation(ConfigurableListableBeanFactory beanFactory) {
      return ContextPropagationObserver.create(beanFactory.getBeanClassLoader());
    }
  }

  /**
   * OpenTelemetry GenAI spans for every run, when the application has an {@code OpenTelemetry}
   * bean.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(
      name = {
        "dev.llmcompiler.opentelemetry.LlmCompilerTelemetry",
        "io.opentelemetry.api.OpenTelemetry"
      })
  @ConditionalOnBean(type = "io.opentelemetry.api.OpenTelemetry")
  static class TelemetryConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "llmCompilerTelemetry")
    RunObserver llmCompilerTelemetry(OpenTelemetry openTelemetry) {
      return LlmCompilerTelemetry.create(openTelemetry).observer();
    }
  }
}
