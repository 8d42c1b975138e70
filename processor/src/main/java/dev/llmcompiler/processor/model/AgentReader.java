package dev.llmcompiler.processor.model;

import dev.llmcompiler.annotations.Agent;
import dev.llmcompiler.processor.schema.Shape;
import dev.llmcompiler.processor.schema.Shape.RecordType;
import dev.llmcompiler.processor.schema.Shape.ScalarKind;
import dev.llmcompiler.processor.schema.Shape.Unsupported;
import dev.llmcompiler.processor.schema.TypeAnalyzer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.ExecutableType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/**
 * Reads an {@link AgentInterface} from an {@code @Agent} type. Like {@link ModelReader} it never
 * fails: what is wrong stays in the model for validation to report.
 */
public final class AgentReader {
  private final Elements elements;
  private final Types types;

  public AgentReader(Elements elements, Types types) {
    this.elements = elements;
    this.types = types;
  }

  /** The abstract methods an implementation must have, the type's own first in source order. */
  public List<ExecutableElement> abstractMethods(TypeElement type) {
    Set<ExecutableElement> methods = new LinkedHashSet<>();
    for (ExecutableElement method : ElementFilter.methodsIn(type.getEnclosedElements())) {
      if (method.getModifiers().contains(Modifier.ABSTRACT)) {
        methods.add(method);
      }
    }
    for (ExecutableElement method : ElementFilter.methodsIn(elements.getAllMembers(type))) {
      if (method.getModifiers().contains(Modifier.ABSTRACT) && !isObjectMethod(method)) {
        methods.add(method);
      }
    }
    methods.removeIf(this::isObjectMethod);
    return new ArrayList<>(methods);
  }

  /** Reads the agent; {@code type} must be an interface (validation checks that first). */
  public AgentInterface read(TypeElement type) {
    String packageName = elements.getPackageOf(type).getQualifiedName().toString();
    List<String> simpleNames = new ArrayList<>();
    for (Element e = type; e instanceof TypeElement; e = e.getEnclosingElement()) {
      simpleNames.add(0, e.getSimpleName().toString());
    }
    Agent agent = type.getAnnotation(Agent.class);
    AnnotationMirror annotation = ModelReader.annotationOf(type, Agent.class.getCanonicalName());
    AnnotationValue toolsValue = AnnotationValues.explicit(annotation, "tools");
    List<TypeElement> toolClasses = new ArrayList<>();
    List<AnnotationValue> toolValues = new ArrayList<>();
    if (toolsValue != null && toolsValue.getValue() instanceof List<?> list) {
      for (Object item : list) {
        if (item instanceof AnnotationValue value
            && value.getValue() instanceof DeclaredType declared) {
          toolClasses.add((TypeElement) declared.asElement());
          toolValues.add(value);
        }
      }
    }
    TypeAnalyzer analyzer = new TypeAnalyzer(elements, types, packageName);
    List<AgentMethod> methods = new ArrayList<>();
    boolean close = false;
    for (ExecutableElement method : abstractMethods(type)) {
      if (isClose(method)) {
        close = true;
        continue;
      }
      methods.add(readMethod(type, method, analyzer));
    }
    return new AgentInterface(
        type,
        annotation,
        toolsValue,
        packageName,
        List.copyOf(simpleNames),
        agent.instructions().strip(),
        List.copyOf(toolClasses),
        List.copyOf(toolValues),
        PlanExampleReader.read(type),
        List.copyOf(methods),
        close,
        analyzer.records(),
        analyzer.recursive());
  }

  private AgentMethod readMethod(
      TypeElement agent, ExecutableElement method, TypeAnalyzer analyzer) {
    ExecutableType type = (ExecutableType) types.asMemberOf((DeclaredType) agent.asType(), method);
    List<? extends VariableElement> parameters = method.getParameters();
    VariableElement question = parameters.isEmpty() ? null : parameters.get(0);
    List<AgentMethod.ContextParameter> context = new ArrayList<>();
    for (int i = 1; i < parameters.size(); i++) {
      VariableElement parameter = parameters.get(i);
      context.add(
          new AgentMethod.ContextParameter(
              parameter,
              parameter.getSimpleName().toString(),
              analyzer.parameter(type.getParameterTypes().get(i))));
    }
    return new AgentMethod(
        method, type, question, List.copyOf(context), answer(type.getReturnType(), analyzer));
  }

  private Shape answer(TypeMirror returnType, TypeAnalyzer analyzer) {
    if (isString(returnType)) {
      return new Shape.Scalar(ScalarKind.STRING);
    }
    if (returnType.getKind() == TypeKind.DECLARED
        && ((DeclaredType) returnType).asElement().getKind() == ElementKind.RECORD) {
      if (!((DeclaredType) returnType).getTypeArguments().isEmpty()) {
        return new Unsupported(
            "a generic record cannot be bound from JSON by its class alone. Use a record"
                + " without type parameters.");
      }
      Shape shape = analyzer.result(returnType);
      return shape instanceof RecordType || shape instanceof Unsupported
          ? shape
          : new Unsupported("its JSON form is not an object.");
    }
    return new Unsupported(
        "an agent method returns the answer as a String, or as a record for a structured"
            + " answer. Return String or a record.");
  }

  /** Whether the method is {@code void close()}, which the implementation provides. */
  private static boolean isClose(ExecutableElement method) {
    return method.getSimpleName().contentEquals("close")
        && method.getParameters().isEmpty()
        && method.getReturnType().getKind() == TypeKind.VOID;
  }

  /** Whether the method redeclares a public method of {@code Object}, which every class has. */
  private boolean isObjectMethod(ExecutableElement method) {
    TypeElement object = elements.getTypeElement("java.lang.Object");
    for (ExecutableElement candidate : ElementFilter.methodsIn(object.getEnclosedElements())) {
      if (candidate.getModifiers().contains(Modifier.PUBLIC)
          && candidate.getSimpleName().equals(method.getSimpleName())
          && candidate.getParameters().size() == method.getParameters().size()) {
        boolean same = true;
        for (int i = 0; i < candidate.getParameters().size(); i++) {
          same &=
              types.isSameType(
                  types.erasure(candidate.getParameters().get(i).asType()),
                  types.erasure(method.getParameters().get(i).asType()));
        }
        if (same) {
          return true;
        }
      }
    }
    return false;
  }

  /** Whether the type is {@code java.lang.String}. */
  public static boolean isString(TypeMirror type) {
    return type.getKind() == TypeKind.DECLARED
        && ((TypeElement) ((DeclaredType) type).asElement())
            .getQualifiedName()
            .contentEquals("java.lang.String");
  }
}
