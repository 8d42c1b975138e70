package dev.llmcompiler.processor.validation;

import com.sun.source.util.TreePath;
import com.sun.source.util.Trees;
import dev.llmcompiler.annotations.Effect;
import dev.llmcompiler.processor.model.ToolClass;
import dev.llmcompiler.processor.model.ToolMethod;
import dev.llmcompiler.processor.model.ToolParameter;
import dev.llmcompiler.processor.schema.Property;
import dev.llmcompiler.processor.schema.SchemaWriter;
import dev.llmcompiler.processor.schema.Shape;
import dev.llmcompiler.processor.schema.Shape.ArrayOf;
import dev.llmcompiler.processor.schema.Shape.Component;
import dev.llmcompiler.processor.schema.Shape.MapOf;
import dev.llmcompiler.processor.schema.Shape.OptionalOf;
import dev.llmcompiler.processor.schema.Shape.RecordType;
import dev.llmcompiler.processor.schema.Shape.Unsupported;
import dev.llmcompiler.processor.schema.Shape.VoidType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import javax.lang.model.element.Element;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.NestingKind;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.type.TypeVariable;
import javax.lang.model.type.WildcardType;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/**
 * Checks one tool class against every rule and reports all violations, each on the element at fault
 * (the parameter for a type, the {@code name} value for a bad name).
 */
public final class ToolValidator {
  private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_-]{1,64}");

  private final Reporter reporter;
  private final Elements elements;
  private final Types types;
  private final Trees trees;

  /**
   * @param trees javac's source trees, or {@code null} under a compiler without them (record
   *     component warnings then point at the record)
   */
  public ToolValidator(Reporter reporter, Elements elements, Types types, Trees trees) {
    this.reporter = reporter;
    this.elements = elements;
    this.types = types;
    this.trees = trees;
  }

  /** Reports every problem of the class; returns whether code can be generated for it. */
  public boolean validate(ToolClass toolClass) {
    int errorsBefore = reporter.errorCount();
    validateClass(toolClass);
    Map<String, ToolMethod> byName = new HashMap<>();
    Set<String> describedRecords = new HashSet<>();
    SchemaWriter schemas = new SchemaWriter(toolClass.records(), toolClass.recursive());
    for (ToolMethod tool : toolClass.tools()) {
      validateMethod(toolClass, tool);
      validateName(tool, byName);
      boolean typesOk = validateTypes(tool);
      validateDescriptions(tool, describedRecords);
      validateEffect(tool);
      if (typesOk) {
        List<Property> properties = new ArrayList<>();
        for (ToolParameter parameter : tool.parameters()) {
          properties.add(
              new Property(
                  parameter.name(),
                  parameter.description(),
                  parameter.shape(),
                  parameter.optional()));
        }
        Property withMap = schemas.firstWithMap(properties);
        if (withMap != null) {
          Element at = tool.parameters().get(properties.indexOf(withMap)).element();
          reporter.report(
              Message.NOT_STRICT,
              at,
              tool.name(),
              "parameter '" + withMap.name() + "' contains one");
        }
      }
    }
    return reporter.errorCount() == errorsBefore;
  }

  private void validateClass(ToolClass toolClass) {
    TypeElement type = toolClass.element();
    for (Element e = type; e instanceof TypeElement; e = e.getEnclosingElement()) {
      TypeElement current = (TypeElement) e;
      if (current.getNestingKind() == NestingKind.LOCAL
          || current.getNestingKind() == NestingKind.ANONYMOUS) {
        reporter.report(Message.LOCAL_CLASS, type);
        return;
      }
      if (current.getModifiers().contains(Modifier.PRIVATE)) {
        reporter.report(
            Message.CLASS_NOT_ACCESSIBLE, current, current.getQualifiedName(), "private");
      }
    }
    if (!type.getTypeParameters().isEmpty()) {
      reporter.report(
          Message.GENERIC_CLASS, type, type.getQualifiedName(), type.getTypeParameters());
    }
  }

  private void validateMethod(ToolClass toolClass, ToolMethod tool) {
    Set<Modifier> modifiers = tool.element().getModifiers();
    if (!modifiers.contains(Modifier.PUBLIC)) {
      String access =
          modifiers.contains(Modifier.PRIVATE)
              ? "private"
              : modifiers.contains(Modifier.PROTECTED) ? "protected" : "package-private";
      reporter.report(
          Message.NOT_PUBLIC, tool.element(), toolClass.toolSetName(), describe(tool), access);
    }
    if (!tool.element().getTypeParameters().isEmpty()) {
      reporter.report(
          Message.GENERIC_METHOD,
          tool.element(),
          tool.element().getTypeParameters(),
          describe(tool));
    }
    TypeMirror runtime = elements.getTypeElement("java.lang.RuntimeException").asType();
    TypeMirror error = elements.getTypeElement("java.lang.Error").asType();
    List<String> checked = new ArrayList<>();
    for (TypeMirror thrown : tool.element().getThrownTypes()) {
      if (!types.isSubtype(thrown, runtime) && !types.isSubtype(thrown, error)) {
        checked.add(thrown.toString());
      }
    }
    if (!checked.isEmpty()) {
      reporter.report(
          Message.CHECKED_EXCEPTION, tool.element(), tool.name(), String.join(", ", checked));
    }
  }

  private void validateName(ToolMethod tool, Map<String, ToolMethod> byName) {
    if (!NAME.matcher(tool.name()).matches()) {
      reporter.report(
          Message.INVALID_NAME, tool.element(), tool.annotation(), tool.nameValue(), tool.name());
      return;
    }
    // The plan parser reads join(...) in any case as the end of a plan; ToolDescriptor rejects it
    // too.
    if (tool.name().equalsIgnoreCase("join")) {
      reporter.report(Message.RESERVED_NAME, tool.element(), tool.annotation(), tool.nameValue());
      return;
    }
    ToolMethod first = byName.putIfAbsent(tool.name(), tool);
    if (first != null) {
      boolean overload =
          first.element().getSimpleName().contentEquals(tool.element().getSimpleName());
      reporter.report(
          Message.DUPLICATE_NAME,
          tool.element(),
          tool.annotation(),
          tool.nameValue(),
          tool.name(),
          signature(first),
          overload ? "its overload " : "",
          signature(tool));
    }
  }

  /**
   * Reports parameters and a result without a schema; returns whether all have one. A type that
   * uses a type parameter of the method or its class is not reported again: LlmcGenericMethod or
   * LlmcGenericClass already said what is wrong, once.
   */
  private boolean validateTypes(ToolMethod tool) {
    boolean ok = true;
    for (ToolParameter parameter : tool.parameters()) {
      if (parameter.shape() instanceof Unsupported unsupported) {
        ok = false;
        if (!usesTypeParameterOf(parameter.element().asType(), tool)) {
          reporter.report(
              Message.UNSUPPORTED_TYPE,
              parameter.element(),
              "Parameter '" + parameter.name() + "' of tool \"" + tool.name() + "\"",
              parameter.element().asType(),
              unsupported.reason());
        }
      }
    }
    if (tool.result() instanceof Unsupported unsupported) {
      ok = false;
      if (!usesTypeParameterOf(tool.element().getReturnType(), tool)) {
        reporter.report(
            Message.UNSUPPORTED_TYPE,
            tool.element(),
            "The result of tool \"" + tool.name() + "\"",
            tool.element().getReturnType(),
            unsupported.reason());
      }
    }
    return ok;
  }

  /** Warns where the declared effect contradicts the signature. */
  private void validateEffect(ToolMethod tool) {
    if (tool.effect() == Effect.READ_ONLY && tool.result() instanceof VoidType) {
      reporter.report(
          Message.READ_ONLY_VOID,
          tool.element(),
          tool.annotation(),
          tool.effectValue(),
          tool.name());
    }
  }

  private void validateDescriptions(ToolMethod tool, Set<String> describedRecords) {
    if (tool.description().isEmpty()) {
      reporter.report(Message.MISSING_TOOL_DESCRIPTION, tool.element(), tool.name());
    }
    for (ToolParameter parameter : tool.parameters()) {
      if (parameter.description().isEmpty()) {
        reporter.report(
            Message.MISSING_PARAMETER_DESCRIPTION,
            parameter.element(),
            parameter.name(),
            tool.name());
      }
      validateComponentDescriptions(parameter.shape(), tool, describedRecords);
    }
    validateComponentDescriptions(tool.result(), tool, describedRecords);
  }

  private void validateComponentDescriptions(
      Shape shape, ToolMethod tool, Set<String> describedRecords) {
    if (shape instanceof ArrayOf) {
      validateComponentDescriptions(((ArrayOf) shape).element(), tool, describedRecords);
    } else if (shape instanceof MapOf) {
      validateComponentDescriptions(((MapOf) shape).value(), tool, describedRecords);
    } else if (shape instanceof OptionalOf) {
      validateComponentDescriptions(((OptionalOf) shape).value(), tool, describedRecords);
    } else if (shape instanceof RecordType) {
      RecordType record = (RecordType) shape;
      if (!describedRecords.add(record.key())) {
        return;
      }
      for (Component component : record.components()) {
        if (component.description().isEmpty()) {
          reportOnComponent(component, record.simpleName(), tool.name());
        }
        validateComponentDescriptions(component.shape(), tool, describedRecords);
      }
    }
  }

  /**
   * Warns of a component without a description, on the component in the record's header where the
   * source is at hand. {@code javax.lang.model} cannot place a diagnostic on a record component,
   * but javac keeps each component as a field tree at that position.
   */
  private void reportOnComponent(Component component, String recordName, String toolName) {
    Element record = component.element().getEnclosingElement();
    Object[] arguments = {component.name(), recordName, toolName, component.name()};
    TreePath at = null;
    if (trees != null) {
      for (VariableElement field : ElementFilter.fieldsIn(record.getEnclosedElements())) {
        if (field.getSimpleName().contentEquals(component.name())) {
          at = trees.getPath(field);
          break;
        }
      }
    }
    if (at == null) {
      // Compiled from a class file, or no javac trees: the record is the closest element.
      reporter.report(Message.MISSING_COMPONENT_DESCRIPTION, record, arguments);
    } else {
      reporter.reportAt(Message.MISSING_COMPONENT_DESCRIPTION, record, trees, at, arguments);
    }
  }

  /**
   * Whether {@code type} is, or contains, a type parameter of the tool's method or of the class
   * declaring it.
   */
  private static boolean usesTypeParameterOf(TypeMirror type, ToolMethod tool) {
    switch (type.getKind()) {
      case TYPEVAR:
        Element declaredBy = ((TypeVariable) type).asElement().getEnclosingElement();
        return declaredBy.equals(tool.element())
            || declaredBy.equals(tool.element().getEnclosingElement());
      case ARRAY:
        return usesTypeParameterOf(((ArrayType) type).getComponentType(), tool);
      case DECLARED:
        for (TypeMirror argument : ((DeclaredType) type).getTypeArguments()) {
          if (usesTypeParameterOf(argument, tool)) {
            return true;
          }
        }
        return false;
      case WILDCARD:
        WildcardType wildcard = (WildcardType) type;
        return wildcard.getExtendsBound() != null
                && usesTypeParameterOf(wildcard.getExtendsBound(), tool)
            || wildcard.getSuperBound() != null
                && usesTypeParameterOf(wildcard.getSuperBound(), tool);
      default:
        return false;
    }
  }

  /**
   * The method with its parameter types, e.g. {@code Search.find(String, int)}: overloads differ by
   * them.
   */
  private String signature(ToolMethod tool) {
    List<String> parameters = new ArrayList<>();
    for (VariableElement parameter : tool.element().getParameters()) {
      parameters.add(simpleName(parameter.asType()));
    }
    return tool.element().getEnclosingElement().getSimpleName()
        + "."
        + tool.element().getSimpleName()
        + "("
        + String.join(", ", parameters)
        + ")";
  }

  private String simpleName(TypeMirror type) {
    TypeMirror erased = types.erasure(type);
    if (erased.getKind() == TypeKind.ARRAY) {
      return simpleName(((ArrayType) erased).getComponentType()) + "[]";
    }
    if (erased.getKind() == TypeKind.DECLARED) {
      return ((DeclaredType) erased).asElement().getSimpleName().toString();
    }
    return erased.getKind().isPrimitive()
        ? erased.getKind().name().toLowerCase(Locale.ROOT)
        : erased.toString();
  }

  private static String describe(ToolMethod tool) {
    return tool.element().getEnclosingElement().getSimpleName()
        + "."
        + tool.element().getSimpleName()
        + "()";
  }
}
