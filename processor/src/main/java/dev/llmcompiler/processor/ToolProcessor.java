package dev.llmcompiler.processor;

import com.google.auto.service.AutoService;
import com.sun.source.util.Trees;
import dev.llmcompiler.annotations.Agent;
import dev.llmcompiler.annotations.Param;
import dev.llmcompiler.annotations.PlanExample;
import dev.llmcompiler.annotations.PlanExamples;
import dev.llmcompiler.annotations.Tool;
import dev.llmcompiler.processor.model.AgentInterface;
import dev.llmcompiler.processor.model.AgentReader;
import dev.llmcompiler.processor.model.ModelReader;
import dev.llmcompiler.processor.model.PlanExampleModel;
import dev.llmcompiler.processor.model.PlanExampleReader;
import dev.llmcompiler.processor.model.ToolClass;
import dev.llmcompiler.processor.model.ToolMethod;
import dev.llmcompiler.processor.model.ToolParameter;
import dev.llmcompiler.processor.schema.Shape;
import dev.llmcompiler.processor.validation.AgentValidator;
import dev.llmcompiler.processor.validation.LocalToolScanner;
import dev.llmcompiler.processor.validation.Message;
import dev.llmcompiler.processor.validation.PlanExampleValidator;
import dev.llmcompiler.processor.validation.Reporter;
import dev.llmcompiler.processor.validation.ToolValidator;
import dev.llmcompiler.processor.writing.AgentWriter;
import dev.llmcompiler.processor.writing.CatalogWriter;
import dev.llmcompiler.processor.writing.CompiledTool;
import dev.llmcompiler.processor.writing.FactoryWriter;
import dev.llmcompiler.processor.writing.GeneratedFiles;
import dev.llmcompiler.processor.writing.ToolSetWriter;
import dev.llmcompiler.runtime.ToolDescriptor;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.FilerException;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;

/**
 * The LLMCompiler annotation processor: for every class with {@code @Tool} methods it generates a
 * {@code FooTools} tool set and a catalog resource, for every {@code @Agent} interface its {@code
 * FooImpl}, each with a small factory that {@link FactoryIndexProcessor} lists for {@code
 * ServiceLoader}, and it checks every {@code @PlanExample} plan against the tools it may call. This
 * class only wires the steps: read the model, validate it (reporting every problem), then write,
 * one type at a time, so that an error in one type never hides the errors of another or stops the
 * others from being generated.
 */
@AutoService(Processor.class)
public final class ToolProcessor extends AbstractProcessor {
  private Reporter reporter;
  private ModelReader reader;
  private ToolValidator validator;
  private ToolSetWriter toolSetWriter;
  private GeneratedFiles files;
  private LocalToolScanner localTools;
  private AgentReader agentReader;
  private AgentValidator agentValidator;
  private PlanExampleValidator exampleValidator;
  private final AgentWriter agentWriter = new AgentWriter();

  /** Classes whose tools mention types not generated yet, by name (elements are per round). */
  private final Set<String> deferred = new LinkedHashSet<>();

  /** Agents whose methods mention types not generated yet, by name. */
  private final Set<String> deferredAgents = new LinkedHashSet<>();

  @Override
  public synchronized void init(ProcessingEnvironment environment) {
    super.init(environment);
    reporter = new Reporter(environment.getMessager());
    reader = new ModelReader(environment.getElementUtils(), environment.getTypeUtils());
    Trees trees = trees(environment);
    validator =
        new ToolValidator(
            reporter, environment.getElementUtils(), environment.getTypeUtils(), trees);
    toolSetWriter = new ToolSetWriter(environment.getTypeUtils());
    files = new GeneratedFiles(environment.getFiler());
    localTools = LocalToolScanner.create(environment);
    agentReader = new AgentReader(environment.getElementUtils(), environment.getTypeUtils());
    agentValidator = new AgentValidator(reporter);
    exampleValidator = new PlanExampleValidator(reporter, trees);
  }

  @Override
  public Set<String> getSupportedAnnotationTypes() {
    return Set.of(
        Tool.class.getCanonicalName(),
        Param.class.getCanonicalName(),
        Agent.class.getCanonicalName(),
        PlanExample.class.getCanonicalName(),
        PlanExamples.class.getCanonicalName());
  }

  @Override
  public SourceVersion getSupportedSourceVersion() {
    return SourceVersion.latestSupported();
  }

  @Override
  public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
    for (Element root : round.getRootElements()) {
      localTools.scan(root);
    }
    for (Element parameter : round.getElementsAnnotatedWith(Param.class)) {
      Element method = parameter.getEnclosingElement();
      if (method.getAnnotation(Tool.class) == null) {
        reporter.report(
            Message.PARAM_WITHOUT_TOOL,
            parameter,
            method.getEnclosingElement().getSimpleName() + "." + method.getSimpleName() + "()");
      }
    }
    Map<TypeElement, List<ExecutableElement>> classes = toolMethodsByClass(round, deferred);
    deferred.clear();
    for (Map.Entry<TypeElement, List<ExecutableElement>> entry : classes.entrySet()) {
      TypeElement type = entry.getKey();
      if (mentionsMissingTypes(entry.getValue())) {
        // Maybe a type another processor generates later in this compile: try again next round. If
        // it
        // never appears, javac reports the missing symbol itself, so there is nothing to add.
        if (!round.processingOver()) {
          deferred.add(type.getQualifiedName().toString());
        }
        continue;
      }
      try {
        ToolClass toolClass = reader.read(type, entry.getValue());
        if (validator.validate(toolClass)) {
          List<CompiledTool> tools = CompiledTool.of(toolClass);
          List<PlanExampleModel> examples = PlanExampleReader.read(type);
          if (!exampleValidator.validate(
              type, examples, descriptors(tools), type.getSimpleName().toString())) {
            continue;
          }
          List<String> exampleTexts = new ArrayList<>();
          examples.forEach(example -> exampleTexts.add(example.promptText()));
          files.writeSource(
              toolClass.packageName(), toolSetWriter.toolSet(toolClass, tools, exampleTexts), type);
          files.writeResource(CatalogWriter.path(toolClass), CatalogWriter.catalog(tools), type);
          files.writeSource(toolClass.packageName(), FactoryWriter.toolSetFactory(toolClass), type);
        }
      } catch (FilerException e) {
        reporter.report(
            Message.GENERATED_NAME_TAKEN, type, type.getQualifiedName(), e.getMessage());
      } catch (Exception | LinkageError e) {
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        reporter.report(Message.INTERNAL_ERROR, type, type.getQualifiedName(), trace);
      }
    }
    reportMisplacedExamples(round);
    processAgents(round);
    // Never claim the annotations: other processors may want them too.
    return false;
  }

  /**
   * javac's source trees, or {@code null} under a compiler without them (diagnostics then point
   * less exactly).
   */
  private static Trees trees(ProcessingEnvironment environment) {
    try {
      return Trees.instance(environment);
    } catch (IllegalArgumentException | LinkageError e) {
      return null;
    }
  }

  private void reportMisplacedExamples(RoundEnvironment round) {
    Set<Element> annotated = new LinkedHashSet<>(round.getElementsAnnotatedWith(PlanExample.class));
    annotated.addAll(round.getElementsAnnotatedWith(PlanExamples.class));
    for (Element element : annotated) {
      boolean hasTools =
          element.getEnclosedElements().stream()
              .anyMatch(
                  member ->
                      member.getKind() == ElementKind.METHOD
                          && member.getAnnotation(Tool.class) != null);
      if (!hasTools && element.getAnnotation(Agent.class) == null) {
        reporter.report(Message.PLAN_EXAMPLE_MISPLACED, element, element.getSimpleName());
      }
    }
  }

  private void processAgents(RoundEnvironment round) {
    Set<TypeElement> agents =
        new java.util.TreeSet<>(Comparator.comparing(type -> type.getQualifiedName().toString()));
    for (String name : deferredAgents) {
      TypeElement type = processingEnv.getElementUtils().getTypeElement(name);
      if (type != null) {
        agents.add(type);
      }
    }
    deferredAgents.clear();
    for (Element element : round.getElementsAnnotatedWith(Agent.class)) {
      if (element instanceof TypeElement type) {
        agents.add(type);
      }
    }
    for (TypeElement type : agents) {
      if (!agentValidator.validateType(type)) {
        continue;
      }
      if (mentionsMissingTypes(agentReader.abstractMethods(type))) {
        if (!round.processingOver()) {
          deferredAgents.add(type.getQualifiedName().toString());
        }
        continue;
      }
      try {
        AgentInterface agent = agentReader.read(type);
        boolean valid = agentValidator.validate(agent);
        List<ToolDescriptor> tools = agentTools(agent);
        if (!agent.examples().isEmpty()) {
          valid &= validateAgentExamples(agent, tools);
        }
        if (valid && tools != null) {
          List<String> toolNames = new ArrayList<>();
          tools.forEach(tool -> toolNames.add(tool.name()));
          files.writeSource(agent.packageName(), agentWriter.agent(agent, toolNames), type);
          List<String> toolClassNames = new ArrayList<>();
          agent
              .toolClasses()
              .forEach(
                  toolClass ->
                      toolClassNames.add(
                          processingEnv.getElementUtils().getBinaryName(toolClass).toString()));
          files.writeSource(
              agent.packageName(), FactoryWriter.agentFactory(agent, toolClassNames), type);
        }
      } catch (FilerException e) {
        reporter.report(
            Message.GENERATED_NAME_TAKEN, type, type.getQualifiedName(), e.getMessage());
      } catch (Exception | LinkageError e) {
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        reporter.report(Message.INTERNAL_ERROR, type, type.getQualifiedName(), trace);
      }
    }
  }

  /** Checks an agent's examples against the tools of its {@code tools} classes. */
  private boolean validateAgentExamples(AgentInterface agent, List<ToolDescriptor> tools) {
    if (agent.toolClasses().isEmpty()) {
      for (PlanExampleModel example : agent.examples()) {
        reporter.report(
            Message.PLAN_EXAMPLE_WITHOUT_TOOLS,
            agent.element(),
            example.annotation(),
            null,
            agent.displayName());
      }
      return false;
    }
    if (tools == null) {
      return false;
    }
    List<String> names = new ArrayList<>();
    agent.toolClasses().forEach(toolClass -> names.add(toolClass.getSimpleName().toString()));
    return exampleValidator.validate(
        agent.element(), agent.examples(), tools, String.join(", ", names));
  }

  /**
   * The tools of the agent's {@code tools} classes, or {@code null} when a class has none or tools
   * whose schemas cannot be written (reported on the tools value, or on the tool class itself).
   */
  private List<ToolDescriptor> agentTools(AgentInterface agent) {
    List<ToolDescriptor> tools = new ArrayList<>();
    for (TypeElement toolClass : agent.toolClasses()) {
      List<ExecutableElement> methods = new ArrayList<>();
      for (Element member : toolClass.getEnclosedElements()) {
        if (member.getKind() == ElementKind.METHOD && member.getAnnotation(Tool.class) != null) {
          methods.add((ExecutableElement) member);
        }
      }
      ToolClass model = reader.read(toolClass, methods);
      if (methods.isEmpty() || !compilable(model)) {
        return null;
      }
      try {
        CompiledTool.of(model).forEach(tool -> tools.add(tool.descriptor()));
      } catch (IllegalArgumentException e) {
        return null;
      }
    }
    return tools;
  }

  /** Whether every type of the class's tools has a JSON shape, so its schemas can be written. */
  private static boolean compilable(ToolClass toolClass) {
    for (ToolMethod tool : toolClass.tools()) {
      if (tool.result() instanceof Shape.Unsupported) {
        return false;
      }
      for (ToolParameter parameter : tool.parameters()) {
        if (parameter.shape() instanceof Shape.Unsupported) {
          return false;
        }
      }
    }
    return true;
  }

  private static List<ToolDescriptor> descriptors(List<CompiledTool> tools) {
    List<ToolDescriptor> descriptors = new ArrayList<>();
    tools.forEach(tool -> descriptors.add(tool.descriptor()));
    return descriptors;
  }

  private static boolean mentionsMissingTypes(List<ExecutableElement> methods) {
    for (ExecutableElement method : methods) {
      if (isMissing(method.getReturnType())) {
        return true;
      }
      for (VariableElement parameter : method.getParameters()) {
        if (isMissing(parameter.asType())) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean isMissing(TypeMirror type) {
    if (type.getKind() == TypeKind.ERROR) {
      return true;
    }
    if (type.getKind() == TypeKind.ARRAY) {
      return isMissing(((ArrayType) type).getComponentType());
    }
    if (type.getKind() == TypeKind.DECLARED) {
      for (TypeMirror argument : ((DeclaredType) type).getTypeArguments()) {
        if (isMissing(argument)) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Tool methods grouped by class; classes sorted by name and methods in source order, for stable
   * output.
   */
  private Map<TypeElement, List<ExecutableElement>> toolMethodsByClass(
      RoundEnvironment round, Set<String> earlier) {
    Map<TypeElement, List<ExecutableElement>> byClass = new LinkedHashMap<>();
    List<TypeElement> classes = new ArrayList<>();
    for (String name : earlier) {
      TypeElement type = processingEnv.getElementUtils().getTypeElement(name);
      if (type != null && byClass.put(type, new ArrayList<>()) == null) {
        classes.add(type);
      }
    }
    for (Element element : round.getElementsAnnotatedWith(Tool.class)) {
      if (element.getKind() != ElementKind.METHOD
          || !(element.getEnclosingElement() instanceof TypeElement)) {
        continue;
      }
      TypeElement type = (TypeElement) element.getEnclosingElement();
      if (!byClass.containsKey(type)) {
        classes.add(type);
        byClass.put(type, new ArrayList<>());
      }
    }
    classes.sort(Comparator.comparing(type -> type.getQualifiedName().toString()));
    Map<TypeElement, List<ExecutableElement>> sorted = new LinkedHashMap<>();
    for (TypeElement type : classes) {
      List<ExecutableElement> methods = new ArrayList<>();
      for (Element member : type.getEnclosedElements()) {
        if (member.getKind() == ElementKind.METHOD && member.getAnnotation(Tool.class) != null) {
          methods.add((ExecutableElement) member);
        }
      }
      sorted.put(type, methods);
    }
    return sorted;
  }
}
