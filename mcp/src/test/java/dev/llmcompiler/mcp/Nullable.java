package dev.llmcompiler.mcp;

import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;

/** Marks a value that may be absent; the processor recognises any annotation of this name. */
@Retention(RetentionPolicy.CLASS)
@interface Nullable {}
