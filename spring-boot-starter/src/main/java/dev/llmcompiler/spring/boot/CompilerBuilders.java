package dev.llmcompiler.spring.boot;

import dev.llmcompiler.runtime.LlmCompiler;
import dev.llmcompiler.runtime.RunObserver;
import dev.llmcompiler.runtime.ToolDescriptor;
import dev.llmcompiler.runtime.ToolSet;
import dev.llmcompiler.runtime.llm.LlmClient;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Makes the {@code LlmCompiler.Builder}s of the {@code LlmCompiler} bean and of every agent bean,
 * all configured the same way: the {@code LlmClient} bean, the {@code llmcompiler.*} run options,
 * every {@link RunObserver} bean (context propagation is one), then every {@link
 * LlmCompilerCustomizer}.
 */
final class CompilerBuilders {
  private final LlmClient llm;
  private final LlmCompilerProperties properties;
  private final ObjectProvider<RunObserver> observers;
  private final ObjectProvider<LlmCompilerCustomizer> customizers;

  CompilerBuilders(
      LlmClient llm,
      LlmCompilerProperties properties,
      ObjectProvider<RunObserver> observers,
      ObjectProvider<LlmCompilerCustomizer> customizers) {
    this.llm = llm;
    this.properties = properties;
    this.observers = observers;
    this.customizers = customizers;
  }

  /**
   * A builder with the given tools and every setting. Per-tool settings ({@code tool-timeouts},
   * {@code tool-concurrency}) are applied to every tool; with {@code onlyPresentTools}, those
   * naming a tool not among {@code tools} are left out (an agent has only some tools), else they
   * fail the build with the runtime's message (a misspelled tool name).
   */
  LlmCompiler.Builder builder(List<ToolSet> tools, boolean onlyPresentTools) {
    Set<String> names = new HashSet<>();
    tools.forEach(set -> set.tools().stream().map(ToolDescriptor::name).forEach(names::add));
    Predicate<String> applies = tool -> !onlyPresentTools || names.contains(tool);
    LlmCompiler.Builder builder =
        LlmCompiler.builder()
            .llm(llm)
            .tools(tools)
            .toolTimeout(properties.getToolTimeout())
            .maxReplans(properties.getMaxReplans())
            .maxTasksPerPlan(properties.getMaxTasksPerPlan())
            .maxObservationChars(properties.getMaxObservationChars())
            .plannerInstructions(properties.getPlannerInstructions());
    if (properties.getRunDeadline() != null) {
      builder.runDeadline(properties.getRunDeadline());
    }
    properties
        .getToolTimeouts()
        .forEach(
            (tool, timeout) -> {
              if (applies.test(tool)) {
                builder.toolTimeout(tool, timeout);
              }
            });
    properties
        .getToolConcurrency()
        .forEach(
            (tool, limit) -> {
              if (applies.test(tool)) {
                builder.toolConcurrency(tool, limit);
              }
            });
    observers.orderedStream().forEach(builder::observer);
    customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
    return builder;
  }
}
