package dev.llmcompiler.processor.schema;

/** A named value in a JSON object: a tool parameter or a record component. */
public record Property(String name, String description, Shape shape, boolean optional) {}
