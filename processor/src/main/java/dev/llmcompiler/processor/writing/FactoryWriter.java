package dev.llmcompiler.processor.writing;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import com.palantir.javapoet.WildcardTypeName;
import dev.llmcompiler.processor.model.AgentInterface;
import dev.llmcompiler.processor.model.ToolClass;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * Writes the small factories that integrations find through {@code ServiceLoader}: {@code
 * FooToolsFactory} (a {@code ToolSetFactory}) next to each {@code FooTools}, and {@code
 * FooImplFactory} (an {@code AgentFactory}) next to each {@code FooImpl}. Each is marked
 * {@code @IndexedFactory}, which is what the aggregating {@code FactoryIndexProcessor} lists in
 * {@code META-INF/services}.
 */
public final class FactoryWriter {
  private static final String INTERNAL = "dev.llmcompiler.runtime.internal";
  private static final ClassName TOOL_SET = ClassName.get("dev.llmcompiler.runtime", "ToolSet");
  private static final ClassName BUILDER =
      ClassName.get("dev.llmcompiler.runtime", "LlmCompiler", "Builder");

  /** The marker {@code FactoryIndexProcessor} looks for. */
  public static final ClassName INDEXED_FACTORY = ClassName.get(INTERNAL, "IndexedFactory");

  /** The service interface of tool set factories, named by their {@code META-INF/services} file. */
  public static final ClassName TOOL_SET_FACTORY = ClassName.get(INTERNAL, "ToolSetFactory");

  /** The service interface of agent factories, named by their {@code META-INF/services} file. */
  public static final ClassName AGENT_FACTORY = ClassName.get(INTERNAL, "AgentFactory");

  private FactoryWriter() {}

  /** The simple name of a tool class's factory: {@code FooToolsFactory}. */
  public static String toolSetFactoryName(ToolClass toolClass) {
    return toolClass.toolSetName() + "Factory";
  }

  /** The simple name of an agent's factory: {@code FooImplFactory}. */
  public static String agentFactoryName(AgentInterface agent) {
    return agent.implName() + "Factory";
  }

  /** {@code FooToolsFactory}, ready for {@link GeneratedFiles#writeSource}. */
  public static TypeSpec.Builder toolSetFactory(ToolClass toolClass) {
    ClassName target = ClassName.get(toolClass.element());
    ClassName toolSet = ClassName.get(toolClass.packageName(), toolClass.toolSetName());
    boolean staticOnly = toolClass.staticOnly();
    CodeBlock create =
        staticOnly
            ? CodeBlock.of("return $T.of()", toolSet)
            : CodeBlock.of("return $T.of($T.class.cast(instance))", toolSet, target);
    return TypeSpec.classBuilder(toolSetFactoryName(toolClass))
        .addJavadoc(
            "Makes {@link $T} for integrations that find tool sets through {@code ServiceLoader}, such as"
                + " the Spring Boot starter; application code calls {@link $T#of($L)} itself.\n",
            toolSet,
            toolSet,
            staticOnly ? "" : target.simpleName())
        .addAnnotation(INDEXED_FACTORY)
        .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
        .addSuperinterface(TOOL_SET_FACTORY)
        .addMethod(
            MethodSpec.methodBuilder("type")
                .addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC)
                .returns(
                    ParameterizedTypeName.get(
                        ClassName.get(Class.class), WildcardTypeName.subtypeOf(Object.class)))
                .addStatement("return $T.class", target)
                .build())
        .addMethod(
            MethodSpec.methodBuilder("isStatic")
                .addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC)
                .returns(TypeName.BOOLEAN)
                .addStatement("return $L", staticOnly)
                .build())
        .addMethod(
            MethodSpec.methodBuilder("create")
                .addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC)
                .returns(TOOL_SET)
                .addParameter(Object.class, "instance")
                .addStatement(create)
                .build());
  }

  /**
   * {@code FooImplFactory}, ready for {@link GeneratedFiles#writeSource}.
   *
   * @param toolClassNames the binary names of the agent's {@code tools} classes, in order
   */
  public static TypeSpec.Builder agentFactory(AgentInterface agent, List<String> toolClassNames) {
    ClassName target = ClassName.get(agent.element());
    ClassName impl = ClassName.get(agent.packageName(), agent.implName());
    CodeBlock names =
        toolClassNames.isEmpty()
            ? CodeBlock.of("$T.of()", List.class)
            : CodeBlock.of(
                "$T.of($L)",
                List.class,
                String.join(
                    ", ",
                    toolClassNames.stream()
                        .map(name -> CodeBlock.of("$S", name).toString())
                        .toList()));
    return TypeSpec.classBuilder(agentFactoryName(agent))
        .addJavadoc(
            "Makes {@link $T} for integrations that find agents through {@code ServiceLoader}, such as"
                + " the Spring Boot starter; application code calls {@link $T#create($T)} itself.\n",
            impl,
            impl,
            BUILDER)
        .addAnnotation(INDEXED_FACTORY)
        .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
        .addSuperinterface(ParameterizedTypeName.get(AGENT_FACTORY, target))
        .addMethod(
            MethodSpec.methodBuilder("type")
                .addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC)
                .returns(ParameterizedTypeName.get(ClassName.get(Class.class), target))
                .addStatement("return $T.class", target)
                .build())
        .addMethod(
            MethodSpec.methodBuilder("toolClassNames")
                .addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC)
                .returns(ParameterizedTypeName.get(List.class, String.class))
                .addStatement("return $L", names)
                .build())
        .addMethod(
            MethodSpec.methodBuilder("create")
                .addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC)
                .returns(target)
                .addParameter(BUILDER, "builder")
                .addStatement("return $T.create(builder)", impl)
                .build());
  }
}
