package dev.llmcompiler.runtime;

/** A tool and the set that invokes it. */
record ToolBinding(ToolSet set, ToolDescriptor descriptor) {
  String name() {
    return descriptor.name();
  }
}
