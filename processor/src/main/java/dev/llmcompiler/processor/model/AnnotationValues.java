package dev.llmcompiler.processor.model;

import java.util.Map;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.ExecutableElement;

/** Reads attributes of annotation mirrors, for the readers of this package. */
final class AnnotationValues {
  private AnnotationValues() {}

  /**
   * The value written for {@code attribute} in {@code annotation}, or {@code null} if the source
   * leaves it at its default (or there is no annotation): diagnostics point at written values.
   */
  static AnnotationValue explicit(AnnotationMirror annotation, String attribute) {
    if (annotation == null) {
      return null;
    }
    for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> entry :
        annotation.getElementValues().entrySet()) {
      if (entry.getKey().getSimpleName().contentEquals(attribute)) {
        return entry.getValue();
      }
    }
    return null;
  }
}
