/**
 * For code the annotation processor generates and for the project's own modules only: there is no
 * compatibility promise here, and anything may change in any release. Application code uses the
 * public packages ({@code dev.llmcompiler.runtime}, {@code dev.llmcompiler.runtime.llm}) instead.
 *
 * <p>{@link dev.llmcompiler.runtime.internal.ToolArguments} decodes a tool call's arguments for
 * generated {@code FooTools} classes; {@link dev.llmcompiler.runtime.internal.Json} holds the one
 * configured mapper; {@link dev.llmcompiler.runtime.internal.JsonSchemas} answers every JSON Schema
 * question the runtime asks; {@link dev.llmcompiler.runtime.internal.Secrets} masks credentials in
 * text that came from a provider. {@link dev.llmcompiler.runtime.internal.ToolSetFactory} and
 * {@link dev.llmcompiler.runtime.internal.AgentFactory} are the generated factories integrations
 * find through {@link java.util.ServiceLoader} (the Spring Boot starter does).
 */
package dev.llmcompiler.runtime.internal;
