package dev.llmcompiler.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Describes a parameter of a {@link Tool} method for the LLM.
 *
 * <pre>{@code
 * @Tool
 * public Money convert(
 *     @Param(description = "amount in the source currency") double amount,
 *     @Param(description = "ISO 4217 code, e.g. EUR") String from,
 *     @Param(description = "ISO 4217 code, e.g. USD") String to) { ... }
 * }</pre>
 *
 * <p>Without this annotation, or with an empty {@link #description()}, the description is the
 * method's Javadoc {@code @param} text for the parameter. {@code @Param} on a method that is not a
 * {@code @Tool} is a compile error.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.PARAMETER)
public @interface Param {

  /** The parameter's description; defaults to the Javadoc {@code @param} text. */
  String description() default "";
}
