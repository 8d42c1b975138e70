package dev.llmcompiler.samples;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;

/**
 * Marks a value that may be absent. The LLMCompiler processor recognises any annotation named
 * {@code Nullable} (JSpecify, JSR 305, …); the samples declare their own to need none of those.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
public @interface Nullable {}
