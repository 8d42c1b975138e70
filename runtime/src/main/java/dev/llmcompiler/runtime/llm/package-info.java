/**
 * The model SPI: the one interface, {@link dev.llmcompiler.runtime.llm.LlmClient}, through which
 * the runtime talks to a language model, and the values it exchanges ({@link
 * dev.llmcompiler.runtime.llm.LlmRequest}, {@link dev.llmcompiler.runtime.llm.LlmResponse}, {@link
 * dev.llmcompiler.runtime.llm.TokenUsage}). {@code llmcompiler-openai} implements it for OpenAI and
 * OpenAI-compatible servers; implement it yourself for anything else.
 */
package dev.llmcompiler.runtime.llm;
