package dev.llmcompiler.processor.model;

import dev.llmcompiler.processor.schema.Shape;
import java.util.List;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.ExecutableType;

/**
 * One abstract method of an {@code @Agent} interface.
 *
 * @param element the method
 * @param type its type as a member of the agent (type arguments of generic super-interfaces
 *     resolved)
 * @param question the first parameter, the question, or {@code null} if there is none
 * @param context the further parameters, rendered into the question
 * @param answer what the method returns: {@link Shape.Scalar} STRING for text, a {@link
 *     Shape.RecordType} for a structured answer, or {@link Shape.Unsupported} with the reason
 */
public record AgentMethod(
    ExecutableElement element,
    ExecutableType type,
    VariableElement question,
    List<ContextParameter> context,
    Shape answer) {

  /** {@code Agent.method(String, int)}, for messages. */
  public String describe() {
    StringBuilder text =
        new StringBuilder(element.getEnclosingElement().getSimpleName())
            .append('.')
            .append(element.getSimpleName())
            .append('(');
    for (int i = 0; i < type.getParameterTypes().size(); i++) {
      String name = type.getParameterTypes().get(i).toString();
      int typeArguments = name.indexOf('<');
      String raw =
          typeArguments >= 0
              ? name.substring(0, typeArguments) + name.substring(name.lastIndexOf('>') + 1)
              : name;
      text.append(i == 0 ? "" : ", ").append(raw.substring(raw.lastIndexOf('.') + 1));
    }
    return text.append(')').toString();
  }

  /**
   * A context parameter.
   *
   * @param element the parameter
   * @param name its name, the label of its context line
   * @param shape its JSON shape ({@link Shape.Unsupported} if it has none)
   */
  public record ContextParameter(VariableElement element, String name, Shape shape) {}
}
