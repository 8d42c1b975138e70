package dev.llmcompiler.annotations;

/**
 * What a tool does to the world when it is called, declared with {@code @Tool(effect = ...)}. The
 * runtime uses it to decide which calls may share one execution, which must never run twice in a
 * run, and which need approval; the planner's prompt marks the tools that change things; MCP
 * servers publish it as the tool's hints.
 *
 * <pre>{@code
 * @Tool(effect = Effect.READ_ONLY)
 * public Quote quote(String symbol) { ... }
 *
 * @Tool(effect = Effect.MUTATING)
 * public Receipt charge(String card, long cents) { ... }
 * }</pre>
 *
 * <p>A tool that declares nothing is {@link #MUTATING}: the conservative reading, as in MCP, so an
 * undeclared tool is never run twice with the same arguments in one run, is marked in the planner's
 * prompt, and is sent to the approver. Declare {@link #READ_ONLY} on lookups to let identical calls
 * share one execution. Catalogs and traces write the constant's name in lower case ({@code
 * "read_only"}).
 */
public enum Effect {
  /**
   * Reads and changes nothing, like a search or a quote. Identical calls of one run (the same tool
   * with the same resolved arguments, in one plan or across replans) share one execution: the later
   * tasks get the earlier result and the trace says which task they reused. A call that failed is
   * not remembered, so a replan may try it again. Never sent to the approver.
   */
  READ_ONLY,

  /**
   * Changes something, but calling it again with the same arguments changes nothing more, like
   * setting a status or storing a document under its id. Shared like {@link #READ_ONLY} calls, and
   * marked in the planner's prompt as changing data; never sent to the approver (declare {@link
   * #MUTATING} if each call needs one).
   */
  IDEMPOTENT,

  /**
   * Changes something each time it runs, like charging a card or sending a mail; the default. In
   * one run, a call is never executed twice with the same arguments: a repeat (also in a replan)
   * gets the earlier result, or the earlier error with a note that it was not repeated. A call that
   * timed out or was cancelled after it started is reported as "outcome unknown", never as having
   * no result. Sent to the approver, if the compiler has one, before it runs.
   */
  MUTATING,

  /**
   * Changes something irreversibly, like deleting rows or cancelling an order: treated as {@link
   * #MUTATING}, and marked in the planner's prompt as destructive.
   */
  DESTRUCTIVE
}
