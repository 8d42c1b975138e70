package dev.llmcompiler.processor.model;

import dev.llmcompiler.annotations.Param;
import dev.llmcompiler.annotations.Tool;
import dev.llmcompiler.processor.schema.Shape;
import dev.llmcompiler.processor.schema.Shape.OptionalOf;
import dev.llmcompiler.processor.schema.TypeAnalyzer;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/**
 * Reads a {@link ToolClass} from the elements of a class and its {@code @Tool} methods. It never
 * fails: what is wrong stays in the model (e.g. {@link Shape.Unsupported}) for validation to
 * report.
 */
public final class ModelReader {
  private final Elements elements;
  private final Types types;

  public ModelReader(Elements elements, Types types) {
    this.elements = elements;
    this.types = types;
  }

  /** Reads the class and its tool methods, which must be given in source order. */
  public ToolClass read(TypeElement type, List<ExecutableElement> methods) {
    String packageName = elements.getPackageOf(type).getQualifiedName().toString();
    List<String> simpleNames = new ArrayList<>();
    for (Element e = type; e instanceof TypeElement; e = e.getEnclosingElement()) {
      simpleNames.add(0, e.getSimpleName().toString());
    }
    TypeAnalyzer analyzer = new TypeAnalyzer(elements, types, packageName);
    List<ToolMethod> tools = new ArrayList<>();
    for (ExecutableElement method : methods) {
      tools.add(readMethod(method, analyzer));
    }
    return new ToolClass(
        type,
        packageName,
        List.copyOf(simpleNames),
        elements.getBinaryName(type).toString(),
        List.copyOf(tools),
        analyzer.records(),
        analyzer.recursive());
  }

  private ToolMethod readMethod(ExecutableElement method, TypeAnalyzer analyzer) {
    Tool tool = method.getAnnotation(Tool.class);
    AnnotationMirror annotation = annotationOf(method, Tool.class.getCanonicalName());
    AnnotationValue nameValue = AnnotationValues.explicit(annotation, "name");
    String name = tool.name().isEmpty() ? method.getSimpleName().toString() : tool.name();
    String comment = elements.getDocComment(method);
    String description =
        tool.description().isBlank() ? Docs.mainText(comment) : Docs.clean(tool.description());
    List<ToolParameter> parameters = new ArrayList<>();
    for (VariableElement parameter : method.getParameters()) {
      String parameterName = parameter.getSimpleName().toString();
      Param param = parameter.getAnnotation(Param.class);
      String parameterDescription =
          param == null || param.description().isBlank()
              ? Docs.paramText(comment, parameterName)
              : Docs.clean(param.description());
      Shape shape = analyzer.parameter(parameter.asType());
      boolean optional =
          shape instanceof OptionalOf || Nullables.isNullable(parameter, parameter.asType());
      parameters.add(
          new ToolParameter(parameter, parameterName, parameterDescription, shape, optional));
    }
    Shape result = analyzer.result(method.getReturnType());
    boolean nullableResult =
        result instanceof OptionalOf || Nullables.isNullable(method, method.getReturnType());
    return new ToolMethod(
        method,
        annotation,
        nameValue,
        name,
        description,
        List.copyOf(parameters),
        result,
        nullableResult,
        analyzer.isAsync(method.getReturnType()),
        tool.effect(),
        AnnotationValues.explicit(annotation, "effect"));
  }

  static AnnotationMirror annotationOf(Element element, String annotationName) {
    for (AnnotationMirror mirror : element.getAnnotationMirrors()) {
      if (((TypeElement) mirror.getAnnotationType().asElement())
          .getQualifiedName()
          .contentEquals(annotationName)) {
        return mirror;
      }
    }
    return null;
  }
}
