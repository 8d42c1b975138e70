package dev.llmcompiler.runtime.internal.plan;

/**
 * A reference in a plan cannot be resolved: the referenced result has no such field or element. The
 * message is written for the LLM, e.g. {@code ${2.price}: $2 has no field 'price'; its fields are:
 * amount, currency.}
 */
public final class PlanReferenceException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public PlanReferenceException(String message) {
    super(message);
  }
}
