/**
 * The LLMCompiler runtime: {@link dev.llmcompiler.runtime.LlmCompiler} plans a graph of tool calls
 * with a language model, runs it in parallel while the plan streams, and joins the results into an
 * answer.
 *
 * <pre>{@code
 * try (OpenAiLlm llm = OpenAiLlm.fromEnv();
 *     LlmCompiler compiler = LlmCompiler.builder().llm(llm).tools(StockServiceTools.of(new StockService())).build()) {
 *   RunResult result = compiler.run("How much bigger is Apple's market cap than Microsoft's?");
 *   System.out.println(result.answer());
 * }
 * }</pre>
 *
 * <p>Tools come from {@link dev.llmcompiler.runtime.ToolSet}s (generated from {@code @Tool}
 * methods, or written by hand); progress arrives at a {@link dev.llmcompiler.runtime.RunListener};
 * every run leaves a {@link dev.llmcompiler.runtime.RunTrace}.
 */
package dev.llmcompiler.runtime;
