package dev.llmcompiler.processor.model;

import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.type.TypeMirror;

/**
 * Recognizes {@code @Nullable} by simple name, so every library's annotation (JSpecify, JSR 305,
 * Checker Framework, JetBrains, Jakarta, your own) works without a dependency on any of them.
 */
public final class Nullables {
  private Nullables() {}

  /** Whether the element or its type carries an annotation named {@code Nullable}. */
  public static boolean isNullable(Element element, TypeMirror type) {
    if (type.getKind().isPrimitive()) {
      return false;
    }
    return hasNullable(element.getAnnotationMirrors().toArray(AnnotationMirror[]::new))
        || hasNullable(type.getAnnotationMirrors().toArray(AnnotationMirror[]::new));
  }

  private static boolean hasNullable(AnnotationMirror... annotations) {
    for (AnnotationMirror annotation : annotations) {
      if (annotation.getAnnotationType().asElement().getSimpleName().contentEquals("Nullable")) {
        return true;
      }
    }
    return false;
  }
}
