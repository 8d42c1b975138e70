/**
 * Spring AI interop: {@link dev.llmcompiler.springai.SpringAiLlm} runs the planner and joiner on
 * any Spring AI {@code ChatModel}, and {@link dev.llmcompiler.springai.SpringAiTools} hands
 * generated tool sets to Spring AI as {@code ToolCallback}s.
 */
package dev.llmcompiler.springai;
