package dev.llmcompiler.processor.validation;

import com.sun.source.tree.AnnotationTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ImportTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.source.util.Trees;
import java.util.HashSet;
import java.util.Set;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.Element;

/**
 * Finds {@code @Tool} methods in local and anonymous classes. javac does not hand those to
 * processors at all, so without this scan such a tool would silently never exist. Works only under
 * javac (through its tree API); elsewhere it does nothing.
 */
public final class LocalToolScanner {
  private static final String TOOL = "dev.llmcompiler.annotations.Tool";

  private final Trees trees;
  private final Set<CompilationUnitTree> scanned = new HashSet<>();

  private LocalToolScanner(Trees trees) {
    this.trees = trees;
  }

  /** A scanner, or one that does nothing when the compiler is not javac. */
  public static LocalToolScanner create(ProcessingEnvironment environment) {
    try {
      return new LocalToolScanner(Trees.instance(environment));
    } catch (IllegalArgumentException | LinkageError e) {
      return new LocalToolScanner(null);
    }
  }

  /**
   * Reports an error on every {@code @Tool} method of a local or anonymous class in the element's
   * file.
   */
  public void scan(Element rootElement) {
    if (trees == null) {
      return;
    }
    TreePath path = trees.getPath(rootElement);
    if (path == null || !scanned.add(path.getCompilationUnit())) {
      return;
    }
    CompilationUnitTree unit = path.getCompilationUnit();
    boolean imported = false;
    for (ImportTree importTree : unit.getImports()) {
      String name = importTree.getQualifiedIdentifier().toString();
      imported |=
          !importTree.isStatic()
              && (name.equals(TOOL) || name.equals("dev.llmcompiler.annotations.*"));
    }
    boolean toolImported = imported;
    new TreePathScanner<Void, Void>() {
      @Override
      public Void visitMethod(MethodTree method, Void unused) {
        if (isLocalClassMember(getCurrentPath())) {
          for (AnnotationTree annotation : method.getModifiers().getAnnotations()) {
            String name = annotation.getAnnotationType().toString();
            if (name.equals(TOOL) || toolImported && name.equals("Tool")) {
              trees.printMessage(
                  Message.LOCAL_CLASS.kind(), Message.LOCAL_CLASS.format(), method, unit);
            }
          }
        }
        return super.visitMethod(method, unused);
      }
    }.scan(unit, null);
  }

  private static boolean isLocalClassMember(TreePath methodPath) {
    TreePath classPath = methodPath.getParentPath();
    if (classPath == null || !(classPath.getLeaf() instanceof ClassTree)) {
      return false;
    }
    for (TreePath p = classPath.getParentPath(); p != null; p = p.getParentPath()) {
      Tree.Kind kind = p.getLeaf().getKind();
      if (kind == Tree.Kind.METHOD
          || kind == Tree.Kind.BLOCK
          || kind == Tree.Kind.NEW_CLASS
          || kind == Tree.Kind.VARIABLE
          || kind == Tree.Kind.LAMBDA_EXPRESSION) {
        return true;
      }
    }
    return false;
  }
}
