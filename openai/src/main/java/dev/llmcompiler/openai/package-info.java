/**
 * {@link dev.llmcompiler.openai.OpenAiLlm}: the runtime's {@code LlmClient} over the official
 * OpenAI Java SDK, for OpenAI and any OpenAI-compatible server (vLLM, Ollama, llama.cpp).
 */
package dev.llmcompiler.openai;
