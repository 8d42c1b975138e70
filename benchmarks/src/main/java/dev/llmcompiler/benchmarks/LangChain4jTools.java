package dev.llmcompiler.benchmarks;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import java.util.List;

/** The same two tools for LangChain4j, declared its way and delegating to {@link BenchTools}. */
public final class LangChain4jTools {
  private final BenchTools tools;

  LangChain4jTools(BenchTools tools) {
    this.tools = tools;
  }

  /** See {@link BenchTools#search}. */
  @Tool("Searches an encyclopedia and returns the most relevant passage.")
  public String search(@P("what to look up, e.g. a person, a film or a fact") String query) {
    return tools.search(query);
  }

  /** See {@link BenchTools#math}. */
  @Tool(
      "Solves a math problem stated in words, using the given context (e.g. earlier search results).")
  public String math(
      @P("the problem, e.g. \"difference between the two heights\"") String problem,
      @P("facts the problem needs, such as results of earlier tasks") List<String> context) {
    return tools.math(problem, context);
  }
}
