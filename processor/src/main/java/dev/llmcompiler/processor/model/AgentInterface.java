package dev.llmcompiler.processor.model;

import dev.llmcompiler.processor.schema.Shape.RecordType;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.TypeElement;

/**
 * An {@code @Agent} type, as read from source.
 *
 * @param element the annotated type
 * @param annotation its {@code @Agent} mirror
 * @param toolsValue the explicit {@code tools} value, or {@code null}
 * @param packageName its package, where the implementation is generated
 * @param simpleNames the simple names from the outermost type to this one
 * @param instructions the planner instructions, "" if none
 * @param toolClasses the classes of {@code tools}, in order
 * @param toolValues the {@code tools} entries, one per class, to point diagnostics at
 * @param examples its {@code @PlanExample}s in source order
 * @param methods the abstract methods to implement, the type's own in source order, then inherited
 *     ones
 * @param closeMethod whether it has an abstract {@code void close()} (as from {@code
 *     AutoCloseable})
 * @param records every record the methods' types use, by key
 * @param recursive keys of records that contain themselves
 */
public record AgentInterface(
    TypeElement element,
    AnnotationMirror annotation,
    AnnotationValue toolsValue,
    String packageName,
    List<String> simpleNames,
    String instructions,
    List<TypeElement> toolClasses,
    List<AnnotationValue> toolValues,
    List<PlanExampleModel> examples,
    List<AgentMethod> methods,
    boolean closeMethod,
    Map<String, RecordType> records,
    Set<String> recursive) {

  /**
   * The generated class's simple name: {@code FooImpl}, or {@code Outer_InnerImpl} for nested
   * types.
   */
  public String implName() {
    return String.join("_", simpleNames) + "Impl";
  }

  /** The source name, e.g. {@code Outer.Inner}. */
  public String displayName() {
    return String.join(".", simpleNames);
  }
}
