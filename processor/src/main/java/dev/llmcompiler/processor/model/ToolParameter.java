package dev.llmcompiler.processor.model;

import dev.llmcompiler.processor.schema.Shape;
import javax.lang.model.element.VariableElement;

/**
 * One parameter of a tool.
 *
 * @param element the parameter
 * @param name its name, which is the JSON argument name
 * @param description its description, "" if none
 * @param shape its JSON shape
 * @param optional whether the argument may be omitted or {@code null} ({@code Optional*} or
 *     {@code @Nullable})
 */
public record ToolParameter(
    VariableElement element, String name, String description, Shape shape, boolean optional) {}
