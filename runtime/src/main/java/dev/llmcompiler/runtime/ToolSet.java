package dev.llmcompiler.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * A group of tools the planner may call, usually generated at build time from the {@code @Tool}
 * methods of one class: for {@code p.Foo} the annotation processor writes {@code p.FooTools} with a
 * {@code of(Foo)} factory.
 *
 * <pre>{@code
 * LlmCompiler compiler = LlmCompiler.builder()
 *     .llm(OpenAiLlm.fromEnv())
 *     .tools(SearchServiceTools.of(new SearchService()), MathToolsTools.of(new MathTools()))
 *     .build();
 * }</pre>
 *
 * <p>Implementations must be thread-safe: the runtime invokes tools concurrently.
 */
public interface ToolSet {

  /** The tools of this set, in source order. The list is immutable and the same on every call. */
  List<ToolDescriptor> tools();

  /**
   * Invokes the tool named {@code tool} with named JSON arguments.
   *
   * <p>A synchronous tool runs on the calling thread and returns a completed stage; an asynchronous
   * tool (one returning {@code CompletionStage}) returns its own stage. The result is the tool's
   * return value encoded as JSON ({@code NullNode} for {@code void}).
   *
   * @throws ToolArgumentException if an argument is missing, unknown or of the wrong type, or the
   *     set has no tool of that name
   * @throws Exception whatever the tool itself throws
   */
  CompletionStage<JsonNode> invoke(String tool, ObjectNode arguments) throws Exception;

  /**
   * Few-shot planner examples for these tools, each {@code "Question: <question>\n<plan>"}: the
   * {@code @PlanExample}s of the tool class, checked against its tools at build time, in source
   * order. {@link LlmCompiler} adds them to the planner's system prompt after its built-in
   * examples, in the order of the tool sets. None by default.
   */
  default List<String> examples() {
    return List.of();
  }
}
