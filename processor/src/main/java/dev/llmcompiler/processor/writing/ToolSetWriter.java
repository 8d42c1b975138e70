package dev.llmcompiler.processor.writing;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.llmcompiler.processor.model.ToolClass;
import dev.llmcompiler.processor.model.ToolMethod;
import dev.llmcompiler.processor.model.ToolParameter;
import dev.llmcompiler.processor.schema.Shape;
import dev.llmcompiler.processor.schema.Shape.EnumType;
import dev.llmcompiler.processor.schema.Shape.OptionalOf;
import dev.llmcompiler.processor.schema.Shape.Scalar;
import dev.llmcompiler.processor.schema.Shape.VoidType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.lang.model.element.Modifier;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Types;

/**
 * Writes {@code FooTools}: a {@code ToolSet} whose descriptors are built once from constants and
 * whose {@code invoke} switches on the tool name and calls the method directly.
 */
public final class ToolSetWriter {
  private static final String RUNTIME = "dev.llmcompiler.runtime";
  private static final ClassName TOOL_SET = ClassName.get(RUNTIME, "ToolSet");
  private static final ClassName TOOL_DESCRIPTOR = ClassName.get(RUNTIME, "ToolDescriptor");
  private static final ClassName TOOL_ARGUMENTS =
      ClassName.get(RUNTIME + ".internal", "ToolArguments");
  private static final ClassName JSON_NODE =
      ClassName.get("com.fasterxml.jackson.databind", "JsonNode");
  private static final ClassName OBJECT_NODE =
      ClassName.get("com.fasterxml.jackson.databind.node", "ObjectNode");
  private static final ClassName NULL_NODE =
      ClassName.get("com.fasterxml.jackson.databind.node", "NullNode");
  private static final ClassName TYPE_REFERENCE =
      ClassName.get("com.fasterxml.jackson.core.type", "TypeReference");
  private static final ClassName COMPLETION_STAGE =
      ClassName.get("java.util.concurrent", "CompletionStage");
  private static final ClassName COMPLETABLE_FUTURE =
      ClassName.get("java.util.concurrent", "CompletableFuture");
  private static final TypeName RESULT = ParameterizedTypeName.get(COMPLETION_STAGE, JSON_NODE);

  /**
   * The names a {@code callX} method uses itself, which a local of a decoded argument must not
   * take.
   */
  private static final Set<String> RESERVED_LOCALS =
      Set.of("args", "arguments", "result", "target");

  private final Types types;

  public ToolSetWriter(Types types) {
    this.types = types;
  }

  /** The generated class's builder, ready for {@link GeneratedFiles#writeSource}. */
  public TypeSpec.Builder toolSet(ToolClass toolClass, List<CompiledTool> tools) {
    return toolSet(toolClass, tools, List.of());
  }

  /**
   * The generated class's builder with planner examples ({@code "Question: ...\n<plan>"} texts,
   * already checked), which its {@code examples()} returns.
   *
   * <p>A class whose tools are all {@code static} gets {@code of()} without a target. A class with
   * instance tools gets {@code of(Foo target)}, also when some of its tools are static (those are
   * called on the class): its instance tools need the target, so there is no {@code of()} for it.
   */
  public TypeSpec.Builder toolSet(
      ToolClass toolClass, List<CompiledTool> tools, List<String> examples) {
    ClassName target = ClassName.get(toolClass.element());
    ClassName self = ClassName.get(toolClass.packageName(), toolClass.toolSetName());
    boolean staticOnly = toolClass.staticOnly();
    boolean mixed = !staticOnly && tools.stream().anyMatch(tool -> isStatic(tool.method()));
    TypeSpec.Builder type =
        TypeSpec.classBuilder(self)
            .addJavadoc(
                "The tools of {@link $T}, generated from its {@code @Tool} methods.\n\n", target)
            .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
            .addSuperinterface(TOOL_SET);
    if (staticOnly) {
      type.addJavadoc(
          "<p>Its tools are static: create one with {@link #of()} and pass it to the LLMCompiler"
              + " runtime.\n");
    } else {
      type.addJavadoc(
          "<p>Create one with {@link #of($T)} and pass it to the LLMCompiler runtime.\n", target);
    }
    if (mixed) {
      type.addJavadoc(
          "Its static tools are called on {@link $T} itself, the others on the target; because the"
              + " others need an instance, there is no {@code of()} without one.\n",
          target);
    }

    Set<String> names = new HashSet<>(Set.of("TOOLS"));
    if (!examples.isEmpty()) {
      names.add("EXAMPLES");
    }
    Set<String> methodNames = new HashSet<>();
    List<String> descriptorConstants = new ArrayList<>();
    List<String> callMethods = new ArrayList<>();
    List<MethodSpec> calls = new ArrayList<>();
    for (CompiledTool tool : tools) {
      String constant = unique(constantName(tool.method().name()), names);
      descriptorConstants.add(constant);
      type.addField(descriptor(constant, tool));
      // Tool names that camel-case alike (percent_of, percent-of) get numbered methods.
      String callName = unique(callMethodName(tool.method().name()), methodNames);
      callMethods.add(callName);
      calls.add(call(callName, constant, tool, type, names, target));
    }
    type.addField(
        FieldSpec.builder(
                ParameterizedTypeName.get(ClassName.get(List.class), TOOL_DESCRIPTOR),
                "TOOLS",
                Modifier.PRIVATE,
                Modifier.STATIC,
                Modifier.FINAL)
            .initializer("$T.of($L)", List.class, String.join(", ", descriptorConstants))
            .build());
    if (staticOnly) {
      type.addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE).build());
      type.addMethod(
          MethodSpec.methodBuilder("of")
              .addJavadoc("The tools of {@link $T}; every call is a static call on it.\n", target)
              .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
              .returns(self)
              .addStatement("return new $T()", self)
              .build());
    } else {
      type.addField(target, "target", Modifier.PRIVATE, Modifier.FINAL);
      type.addMethod(
          MethodSpec.constructorBuilder()
              .addModifiers(Modifier.PRIVATE)
              .addParameter(target, "target")
              .addStatement("this.target = target")
              .build());
      type.addMethod(
          MethodSpec.methodBuilder("of")
              .addJavadoc(
                  mixed
                      ? CodeBlock.of(
                          "The tools of {@code target}: its instance tools are called on it, the static ones on"
                              + " {@link $T}.\n",
                          target)
                      : CodeBlock.of("The tools of {@code target}; every call is made on it.\n"))
              .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
              .returns(self)
              .addParameter(target, "target")
              .addStatement(
                  "return new $T($T.requireNonNull(target, $S))",
                  self,
                  java.util.Objects.class,
                  self.simpleName()
                      + ".of(target): target is null; pass the "
                      + target.simpleName()
                      + " instance whose @Tool methods should be called")
              .build());
    }
    type.addMethod(
        MethodSpec.methodBuilder("tools")
            .addAnnotation(Override.class)
            .addModifiers(Modifier.PUBLIC)
            .returns(ParameterizedTypeName.get(ClassName.get(List.class), TOOL_DESCRIPTOR))
            .addStatement("return TOOLS")
            .build());
    CodeBlock.Builder dispatch =
        CodeBlock.builder()
            .beginControlFlow(
                "switch ($T.requireNonNull(tool, $S))", java.util.Objects.class, "tool");
    for (int i = 0; i < tools.size(); i++) {
      dispatch
          .add("case $S:\n", tools.get(i).method().name())
          .indent()
          .addStatement("return $N(arguments)", callMethods.get(i))
          .unindent();
    }
    dispatch
        .add("default:\n")
        .indent()
        .addStatement("throw $T.unknownTool(tool, TOOLS)", TOOL_ARGUMENTS)
        .unindent()
        .endControlFlow();
    type.addMethod(
        MethodSpec.methodBuilder("invoke")
            .addAnnotation(Override.class)
            .addModifiers(Modifier.PUBLIC)
            .returns(RESULT)
            .addParameter(String.class, "tool")
            .addParameter(OBJECT_NODE, "arguments")
            .addException(Exception.class)
            .addCode(dispatch.build())
            .build());
    if (!examples.isEmpty()) {
      type.addField(
          FieldSpec.builder(
                  ParameterizedTypeName.get(List.class, String.class),
                  "EXAMPLES",
                  Modifier.PRIVATE,
                  Modifier.STATIC,
                  Modifier.FINAL)
              .initializer(stringList(examples))
              .build());
      type.addMethod(
          MethodSpec.methodBuilder("examples")
              .addJavadoc(
                  "The {@code @PlanExample}s of {@link $T}, checked against its tools at build time.\n",
                  target)
              .addAnnotation(Override.class)
              .addModifiers(Modifier.PUBLIC)
              .returns(ParameterizedTypeName.get(List.class, String.class))
              .addStatement("return EXAMPLES")
              .build());
    }
    calls.forEach(type::addMethod);
    return type;
  }

  private static FieldSpec descriptor(String constant, CompiledTool tool) {
    return FieldSpec.builder(
            TOOL_DESCRIPTOR, constant, Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
        .initializer(
            CodeBlock.builder()
                .add("$T.builder()\n", TOOL_DESCRIPTOR)
                .indent()
                .indent()
                .add(".name($S)\n", tool.method().name())
                .add(".description($S)\n", tool.method().description())
                .add(".parameters($S)\n", CatalogWriter.compact(tool.parameters()))
                .add(".returns($S)\n", CatalogWriter.compact(tool.returns()))
                .add(".signature($S)\n", tool.signature())
                .add(".strict($L)\n", tool.strict())
                .add(".async($L)\n", tool.method().async())
                .add(
                    ".effect($T.$L)\n",
                    dev.llmcompiler.annotations.Effect.class,
                    tool.method().effect().name())
                .add(".build()")
                .unindent()
                .unindent()
                .build())
        .build();
  }

  /**
   * {@code callX}: decodes each argument into a local of the parameter's declared type, calls the
   * method into a local of its return type, then encodes, one statement each, so that a debugger
   * steps into the user's method with the decoded arguments in view.
   */
  private MethodSpec call(
      String name,
      String descriptor,
      CompiledTool tool,
      TypeSpec.Builder type,
      Set<String> names,
      ClassName target) {
    ToolMethod method = tool.method();
    MethodSpec.Builder builder =
        MethodSpec.methodBuilder(name)
            .addModifiers(Modifier.PRIVATE)
            .returns(RESULT)
            .addParameter(OBJECT_NODE, "arguments")
            .addException(Exception.class);
    if (!method.parameters().isEmpty()) {
      builder.addStatement(
          "$T args = $T.of($N, arguments)", TOOL_ARGUMENTS, TOOL_ARGUMENTS, descriptor);
    } else {
      builder.addStatement("$T.of($N, arguments)", TOOL_ARGUMENTS, descriptor);
    }
    List<String> locals = localNames(method.parameters());
    for (int i = 0; i < locals.size(); i++) {
      ToolParameter parameter = method.parameters().get(i);
      builder.addStatement(
          "$T $N = $L",
          declaredType(parameter.element().asType()),
          locals.get(i),
          argument(parameter, descriptor, type, names));
    }
    String methodName = method.element().getSimpleName().toString();
    CodeBlock call =
        isStatic(method)
            ? CodeBlock.of("$T.$N($L)", target, methodName, String.join(", ", locals))
            : CodeBlock.of("target.$N($L)", methodName, String.join(", ", locals));
    if (!method.async() && method.result() instanceof VoidType) {
      builder.addStatement("$L", call);
      builder.addStatement(
          "return $T.completedFuture($T.getInstance())", COMPLETABLE_FUTURE, NULL_NODE);
      return builder.build();
    }
    builder.addStatement("$T result = $L", declaredType(method.element().getReturnType()), call);
    if (method.async()) {
      builder.addStatement(
          "return $T.requireNonNull(result, $S).thenApply($T::encode)",
          java.util.Objects.class,
          "Tool '" + method.name() + "' returned null instead of a CompletionStage",
          TOOL_ARGUMENTS);
    } else {
      builder.addStatement(
          "return $T.completedFuture($T.encode(result))", COMPLETABLE_FUTURE, TOOL_ARGUMENTS);
    }
    return builder.build();
  }

  /**
   * The locals holding the decoded arguments: each parameter's own name, unless it would clash with
   * the generated method's own names ({@code args}, {@code arguments}, {@code result}, the field
   * {@code target}) or could hide a type or constant the method names after it (Java reads a simple
   * name as a variable before a type, JLS 6.4.2; types and constants are capitalized). Those get an
   * {@code Arg} suffix: {@code target} becomes {@code targetArg}.
   */
  private static List<String> localNames(List<ToolParameter> parameters) {
    Set<String> taken = new HashSet<>(RESERVED_LOCALS);
    parameters.forEach(parameter -> taken.add(parameter.name()));
    List<String> locals = new ArrayList<>();
    for (ToolParameter parameter : parameters) {
      String own = parameter.name();
      boolean clashes = RESERVED_LOCALS.contains(own) || Character.isUpperCase(own.codePointAt(0));
      locals.add(clashes ? unique(own + "Arg", taken) : own);
    }
    return locals;
  }

  /**
   * A type as the source declares it, for a local; a top-level type annotation (e.g.
   * {@code @Nullable}) is dropped.
   */
  private static TypeName declaredType(TypeMirror type) {
    return TypeName.get(type).withoutAnnotations();
  }

  private static boolean isStatic(ToolMethod method) {
    return method.element().getModifiers().contains(Modifier.STATIC);
  }

  private CodeBlock argument(
      ToolParameter parameter, String descriptor, TypeSpec.Builder type, Set<String> names) {
    Shape shape = parameter.shape();
    TypeMirror javaType = parameter.element().asType();
    if (shape instanceof OptionalOf) {
      OptionalOf optional = (OptionalOf) shape;
      switch (optional.kind()) {
        case OPTIONAL_INT:
          return CodeBlock.of("args.optionalInt($S)", parameter.name());
        case OPTIONAL_LONG:
          return CodeBlock.of("args.optionalLong($S)", parameter.name());
        case OPTIONAL_DOUBLE:
          return CodeBlock.of("args.optionalDouble($S)", parameter.name());
        default:
          TypeMirror valueType = ((DeclaredType) javaType).getTypeArguments().get(0);
          return CodeBlock.of(
              "$T.ofNullable($L)",
              java.util.Optional.class,
              decode(parameter.name(), optional.value(), valueType, descriptor, type, names));
      }
    }
    return decode(parameter.name(), shape, javaType, descriptor, type, names);
  }

  private CodeBlock decode(
      String name,
      Shape shape,
      TypeMirror javaType,
      String descriptor,
      TypeSpec.Builder type,
      Set<String> names) {
    if (shape instanceof Scalar) {
      return CodeBlock.of("args.$N($S)", ((Scalar) shape).kind().decoder(), name);
    }
    if (shape instanceof EnumType) {
      return CodeBlock.of(
          "args.enumValue($S, $T.values())", name, TypeName.get(types.erasure(javaType)));
    }
    // Records, collections, arrays and maps: bound by Jackson through a type token built once.
    TypeName valueType = TypeName.get(javaType).withoutAnnotations();
    if (valueType.isPrimitive()) {
      valueType = valueType.box();
    }
    String constant = unique(descriptor + "_" + constantName(name) + "_TYPE", names);
    type.addField(
        FieldSpec.builder(
                ParameterizedTypeName.get(TYPE_REFERENCE, valueType),
                constant,
                Modifier.PRIVATE,
                Modifier.STATIC,
                Modifier.FINAL)
            .initializer("new $T<$T>() {}", TYPE_REFERENCE, valueType)
            .build());
    return CodeBlock.of("args.value($S, $N)", name, constant);
  }

  /** {@code List.of("a", "b")}, one element per line. */
  static CodeBlock stringList(List<String> values) {
    CodeBlock.Builder list = CodeBlock.builder().add("$T.of(", List.class).indent();
    for (int i = 0; i < values.size(); i++) {
      list.add(i == 0 ? "\n$S" : ",\n$S", values.get(i));
    }
    return list.unindent().add(")").build();
  }

  /** {@code convertCurrency} or {@code convert-currency} becomes {@code CONVERT_CURRENCY}. */
  static String constantName(String name) {
    String snake = name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").replaceAll("[^A-Za-z0-9]+", "_");
    String upper = snake.toUpperCase(Locale.ROOT);
    return Character.isDigit(upper.charAt(0)) ? "_" + upper : upper;
  }

  /**
   * The name of a tool's {@code callX} method, camel-cased from the tool name: {@code percent_of}
   * and {@code get-rate} become {@code callPercentOf} and {@code callGetRate}, {@code
   * convertCurrency} becomes {@code callConvertCurrency}.
   */
  private static String callMethodName(String toolName) {
    StringBuilder name = new StringBuilder("call");
    for (String word : toolName.split("[^A-Za-z0-9]+")) {
      if (!word.isEmpty()) {
        name.append(Character.toUpperCase(word.charAt(0))).append(word, 1, word.length());
      }
    }
    return name.toString();
  }

  static String unique(String candidate, Set<String> taken) {
    String name = candidate;
    for (int n = 2; !taken.add(name); n++) {
      name = candidate + n;
    }
    return name;
  }
}
