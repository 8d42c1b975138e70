package dev.llmcompiler.processor.validation;

import com.sun.source.util.TreePath;
import com.sun.source.util.Trees;
import java.util.Arrays;
import javax.annotation.processing.Messager;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.tools.Diagnostic;

/**
 * Reports diagnostics and keeps going: it counts errors so that a step can abort only the class at
 * fault, and it drops warnings the user silenced with {@code @SuppressWarnings("llmcompiler")} on
 * the element or anything enclosing it.
 */
public final class Reporter {
  /** The token users write in {@code @SuppressWarnings} to silence our warnings. */
  public static final String SUPPRESSION = "llmcompiler";

  private final Messager messager;
  private int errors;

  public Reporter(Messager messager) {
    this.messager = messager;
  }

  /** Reports on an element. */
  public void report(Message message, Element element, Object... arguments) {
    report(message, element, null, null, arguments);
  }

  /** Reports on an annotation value of an element, the most precise position javac can show. */
  public void report(
      Message message,
      Element element,
      AnnotationMirror annotation,
      AnnotationValue value,
      Object... arguments) {
    if (message.kind() == Diagnostic.Kind.WARNING && suppressed(element)) {
      return;
    }
    if (message.kind() == Diagnostic.Kind.ERROR) {
      errors++;
    }
    messager.printMessage(message.kind(), message.format(arguments), element, annotation, value);
  }

  /**
   * Reports at a source tree, for places {@code javax.lang.model} cannot name, such as a value of
   * one of several repeated annotations (javac only shows their made-up container).
   */
  public void reportAt(
      Message message, Element element, Trees trees, TreePath at, Object... arguments) {
    if (message.kind() == Diagnostic.Kind.WARNING && suppressed(element)) {
      return;
    }
    if (message.kind() == Diagnostic.Kind.ERROR) {
      errors++;
    }
    trees.printMessage(
        message.kind(), message.format(arguments), at.getLeaf(), at.getCompilationUnit());
  }

  /** How many errors were reported so far; steps compare before and after a class. */
  public int errorCount() {
    return errors;
  }

  private static boolean suppressed(Element element) {
    for (Element e = element; e != null; e = e.getEnclosingElement()) {
      SuppressWarnings suppress = e.getAnnotation(SuppressWarnings.class);
      if (suppress != null && Arrays.asList(suppress.value()).contains(SUPPRESSION)) {
        return true;
      }
    }
    return false;
  }
}
