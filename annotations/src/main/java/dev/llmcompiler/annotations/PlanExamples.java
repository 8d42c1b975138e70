package dev.llmcompiler.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Holds repeated {@link PlanExample}s; the compiler writes it for you when a type has more than one
 * {@code @PlanExample}, so you never need to write it yourself.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface PlanExamples {

  /** The examples, in source order. */
  PlanExample[] value();
}
