/**
 * Sample tools written as ordinary annotated services ({@link
 * dev.llmcompiler.samples.Encyclopedia}, {@link dev.llmcompiler.samples.Calculator}, {@link
 * dev.llmcompiler.samples.CurrencyConverter}) and the command-line demo ({@link
 * dev.llmcompiler.samples.Main}) that answers questions with them.
 */
package dev.llmcompiler.samples;
