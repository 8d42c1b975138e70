package dev.llmcompiler.processor.writing;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.llmcompiler.annotations.Tool;
import dev.llmcompiler.processor.model.AgentInterface;
import dev.llmcompiler.processor.model.AgentMethod;
import dev.llmcompiler.processor.model.PlanExampleModel;
import dev.llmcompiler.processor.schema.SchemaWriter;
import dev.llmcompiler.processor.schema.Shape.RecordType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;

/**
 * Writes {@code FooImpl} for an {@code @Agent} interface {@code Foo}: one {@code LlmCompiler} built
 * by its {@code create} factories, and each method running its question through it; a record answer
 * goes through an {@code AnswerFormat} whose schema is a constant written here.
 */
public final class AgentWriter {
  private static final String RUNTIME = "dev.llmcompiler.runtime";
  private static final ClassName LLM_COMPILER = ClassName.get(RUNTIME, "LlmCompiler");
  private static final ClassName BUILDER = LLM_COMPILER.nestedClass("Builder");
  private static final ClassName TOOL_SET = ClassName.get(RUNTIME, "ToolSet");
  private static final ClassName TOOL_ARGUMENTS =
      ClassName.get(RUNTIME + ".internal", "ToolArguments");
  private static final ClassName ANSWER_FORMAT = ClassName.get(RUNTIME, "AnswerFormat");
  private static final ClassName LLM_CLIENT = ClassName.get(RUNTIME + ".llm", "LlmClient");

  /**
   * The generated class's builder, ready for {@link GeneratedFiles#writeSource}; {@code toolNames}
   * are the tools of the agent's {@code tools} classes, which {@code create} checks are there.
   */
  public TypeSpec.Builder agent(AgentInterface agent, List<String> toolNames) {
    ClassName target = ClassName.get(agent.element());
    ClassName self = ClassName.get(agent.packageName(), agent.implName());
    TypeSpec.Builder type =
        TypeSpec.classBuilder(self)
            .addJavadoc(
                "The implementation of {@link $T}, generated from its {@code @Agent} interface.\n\n",
                target)
            .addJavadoc(
                "<p>Create it with {@link #create($T, $T...)}$L, which takes ownership of the client, or"
                    + " {@link #create($T)} for more options, which leaves the client to the caller. Close it when done.\n",
                LLM_CLIENT,
                TOOL_SET,
                toolsHint(agent),
                BUILDER)
            .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
            .addSuperinterface(target)
            .addSuperinterface(AutoCloseable.class);

    Set<String> names =
        new HashSet<>(
            Set.of("INSTRUCTIONS", "EXAMPLES", "TOOLS", "compiler", "ownedLlm", "closed"));
    type.addField(
        FieldSpec.builder(
                String.class, "INSTRUCTIONS", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
            .initializer("$S", agent.instructions())
            .build());
    List<String> examples = new ArrayList<>();
    for (PlanExampleModel example : agent.examples()) {
      examples.add(example.promptText());
    }
    type.addField(
        FieldSpec.builder(
                ParameterizedTypeName.get(List.class, String.class),
                "EXAMPLES",
                Modifier.PRIVATE,
                Modifier.STATIC,
                Modifier.FINAL)
            .initializer(
                examples.isEmpty()
                    ? CodeBlock.of("$T.of()", List.class)
                    : ToolSetWriter.stringList(examples))
            .build());
    type.addField(
        FieldSpec.builder(
                ParameterizedTypeName.get(List.class, String.class),
                "TOOLS",
                Modifier.PRIVATE,
                Modifier.STATIC,
                Modifier.FINAL)
            .initializer(
                toolNames.isEmpty()
                    ? CodeBlock.of("$T.of()", List.class)
                    : ToolSetWriter.stringList(toolNames))
            .build());
    type.addField(LLM_COMPILER, "compiler", Modifier.PRIVATE, Modifier.FINAL);
    type.addField(
        FieldSpec.builder(LLM_CLIENT, "ownedLlm", Modifier.PRIVATE, Modifier.FINAL)
            .addJavadoc(
                "The client {@link #close()} closes after the compiler; {@code null} when the caller owns it.\n")
            .build());
    type.addField(
        FieldSpec.builder(AtomicBoolean.class, "closed", Modifier.PRIVATE, Modifier.FINAL)
            .initializer("new $T()", AtomicBoolean.class)
            .build());
    type.addMethod(
        MethodSpec.constructorBuilder()
            .addModifiers(Modifier.PRIVATE)
            .addParameter(LLM_COMPILER, "compiler")
            .addParameter(LLM_CLIENT, "ownedLlm")
            .addStatement("this.compiler = compiler")
            .addStatement("this.ownedLlm = ownedLlm")
            .build());
    type.addMethod(
        MethodSpec.methodBuilder("create")
            .addJavadoc(
                "An agent planning and answering with {@code llm}, calling the tools of {@code tools}$L.\n\n",
                toolsHint(agent))
            .addJavadoc(
                "<p>The agent owns {@code llm}: {@link #close()} closes it after the compiler, and so does a"
                    + " failure to create the agent.\n")
            .addJavadoc(
                "\n@throws IllegalStateException if a tool of the agent's tool classes is not among {@code tools}\n")
            .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
            .returns(self)
            .addParameter(LLM_CLIENT, "llm")
            .addParameter(ArrayTypeName.of(TOOL_SET), "tools")
            .varargs(true)
            .addStatement(
                "$T.requireNonNull(llm, $S)",
                Objects.class,
                agent.implName()
                    + ".create(llm, tools): llm is null; pass the LlmClient to plan and answer with")
            .beginControlFlow("try")
            .addStatement("return create($T.builder().llm(llm).tools(tools), llm)", LLM_COMPILER)
            .nextControlFlow("catch ($T | $T e)", RuntimeException.class, Error.class)
            .addComment(
                "The agent owns llm from this call on, so a failed creation must not leak it.")
            .beginControlFlow("try")
            .addStatement("llm.close()")
            .nextControlFlow("catch ($T closing)", RuntimeException.class)
            .addStatement("e.addSuppressed(closing)")
            .endControlFlow()
            .addStatement("throw e")
            .endControlFlow()
            .build());
    type.addMethod(
        MethodSpec.methodBuilder("create")
            .addJavadoc(
                "An agent on a compiler configured by {@code builder} (llm, tools and any other option, e.g. a"
                    + " run deadline).\n")
            .addJavadoc(
                "The agent's planner instructions (if any, replacing the builder's) and examples are added to"
                    + " the builder, which is then built; do not reuse it.\n\n")
            .addJavadoc(
                "<p>The caller keeps ownership of the builder's {@code LlmClient}: {@link #close()} does not close"
                    + " it.\n")
            .addJavadoc(
                "\n@throws IllegalStateException if a tool of the agent's tool classes is not among the builder's\n")
            .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
            .returns(self)
            .addParameter(BUILDER, "builder")
            .addStatement("return create(builder, null)")
            .build());
    type.addMethod(
        MethodSpec.methodBuilder("create")
            .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
            .returns(self)
            .addParameter(BUILDER, "builder")
            .addParameter(LLM_CLIENT, "ownedLlm")
            .addStatement("$T.requireNonNull(builder, $S)", Objects.class, "builder")
            .beginControlFlow("if (!INSTRUCTIONS.isEmpty())")
            .addStatement("builder.plannerInstructions(INSTRUCTIONS)")
            .endControlFlow()
            .addStatement("EXAMPLES.forEach(builder::plannerExample)")
            .addStatement("$T compiler = builder.build()", LLM_COMPILER)
            .addStatement(
                "$T missing = new $T<>(TOOLS)",
                ParameterizedTypeName.get(List.class, String.class),
                java.util.ArrayList.class)
            .addStatement("missing.removeAll(compiler.toolNames())")
            .beginControlFlow("if (!missing.isEmpty())")
            .addStatement("compiler.close()")
            .addStatement(
                "throw new $T($S + missing + $S)",
                IllegalStateException.class,
                agent.implName()
                    + " needs the tools of @Agent(tools = ...), but these are missing: ",
                ". Pass " + String.join(", ", toolSetCalls(agent)) + " to create(...).")
            .endControlFlow()
            .addStatement("return new $T(compiler, ownedLlm)", self)
            .build());
    type.addMethod(
        MethodSpec.methodBuilder("compiler")
            .addJavadoc("The compiler this agent runs its questions on.\n")
            .addModifiers(Modifier.PUBLIC)
            .returns(LLM_COMPILER)
            .addStatement("return compiler")
            .build());
    for (AgentMethod method : agent.methods()) {
      type.addMethod(method(agent, method, type, names));
    }
    type.addMethod(
        MethodSpec.methodBuilder("close")
            .addJavadoc(
                "Closes the compiler, then the {@code LlmClient} if this agent owns it (it was created with"
                    + " {@link #create($T, $T...)}). Closing again does nothing.\n",
                LLM_CLIENT,
                TOOL_SET)
            .addAnnotation(Override.class)
            .addModifiers(Modifier.PUBLIC)
            .beginControlFlow("if (!closed.compareAndSet(false, true))")
            .addStatement("return")
            .endControlFlow()
            .beginControlFlow("try")
            .addStatement("compiler.close()")
            .nextControlFlow("finally")
            .beginControlFlow("if (ownedLlm != null)")
            .addStatement("ownedLlm.close()")
            .endControlFlow()
            .endControlFlow()
            .build());
    return type;
  }

  private static String toolsHint(AgentInterface agent) {
    return agent.toolClasses().isEmpty()
        ? ""
        : " (its tool sets: " + String.join(", ", toolSetNames(agent)) + ")";
  }

  /** The generated tool set names of the agent's tool classes. */
  private static List<String> toolSetNames(AgentInterface agent) {
    List<String> toolSets = new ArrayList<>();
    for (TypeElement toolClass : agent.toolClasses()) {
      toolSets.add(toolSetName(toolClass));
    }
    return toolSets;
  }

  /**
   * How to make each tool set of the agent: {@code FooTools.of(...)}, or {@code FooTools.of()} for
   * a class whose tools are all static and so need no instance.
   */
  private static List<String> toolSetCalls(AgentInterface agent) {
    List<String> calls = new ArrayList<>();
    for (TypeElement toolClass : agent.toolClasses()) {
      boolean staticOnly =
          ElementFilter.methodsIn(toolClass.getEnclosedElements()).stream()
              .filter(method -> method.getAnnotation(Tool.class) != null)
              .allMatch(method -> method.getModifiers().contains(Modifier.STATIC));
      calls.add(toolSetName(toolClass) + (staticOnly ? ".of()" : ".of(...)"));
    }
    return calls;
  }

  private static String toolSetName(TypeElement toolClass) {
    List<String> simpleNames = new ArrayList<>();
    for (javax.lang.model.element.Element e = toolClass;
        e instanceof TypeElement;
        e = e.getEnclosingElement()) {
      simpleNames.add(0, e.getSimpleName().toString());
    }
    return String.join("_", simpleNames) + "Tools";
  }

  private MethodSpec method(
      AgentInterface agent, AgentMethod method, TypeSpec.Builder type, Set<String> names) {
    MethodSpec.Builder builder =
        MethodSpec.methodBuilder(method.element().getSimpleName().toString())
            .addAnnotation(Override.class)
            .addModifiers(Modifier.PUBLIC)
            .returns(TypeName.get(method.type().getReturnType()));
    List<? extends VariableElement> parameters = method.element().getParameters();
    List<? extends TypeMirror> types = method.type().getParameterTypes();
    for (int i = 0; i < parameters.size(); i++) {
      builder.addParameter(
          ParameterSpec.builder(
                  TypeName.get(types.get(i)), parameters.get(i).getSimpleName().toString())
              .build());
    }
    if (method.element().isVarArgs()) {
      builder.varargs(true);
    }
    String questionName = method.question().getSimpleName().toString();
    CodeBlock question =
        CodeBlock.of(
            "$T.requireNonNull($N, $S)",
            Objects.class,
            questionName,
            method.describe() + ": " + questionName + " is null; pass the question to answer");
    if (!method.context().isEmpty()) {
      // The question, a blank line, then one "name: <JSON>" line per context parameter.
      CodeBlock.Builder withContext =
          CodeBlock.builder()
              .add("$T.join($S,\n", String.class, "\n")
              .indent()
              .indent()
              .add("$L,\n$S,\n$S", question, "", "Context:");
      for (AgentMethod.ContextParameter parameter : method.context()) {
        withContext.add(
            ",\n$S + $T.encode($N)", parameter.name() + ": ", TOOL_ARGUMENTS, parameter.name());
      }
      question = withContext.add(")").unindent().unindent().build();
    }
    if (method.answer() instanceof RecordType record) {
      String constant =
          ToolSetWriter.unique(
              ToolSetWriter.constantName(method.element().getSimpleName().toString()) + "_ANSWER",
              names);
      TypeName recordType = TypeName.get(record.type());
      SchemaWriter schemas = new SchemaWriter(agent.records(), agent.recursive());
      String schema = CatalogWriter.compact(schemas.result(record, false));
      type.addField(
          FieldSpec.builder(
                  ParameterizedTypeName.get(ANSWER_FORMAT, recordType),
                  constant,
                  Modifier.PRIVATE,
                  Modifier.STATIC,
                  Modifier.FINAL)
              .initializer(
                  CodeBlock.builder()
                      .add("$T.of(\n", ANSWER_FORMAT)
                      .indent()
                      .indent()
                      .add(
                          "$T.class,\n$S,\n$S)",
                          recordType,
                          schema,
                          method.describe() + ", record " + record.simpleName())
                      .unindent()
                      .unindent()
                      .build())
              .build());
      builder.addStatement("return compiler.run($L, $N).value()", question, constant);
    } else {
      builder.addStatement("return compiler.run($L).answer()", question);
    }
    return builder.build();
  }
}
