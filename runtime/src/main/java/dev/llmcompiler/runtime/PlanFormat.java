package dev.llmcompiler.runtime;

/**
 * How the planner writes its plan: in the text plan language (the paper's format) or as JSON
 * constrained by a schema built from the tools.
 *
 * <pre>{@code
 * LlmCompiler compiler = LlmCompiler.builder()
 *     .llm(llm)
 *     .tools(tools)
 *     .planFormat(PlanFormat.JSON)   // for small models behind constrained decoding
 *     .build();
 * }</pre>
 *
 * <p>Both stream: a task is dispatched the moment its line (text) or its object (JSON) is complete.
 */
public enum PlanFormat {
  /**
   * The text plan language, one task per line: {@code 1. search("x")}. The default; the fewest
   * tokens, and lines a model clearly meant are repaired ({@link LlmCompiler.Builder#planRepairs}).
   */
  TEXT,

  /**
   * A JSON object, {@code {"tasks":[{"id":1,"tool":"search","args":{"query":"x"}}, ...,
   * {"id":3,"tool":"join","args":{}}]}}, requested with a JSON Schema that has a branch per tool
   * (its parameters, each of which may instead be a reference string such as {@code "$1"} or {@code
   * "${2.price}"}). Clients that support it ({@code OpenAiLlm}: OpenAI structured outputs, vLLM and
   * llama.cpp grammars) make the model follow the schema, which keeps small models on track at the
   * cost of more output tokens.
   */
  JSON
}
