package dev.llmcompiler.processor;

import com.google.auto.service.AutoService;
import dev.llmcompiler.annotations.Param;
import dev.llmcompiler.annotations.Tool;
import dev.llmcompiler.processor.model.ModelReader;
import dev.llmcompiler.processor.model.ToolClass;
import dev.llmcompiler.processor.validation.LocalToolScanner;
import dev.llmcompiler.processor.validation.Message;
import dev.llmcompiler.processor.validation.Reporter;
import dev.llmcompiler.processor.validation.ToolValidator;
import dev.llmcompiler.processor.writing.CatalogWriter;
import dev.llmcompiler.processor.writing.CompiledTool;
import dev.llmcompiler.processor.writing.GeneratedFiles;
import dev.llmcompiler.processor.writing.ToolSetWriter;
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
 * {@code FooTools} tool set and a catalog resource. This class only wires the steps: read the
 * model, validate it (reporting every problem), then write, one class at a time, so that an error
 * in one class never hides the errors of another or stops the others from being generated.
 */
@AutoService(Processor.class)
public final class ToolProcessor extends AbstractProcessor {
  private Reporter reporter;
  private ModelReader reader;
  private ToolValidator validator;
  private ToolSetWriter toolSetWriter;
  private GeneratedFiles files;
  private LocalToolScanner localTools;
  /** Classes whose tools mention types not generated yet, by name (elements are per round). */
  private final Set<String> deferred = new LinkedHashSet<>();

  @Override
  public synchronized void init(ProcessingEnvironment environment) {
    super.init(environment);
    reporter = new Reporter(environment.getMessager());
    reader = new ModelReader(environment.getElementUtils(), environment.getTypeUtils());
    validator = new ToolValidator(reporter, environment.getElementUtils(), environment.getTypeUtils());
    toolSetWriter = new ToolSetWriter(environment.getTypeUtils());
    files = new GeneratedFiles(environment.getFiler());
    localTools = LocalToolScanner.create(environment);
  }

  @Override
  public Set<String> getSupportedAnnotationTypes() {
    return Set.of(Tool.class.getCanonicalName(), Param.class.getCanonicalName());
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
        reporter.report(Message.PARAM_WITHOUT_TOOL, parameter, method.getEnclosingElement().getSimpleName() + "."
            + method.getSimpleName() + "()");
      }
    }
    Map<TypeElement, List<ExecutableElement>> classes = toolMethodsByClass(round, deferred);
    deferred.clear();
    for (Map.Entry<TypeElement, List<ExecutableElement>> entry : classes.entrySet()) {
      TypeElement type = entry.getKey();
      if (mentionsMissingTypes(entry.getValue())) {
        // Maybe a type another processor generates later in this compile: try again next round. If it
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
          files.writeSource(toolClass.packageName(), toolSetWriter.toolSet(toolClass, tools), type);
          files.writeResource(CatalogWriter.path(toolClass), CatalogWriter.catalog(tools), type);
        }
      } catch (FilerException e) {
        reporter.report(Message.GENERATED_NAME_TAKEN, type, type.getQualifiedName(), e.getMessage());
      } catch (Exception | LinkageError e) {
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        reporter.report(Message.INTERNAL_ERROR, type, type.getQualifiedName(), trace);
      }
    }
    // Never claim the annotations: other processors may want them too.
    return false;
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

  /** Tool methods grouped by class; classes sorted by name and methods in source order, for stable output. */
  private Map<TypeElement, List<ExecutableElement>> toolMethodsByClass(RoundEnvironment round, Set<String> earlier) {
    Map<TypeElement, List<ExecutableElement>> byClass = new LinkedHashMap<>();
    List<TypeElement> classes = new ArrayList<>();
    for (String name : earlier) {
      TypeElement type = processingEnv.getElementUtils().getTypeElement(name);
      if (type != null && byClass.put(type, new ArrayList<>()) == null) {
        classes.add(type);
      }
    }
    for (Element element : round.getElementsAnnotatedWith(Tool.class)) {
      if (element.getKind() != ElementKind.METHOD || !(element.getEnclosingElement() instanceof TypeElement)) {
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
