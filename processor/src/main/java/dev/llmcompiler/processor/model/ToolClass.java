package dev.llmcompiler.processor.model;

import dev.llmcompiler.processor.schema.Shape.RecordType;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;

/**
 * A class with {@code @Tool} methods, as read from source.
 *
 * @param element the class
 * @param packageName its package, where the tool set is generated
 * @param simpleNames the simple names from the outermost class to this one
 * @param binaryName e.g. {@code p.Outer$Inner}: names the catalog resource, as {@code
 *     Class.getName()} would
 * @param tools the tools in source order
 * @param records every record the tools' types use, by key
 * @param recursive keys of records that contain themselves
 */
public record ToolClass(
    TypeElement element,
    String packageName,
    List<String> simpleNames,
    String binaryName,
    List<ToolMethod> tools,
    Map<String, RecordType> records,
    Set<String> recursive) {

  /**
   * The generated class's simple name: {@code FooTools}, or {@code Outer_InnerTools} for nested
   * classes.
   */
  public String toolSetName() {
    return String.join("_", simpleNames) + "Tools";
  }

  /** Whether every tool is a {@code static} method, so the tool set needs no instance. */
  public boolean staticOnly() {
    return tools.stream().allMatch(tool -> tool.element().getModifiers().contains(Modifier.STATIC));
  }
}
