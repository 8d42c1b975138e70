package dev.llmcompiler.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares an agent as a Java interface; the annotation processor generates its implementation.
 *
 * <p>Each abstract method answers one kind of question. Its first parameter is the question, a
 * {@code String}; further parameters are context, appended to the question as a {@code Context:}
 * block of {@code name: <JSON value>} lines (their types are those a tool parameter may have). It
 * returns {@code String} (the answer text) or a record: then the final answer is structured, the
 * joiner is asked for JSON matching the record's schema (written at build time), and the answer is
 * checked and bound to the record, with one retry that tells the model what was wrong.
 *
 * <pre>{@code
 * @Agent(tools = {SearchService.class, Calculator.class},
 *        instructions = "Prefer one search per company.")
 * @PlanExample(question = "What is Apple's market cap in billions?",
 *              plan = "1. search(\"Apple market cap\")\n2. join()")
 * public interface MarketAgent {
 *   String ask(String question);
 *
 *   Comparison compare(String question, String currency);  // a record: a structured answer
 * }
 *
 * // The processor writes MarketAgentImpl (nested interfaces: Outer_InnerImpl):
 * try (MarketAgentImpl agent = MarketAgentImpl.create(OpenAiLlm.fromEnv(),
 *     SearchServiceTools.of(new SearchService()), CalculatorTools.of(new Calculator()))) {
 *   Comparison c = agent.compare("Is Apple worth more than Microsoft?", "USD");
 * }
 * }</pre>
 *
 * <p>The generated {@code FooImpl} is a public final class implementing the interface and {@code
 * AutoCloseable}, built by two factories: {@code create(LlmClient llm, ToolSet... tools)}, and
 * {@code create(LlmCompiler.Builder builder)} for every other option (run deadline, tool timeouts,
 * a listener): the builder gets the agent's instructions and examples added, then is built. {@code
 * compiler()} returns the underlying {@code LlmCompiler}; {@code close()} closes it, then (once)
 * the {@code LlmClient} given to {@code create(LlmClient, ...)}, which the agent owns; the client
 * of a builder stays the caller's to close. One instance is thread-safe and serves concurrent
 * calls. A structured answer that is still invalid after its retry throws an {@code
 * LlmCompilerException} naming the method, the record and the problem, whose partial result carries
 * the trace.
 *
 * <p>Default, static and {@code Object} methods of the interface are left alone; a method {@code
 * void close()} (as from {@code AutoCloseable}) closes the agent. Overloaded methods are fine.
 * Compile errors, each on the element at fault: the annotated type is not an interface, is generic,
 * private or local; a method is generic, has no {@code String} first parameter, an unsupported
 * context parameter type or an unsupported return type; a class in {@link #tools()} has no
 * {@code @Tool} methods.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface Agent {

  /**
   * The classes whose {@code @Tool} methods the agent uses (their generated {@code FooTools} are
   * what you pass to {@code create}). Used to check the agent's {@link PlanExample}s at build time
   * and to document the agent; optional when it has no examples.
   */
  Class<?>[] tools() default {};

  /** Extra rules for the planner, appended to its system prompt, e.g. domain conventions. */
  String instructions() default "";
}
