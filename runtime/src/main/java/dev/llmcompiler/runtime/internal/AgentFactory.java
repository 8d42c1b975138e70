package dev.llmcompiler.runtime.internal;

import dev.llmcompiler.runtime.LlmCompiler;
import java.util.List;

/**
 * Makes the generated implementation of one {@code @Agent} interface. The annotation processor
 * writes one per agent ({@code FooImplFactory} next to {@code FooImpl}) and lists it in {@code
 * META-INF/services/dev.llmcompiler.runtime.internal.AgentFactory}, so integrations such as the
 * Spring Boot starter can offer every agent, without scanning the class path or reflection.
 *
 * <pre>{@code
 * for (AgentFactory<?> factory : ServiceLoader.load(AgentFactory.class, classLoader)) {
 *   Object agent = factory.create(LlmCompiler.builder().llm(llm).tools(toolSets));
 * }
 * }</pre>
 *
 * @param <T> the agent interface
 */
public interface AgentFactory<T> {

  /** The {@code @Agent} interface, e.g. {@code Foo.class}. */
  Class<T> type();

  /**
   * The binary names ({@link Class#getName()}) of the classes in {@code @Agent(tools = ...)}, in
   * order; empty when the agent names none.
   */
  List<String> toolClassNames();

  /**
   * The agent: {@code FooImpl.create(builder)}. The builder gets the agent's instructions and
   * examples added, then is built; the caller keeps ownership of the builder's {@code LlmClient}.
   * The returned agent is also {@link AutoCloseable}: close it to close its compiler.
   *
   * @throws IllegalStateException if a tool of the agent's tool classes is not among the builder's
   */
  T create(LlmCompiler.Builder builder);
}
