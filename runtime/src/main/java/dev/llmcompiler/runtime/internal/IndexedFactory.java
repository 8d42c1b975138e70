package dev.llmcompiler.runtime.internal;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a generated {@link ToolSetFactory} or {@link AgentFactory} for the processor step that
 * lists every such factory of a compilation in {@code META-INF/services}. Writing one file from
 * many classes is an aggregating step; keeping it apart, triggered by this annotation on the
 * generated factories only, lets the processor that reads {@code @Tool} and {@code @Agent} stay
 * isolating for Gradle's incremental compilation. Class retention, as Gradle requires of
 * aggregating processors' annotations.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface IndexedFactory {}
