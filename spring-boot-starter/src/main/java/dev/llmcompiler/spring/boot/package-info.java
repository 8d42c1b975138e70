/**
 * The Spring Boot starter: auto-configuration of an {@code OpenAiLlm} from {@code
 * llmcompiler.openai.*} properties, an {@code LlmCompiler} bean with the tools of every
 * {@code @Tool} bean, every {@code @Agent} interface as a bean, and the caller's context in tool
 * calls. Users touch {@link dev.llmcompiler.spring.boot.LlmCompilerProperties} (through properties)
 * and, to change the compilers, {@link dev.llmcompiler.spring.boot.LlmCompilerCustomizer}.
 */
package dev.llmcompiler.spring.boot;
