package dev.llmcompiler.processor.model;

import dev.llmcompiler.annotations.Effect;
import dev.llmcompiler.processor.schema.Shape;
import java.util.List;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.ExecutableElement;

/**
 * One {@code @Tool} method.
 *
 * @param element the method
 * @param annotation its {@code @Tool} annotation, to point diagnostics at
 * @param nameValue the annotation's explicit {@code name} value, or {@code null} if defaulted
 * @param name the tool name
 * @param description the tool description, "" if none
 * @param parameters the parameters in declaration order
 * @param result the shape of the (unwrapped) result
 * @param nullableResult whether the result may be {@code null} ({@code Optional},
 *     {@code @Nullable})
 * @param async whether the method returns a {@code CompletionStage}
 * @param effect the declared effect ({@link Effect#MUTATING} when none is written)
 * @param effectValue the annotation's explicit {@code effect} value, or {@code null} if defaulted
 */
public record ToolMethod(
    ExecutableElement element,
    AnnotationMirror annotation,
    AnnotationValue nameValue,
    String name,
    String description,
    List<ToolParameter> parameters,
    Shape result,
    boolean nullableResult,
    boolean async,
    Effect effect,
    AnnotationValue effectValue) {}
