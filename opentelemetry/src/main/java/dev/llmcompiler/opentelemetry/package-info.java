/**
 * OpenTelemetry tracing of LLMCompiler runs following the GenAI semantic conventions: {@link
 * dev.llmcompiler.opentelemetry.LlmCompilerTelemetry} makes an {@code invoke_agent} span per run, a
 * {@code plan} span per round, a {@code chat} span per model call and an {@code execute_tool} span
 * per task.
 *
 * <pre>{@code
 * LlmCompiler compiler = LlmCompilerTelemetry.create(openTelemetry)
 *     .configure(LlmCompiler.builder())
 *     .llm(llm)
 *     .tools(tools)
 *     .build();
 * }</pre>
 */
package dev.llmcompiler.opentelemetry;
