package dev.llmcompiler.processor.validation;

import dev.llmcompiler.annotations.Tool;
import dev.llmcompiler.processor.model.AgentInterface;
import dev.llmcompiler.processor.model.AgentMethod;
import dev.llmcompiler.processor.model.AgentReader;
import dev.llmcompiler.processor.schema.Shape.Unsupported;
import java.util.List;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.NestingKind;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;

/**
 * Checks {@code @Agent} types against every rule and reports all violations, each on the element at
 * fault: the type, the method, the question or context parameter, or the {@code tools} value.
 */
public final class AgentValidator {
  private final Reporter reporter;

  public AgentValidator(Reporter reporter) {
    this.reporter = reporter;
  }

  /**
   * Checks what can be checked before the model is read; returns whether the type is an interface
   * to read.
   */
  public boolean validateType(TypeElement type) {
    if (type.getKind() != ElementKind.INTERFACE) {
      String kind =
          switch (type.getKind()) {
            case CLASS -> "a class";
            case ENUM -> "an enum";
            case RECORD -> "a record";
            case ANNOTATION_TYPE -> "an annotation type";
            default -> "a " + type.getKind().toString().toLowerCase(java.util.Locale.ROOT);
          };
      reporter.report(Message.AGENT_NOT_INTERFACE, type, type.getQualifiedName(), kind);
      return false;
    }
    return true;
  }

  /** Reports every problem of the agent; returns whether its implementation can be generated. */
  public boolean validate(AgentInterface agent) {
    int errorsBefore = reporter.errorCount();
    TypeElement type = agent.element();
    for (Element e = type; e instanceof TypeElement; e = e.getEnclosingElement()) {
      TypeElement current = (TypeElement) e;
      if (current.getNestingKind() == NestingKind.LOCAL
          || current.getNestingKind() == NestingKind.ANONYMOUS) {
        reporter.report(
            Message.AGENT_NOT_ACCESSIBLE,
            type,
            agent.implName(),
            type.getSimpleName() + " is local");
        break;
      }
      if (current.getModifiers().contains(Modifier.PRIVATE)) {
        reporter.report(
            Message.AGENT_NOT_ACCESSIBLE,
            type,
            agent.implName(),
            current.getQualifiedName() + " is private");
      }
    }
    if (!type.getTypeParameters().isEmpty()) {
      reporter.report(
          Message.AGENT_GENERIC, type, type.getQualifiedName(), type.getTypeParameters());
    }
    for (AgentMethod method : agent.methods()) {
      validateMethod(agent, method);
    }
    validateTools(agent);
    return reporter.errorCount() == errorsBefore;
  }

  private void validateMethod(AgentInterface agent, AgentMethod method) {
    // Inherited methods have no place in the agent's source; report them on the agent.
    Element at =
        method.element().getEnclosingElement().equals(agent.element())
            ? method.element()
            : agent.element();
    if (!method.element().getTypeParameters().isEmpty()) {
      // Its type variables would make every other check report the same problem again.
      reporter.report(
          Message.AGENT_GENERIC_METHOD,
          at,
          method.describe(),
          method.element().getTypeParameters());
      return;
    }
    List<? extends TypeMirror> parameters = method.type().getParameterTypes();
    if (method.question() == null) {
      reporter.report(
          Message.AGENT_QUESTION,
          at,
          method.describe(),
          "has no parameters",
          method.element().getSimpleName());
    } else if (!AgentReader.isString(parameters.get(0))) {
      reporter.report(
          Message.AGENT_QUESTION,
          at == agent.element() ? at : method.question(),
          method.describe(),
          "takes " + parameters.get(0),
          method.element().getSimpleName());
    }
    for (AgentMethod.ContextParameter parameter : method.context()) {
      if (parameter.shape() instanceof Unsupported unsupported) {
        reporter.report(
            Message.AGENT_CONTEXT_TYPE,
            at == agent.element() ? at : parameter.element(),
            parameter.name(),
            method.describe(),
            parameter.element().asType(),
            unsupported.reason());
      }
    }
    if (method.answer() instanceof Unsupported unsupported) {
      reporter.report(
          Message.AGENT_RETURN,
          at,
          method.describe(),
          method.type().getReturnType(),
          unsupported.reason());
    }
  }

  private void validateTools(AgentInterface agent) {
    for (int i = 0; i < agent.toolClasses().size(); i++) {
      TypeElement toolClass = agent.toolClasses().get(i);
      boolean hasTools =
          ElementFilter.methodsIn(toolClass.getEnclosedElements()).stream()
              .anyMatch(method -> method.getAnnotation(Tool.class) != null);
      if (!hasTools) {
        reporter.report(
            Message.AGENT_TOOLS_WITHOUT_TOOLS,
            agent.element(),
            agent.annotation(),
            agent.toolValues().get(i),
            toolClass.getQualifiedName());
      }
    }
  }
}
