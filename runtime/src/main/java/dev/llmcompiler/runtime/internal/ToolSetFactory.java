package dev.llmcompiler.runtime.internal;

import dev.llmcompiler.runtime.ToolSet;

/**
 * Makes the generated tool set of one class with {@code @Tool} methods. The annotation processor
 * writes one per tool class ({@code FooToolsFactory} next to {@code FooTools}) and lists it in
 * {@code META-INF/services/dev.llmcompiler.runtime.internal.ToolSetFactory}, so integrations such
 * as the Spring Boot starter find tool sets through {@link java.util.ServiceLoader}, without
 * scanning the class path or reflection.
 *
 * <pre>{@code
 * for (ToolSetFactory factory : ServiceLoader.load(ToolSetFactory.class, classLoader)) {
 *   if (factory.type().isInstance(bean)) {
 *     toolSets.add(factory.create(bean));
 *   }
 * }
 * }</pre>
 */
public interface ToolSetFactory {

  /** The class or interface that declares the {@code @Tool} methods, e.g. {@code Foo.class}. */
  Class<?> type();

  /** Whether every tool is {@code static}: then {@link #create} needs no instance. */
  boolean isStatic();

  /**
   * The tool set: {@code FooTools.of(instance)}, or {@code FooTools.of()} when {@link #isStatic()}.
   *
   * @param instance a {@link #type()} whose tools to call; ignored (and may be {@code null}) when
   *     the tools are static
   * @throws ClassCastException if {@code instance} is not a {@link #type()}
   * @throws NullPointerException if {@code instance} is {@code null} and the tools are not static
   */
  ToolSet create(Object instance);
}
