package dev.llmcompiler.processor.schema;

import dev.llmcompiler.processor.model.Docs;
import dev.llmcompiler.processor.model.Nullables;
import dev.llmcompiler.processor.schema.Shape.ArrayOf;
import dev.llmcompiler.processor.schema.Shape.Component;
import dev.llmcompiler.processor.schema.Shape.EnumType;
import dev.llmcompiler.processor.schema.Shape.MapOf;
import dev.llmcompiler.processor.schema.Shape.OptionalKind;
import dev.llmcompiler.processor.schema.Shape.OptionalOf;
import dev.llmcompiler.processor.schema.Shape.RecordRef;
import dev.llmcompiler.processor.schema.Shape.RecordType;
import dev.llmcompiler.processor.schema.Shape.Scalar;
import dev.llmcompiler.processor.schema.Shape.ScalarKind;
import dev.llmcompiler.processor.schema.Shape.Unsupported;
import dev.llmcompiler.processor.schema.Shape.VoidType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.NestingKind;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.RecordComponentElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.ExecutableType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/**
 * Reads the {@link Shape} of parameter and return types from {@link TypeMirror}s. One analyzer
 * serves one tool class, so records and recursion are resolved the same way for all its tools and
 * the output does not depend on which other classes are compiled alongside.
 */
public final class TypeAnalyzer {
  private static final String USE_INSTEAD =
      " Use String, a number or boolean type, an enum, a record, List/Set/arrays of those, Map<String, V>,"
          + " Optional, java.time or UUID.";

  private final Elements elements;
  private final Types types;
  private final String generatedPackage;
  private final Map<String, RecordType> records = new LinkedHashMap<>();
  private final Set<String> inProgress = new HashSet<>();
  private final Set<String> recursive = new LinkedHashSet<>();

  public TypeAnalyzer(Elements elements, Types types, String generatedPackage) {
    this.elements = elements;
    this.types = types;
    this.generatedPackage = generatedPackage;
  }

  /** Every record met so far, by key. */
  public Map<String, RecordType> records() {
    return Collections.unmodifiableMap(records);
  }

  /** Keys of records that contain themselves, which schemas write through {@code $defs}. */
  public Set<String> recursive() {
    return Collections.unmodifiableSet(recursive);
  }

  /** The shape of a parameter type. */
  public Shape parameter(TypeMirror type) {
    return analyze(type, true);
  }

  /** Whether a return type is a {@code CompletableFuture} or {@code CompletionStage}. */
  public boolean isAsync(TypeMirror type) {
    if (type.getKind() != TypeKind.DECLARED) {
      return false;
    }
    String name = qualifiedName((DeclaredType) type);
    return name.equals("java.util.concurrent.CompletableFuture")
        || name.equals("java.util.concurrent.CompletionStage");
  }

  /**
   * The shape of a return type; futures are unwrapped, {@code void} and {@code Void} are {@link
   * VoidType}.
   */
  public Shape result(TypeMirror type) {
    if (type.getKind() == TypeKind.VOID) {
      return new VoidType();
    }
    TypeMirror value = type;
    if (isAsync(type)) {
      List<? extends TypeMirror> arguments = ((DeclaredType) type).getTypeArguments();
      if (arguments.isEmpty()) {
        return new Unsupported(raw(type));
      }
      value = arguments.get(0);
    }
    if (value.getKind() == TypeKind.DECLARED
        && qualifiedName((DeclaredType) value).equals("java.lang.Void")) {
      return new VoidType();
    }
    return analyze(value, true);
  }

  private Shape analyze(TypeMirror type, boolean optionalAllowed) {
    switch (type.getKind()) {
      case BOOLEAN:
        return new Scalar(ScalarKind.BOOLEAN);
      case BYTE:
        return new Scalar(ScalarKind.BYTE);
      case SHORT:
        return new Scalar(ScalarKind.SHORT);
      case INT:
        return new Scalar(ScalarKind.INT);
      case LONG:
        return new Scalar(ScalarKind.LONG);
      case CHAR:
        return new Scalar(ScalarKind.CHAR);
      case FLOAT:
        return new Scalar(ScalarKind.FLOAT);
      case DOUBLE:
        return new Scalar(ScalarKind.DOUBLE);
      case ARRAY:
        return array((ArrayType) type);
      case DECLARED:
        return declared((DeclaredType) type, optionalAllowed);
      case TYPEVAR:
        return new Unsupported(
            "the type variable "
                + type
                + " is not known at build time, so no schema can be"
                + " written for it. Use a concrete type.");
      case WILDCARD:
        return new Unsupported(
            "the wildcard "
                + type
                + " cannot be decoded from JSON. Use a concrete type"
                + " argument, e.g. List<String> instead of List<? extends CharSequence>.");
      default:
        return new Unsupported(type + " is not a data type." + USE_INSTEAD);
    }
  }

  private Shape array(ArrayType type) {
    TypeKind component = type.getComponentType().getKind();
    if (component == TypeKind.BYTE || component == TypeKind.CHAR) {
      // Jackson reads and writes these as strings (base64, text), not as JSON arrays.
      return new Unsupported(type + " is ambiguous in JSON. Use List<Integer> or String instead.");
    }
    Shape element = analyze(type.getComponentType(), false);
    return element instanceof Unsupported ? element : new ArrayOf(element, false);
  }

  private Shape declared(DeclaredType type, boolean optionalAllowed) {
    TypeElement element = (TypeElement) type.asElement();
    String name = element.getQualifiedName().toString();
    ScalarKind scalar = scalar(name);
    if (scalar != null) {
      return new Scalar(scalar);
    }
    List<? extends TypeMirror> arguments = type.getTypeArguments();
    switch (name) {
      case "java.util.Optional":
        if (!optionalAllowed) {
          return new Unsupported(optionalNotHere(type));
        }
        if (arguments.isEmpty()) {
          return new Unsupported(raw(type));
        }
        Shape value = analyze(arguments.get(0), false);
        return value instanceof Unsupported ? value : new OptionalOf(value, OptionalKind.OPTIONAL);
      case "java.util.OptionalInt":
        return optionalAllowed
            ? new OptionalOf(new Scalar(ScalarKind.INT), OptionalKind.OPTIONAL_INT)
            : new Unsupported(optionalNotHere(type));
      case "java.util.OptionalLong":
        return optionalAllowed
            ? new OptionalOf(new Scalar(ScalarKind.LONG), OptionalKind.OPTIONAL_LONG)
            : new Unsupported(optionalNotHere(type));
      case "java.util.OptionalDouble":
        return optionalAllowed
            ? new OptionalOf(new Scalar(ScalarKind.DOUBLE), OptionalKind.OPTIONAL_DOUBLE)
            : new Unsupported(optionalNotHere(type));
      case "java.util.List":
      case "java.util.Collection":
      case "java.util.Set":
        {
          if (arguments.isEmpty()) {
            return new Unsupported(raw(type));
          }
          Shape item = analyze(arguments.get(0), false);
          return item instanceof Unsupported
              ? item
              : new ArrayOf(item, name.equals("java.util.Set"));
        }
      case "java.util.Map":
        {
          if (arguments.isEmpty()) {
            return new Unsupported(raw(type));
          }
          TypeMirror key = arguments.get(0);
          if (key.getKind() != TypeKind.DECLARED
              || !qualifiedName((DeclaredType) key).equals("java.lang.String")) {
            return new Unsupported(
                "JSON object keys are strings, but "
                    + type
                    + " has keys of type "
                    + key
                    + ". Use Map<String, V>, or a List of records for structured keys.");
          }
          Shape mapped = analyze(arguments.get(1), false);
          return mapped instanceof Unsupported ? mapped : new MapOf(mapped);
        }
      case "java.lang.Object":
        return new Unsupported(
            "java.lang.Object tells the LLM nothing about the value to send." + USE_INSTEAD);
      case "java.util.concurrent.CompletableFuture":
      case "java.util.concurrent.CompletionStage":
        return new Unsupported(
            type
                + " is supported only as a return type (an asynchronous tool). Take the"
                + " value itself as the parameter.");
      default:
        break;
    }
    if (element.getKind() == ElementKind.ENUM) {
      String inaccessible = inaccessible(element);
      if (inaccessible != null) {
        return new Unsupported(inaccessible);
      }
      List<String> constants = new ArrayList<>();
      for (Element enclosed : element.getEnclosedElements()) {
        if (enclosed.getKind() == ElementKind.ENUM_CONSTANT) {
          constants.add(enclosed.getSimpleName().toString());
        }
      }
      return new EnumType(type, constants);
    }
    if (element.getKind() == ElementKind.RECORD) {
      return record(type, element);
    }
    if (element.getKind() == ElementKind.INTERFACE) {
      return new Unsupported(
          type
              + " is an interface; the LLM can only send data, not behaviour or an"
              + " implementation of your choosing. Take a record (or a String) with the data the tool needs.");
    }
    return new Unsupported(
        type
            + " is not a record, an enum or a supported JDK type, so its JSON form is not"
            + " known at build time. Use a record with the fields the tool needs.");
  }

  private Shape record(DeclaredType type, TypeElement element) {
    String inaccessible = inaccessible(element);
    if (inaccessible != null) {
      return new Unsupported(inaccessible);
    }
    String key = type.toString();
    RecordType known = records.get(key);
    if (known != null) {
      return known;
    }
    if (inProgress.contains(key)) {
      recursive.add(key);
      return new RecordRef(key);
    }
    inProgress.add(key);
    try {
      String comment = elements.getDocComment(element);
      List<Component> components = new ArrayList<>();
      for (RecordComponentElement component : element.getRecordComponents()) {
        String name = component.getSimpleName().toString();
        TypeMirror componentType =
            ((ExecutableType) types.asMemberOf(type, component.getAccessor())).getReturnType();
        Shape shape = analyze(componentType, true);
        if (shape instanceof Unsupported) {
          return new Unsupported(
              "in record "
                  + element.getQualifiedName()
                  + ", component '"
                  + name
                  + "': "
                  + ((Unsupported) shape).reason());
        }
        boolean optional =
            shape instanceof OptionalOf
                || Nullables.isNullable(component, component.asType())
                || Nullables.isNullable(
                    component.getAccessor(), component.getAccessor().getReturnType());
        components.add(
            new Component(name, Docs.paramText(comment, name), shape, optional, component));
      }
      RecordType record =
          new RecordType(type, key, element.getSimpleName().toString(), List.copyOf(components));
      records.put(key, record);
      return record;
    } finally {
      inProgress.remove(key);
    }
  }

  /**
   * Why generated code in {@link #generatedPackage} cannot name the type, or {@code null} if it
   * can.
   */
  private String inaccessible(TypeElement type) {
    for (Element e = type; e instanceof TypeElement; e = e.getEnclosingElement()) {
      TypeElement current = (TypeElement) e;
      if (current.getNestingKind() == NestingKind.LOCAL
          || current.getNestingKind() == NestingKind.ANONYMOUS) {
        return current
            + " is a local class, which the generated tool set cannot name. Move it to a top-level"
            + " or static nested type.";
      }
      if (current.getModifiers().contains(Modifier.PRIVATE)) {
        return current.getQualifiedName()
            + " is private, so the generated tool set cannot use it. Make it"
            + " package-private or public.";
      }
      if (!current.getModifiers().contains(Modifier.PUBLIC)) {
        PackageElement pkg = elements.getPackageOf(current);
        if (!pkg.getQualifiedName().contentEquals(generatedPackage)) {
          return current.getQualifiedName()
              + " is not public and lives in another package than the tool"
              + " class, so the generated tool set cannot use it. Make it public.";
        }
      }
    }
    return null;
  }

  private static ScalarKind scalar(String qualifiedName) {
    switch (qualifiedName) {
      case "java.lang.String":
        return ScalarKind.STRING;
      case "java.lang.CharSequence":
        return ScalarKind.CHAR_SEQUENCE;
      case "java.lang.Character":
        return ScalarKind.CHAR;
      case "java.lang.Boolean":
        return ScalarKind.BOOLEAN;
      case "java.lang.Byte":
        return ScalarKind.BYTE;
      case "java.lang.Short":
        return ScalarKind.SHORT;
      case "java.lang.Integer":
        return ScalarKind.INT;
      case "java.lang.Long":
        return ScalarKind.LONG;
      case "java.lang.Float":
        return ScalarKind.FLOAT;
      case "java.lang.Double":
        return ScalarKind.DOUBLE;
      case "java.math.BigInteger":
        return ScalarKind.BIG_INTEGER;
      case "java.math.BigDecimal":
        return ScalarKind.BIG_DECIMAL;
      case "java.time.LocalDate":
        return ScalarKind.LOCAL_DATE;
      case "java.time.LocalTime":
        return ScalarKind.LOCAL_TIME;
      case "java.time.LocalDateTime":
        return ScalarKind.LOCAL_DATE_TIME;
      case "java.time.Instant":
        return ScalarKind.INSTANT;
      case "java.time.OffsetDateTime":
        return ScalarKind.OFFSET_DATE_TIME;
      case "java.time.ZonedDateTime":
        return ScalarKind.ZONED_DATE_TIME;
      case "java.time.Duration":
        return ScalarKind.DURATION;
      case "java.util.UUID":
        return ScalarKind.UUID;
      default:
        return null;
    }
  }

  private static String qualifiedName(DeclaredType type) {
    return ((TypeElement) type.asElement()).getQualifiedName().toString();
  }

  private static String raw(TypeMirror type) {
    return "the raw type "
        + type
        + " does not say what it contains. Add the type argument, e.g. List<String>.";
  }

  private static String optionalNotHere(TypeMirror type) {
    return type
        + " is supported only as a parameter, record component or return type; inside collections and"
        + " maps use the value type itself.";
  }
}
