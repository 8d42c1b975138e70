package dev.llmcompiler.spring.boot;

import dev.llmcompiler.runtime.LlmCompiler;

/**
 * Changes the {@code LlmCompiler.Builder} of the auto-configured {@code LlmCompiler} bean and of
 * every {@code @Agent} bean, after the {@code llmcompiler.*} properties and the {@code RunObserver}
 * beans are applied. Declare it as a bean; several are applied in their {@code @Order}.
 *
 * <pre>{@code
 * @Bean
 * LlmCompilerCustomizer progressLog() {
 *   return builder -> builder.listener(new RunListener() {
 *     @Override public void onRunEnded(RunResult result) { log.info("answered in {} ms", result.trace().wallMs()); }
 *   });
 * }
 * }</pre>
 */
@FunctionalInterface
public interface LlmCompilerCustomizer {

  /** Changes the builder: a listener, an executor, planner examples, ... */
  void customize(LlmCompiler.Builder builder);
}
