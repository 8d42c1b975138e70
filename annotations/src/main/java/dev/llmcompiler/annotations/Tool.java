package dev.llmcompiler.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a public method as a tool an LLM may call.
 *
 * <p>At build time the LLMCompiler annotation processor turns every {@code @Tool} method of a class
 * {@code p.Foo} into a JSON schema, a planner prompt line and a reflection-free invoker in the
 * generated class {@code p.FooTools}:
 *
 * <pre>{@code
 * public class SearchService {
 *   @Tool(description = "Searches the encyclopedia and returns the best matching paragraph.")
 *   public String search(@Param(description = "what to look for") String query) { ... }
 * }
 *
 * ToolSet tools = SearchServiceTools.of(new SearchService());
 * }</pre>
 *
 * <p>Tool methods must be public, non-generic members of a non-generic, non-private, non-local
 * class, and their parameter and return types must map to JSON Schema: strings, numbers, booleans,
 * enums, records, {@code List}/{@code Set}/arrays, {@code Map<String, V>}, {@code java.time} types
 * and {@code UUID}. Anything else is a compile error on the offending parameter. A parameter is
 * optional when its type is {@code Optional}, {@code OptionalInt} (etc.) or it is annotated with
 * any annotation named {@code Nullable}. A method returning {@code CompletableFuture<T>} or {@code
 * CompletionStage<T>} is an asynchronous tool whose result is {@code T}; a {@code void} tool's
 * result is {@code null}.
 *
 * <p>Static methods are fine: a class whose tools are all {@code static} gets {@code FooTools.of()}
 * without an instance; a class that mixes static and instance tools gets only {@code
 * FooTools.of(Foo target)}, and its static tools are called on the class.
 *
 * <p>Declare what a tool does to the world with {@link #effect()}: lookups are {@link
 * Effect#READ_ONLY}, so identical calls share one execution; a tool that declares nothing is {@link
 * Effect#MUTATING} and never runs twice with the same arguments in one run.
 *
 * <p>The processor also writes the catalog {@code META-INF/llmcompiler/p.Foo.json} (name,
 * description, parameter and result schemas, strictness, prompt signature and effect of every
 * tool). Its warnings (a missing description, a checked exception, a tool that cannot be
 * OpenAI-strict, a read-only tool that returns nothing) are silenced with
 * {@code @SuppressWarnings("llmcompiler")} on the method or its class.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Tool {

  /**
   * The tool's name as the LLM sees it; defaults to the method name. Must match {@code
   * ^[a-zA-Z0-9_-]{1,64}$}, be unique within its class, and not be {@code join} (reserved for the
   * end of a plan).
   */
  String name() default "";

  /**
   * What the tool does, for the LLM; defaults to the method's Javadoc comment (without its block
   * tags). A tool with neither gets a compile warning.
   */
  String description() default "";

  /**
   * What calling the tool does to the world; defaults to {@link Effect#MUTATING}, the conservative
   * reading of a tool that declares nothing. See {@link Effect} for what the runtime does with
   * each.
   */
  Effect effect() default Effect.MUTATING;
}
