package dev.llmcompiler.processor.model;

import dev.llmcompiler.annotations.PlanExample;
import dev.llmcompiler.annotations.PlanExamples;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;

/** Reads the {@code @PlanExample}s of a type in source order, whether written once or repeated. */
public final class PlanExampleReader {
  private PlanExampleReader() {}

  /** Whether the type has any {@code @PlanExample}. */
  public static boolean hasExamples(Element type) {
    return type.getAnnotation(PlanExample.class) != null
        || type.getAnnotation(PlanExamples.class) != null;
  }

  /** The examples of {@code type}, in source order. */
  public static List<PlanExampleModel> read(Element type) {
    List<PlanExampleModel> examples = new ArrayList<>();
    for (AnnotationMirror mirror : type.getAnnotationMirrors()) {
      String name =
          ((TypeElement) mirror.getAnnotationType().asElement()).getQualifiedName().toString();
      if (name.equals(PlanExample.class.getCanonicalName())) {
        examples.add(example(mirror, -1));
      } else if (name.equals(PlanExamples.class.getCanonicalName())) {
        Object value = AnnotationValues.explicit(mirror, "value").getValue();
        if (value instanceof List<?> list) {
          for (Object item : list) {
            if (item instanceof AnnotationValue annotationValue
                && annotationValue.getValue() instanceof AnnotationMirror inner) {
              examples.add(example(inner, examples.size()));
            }
          }
        }
      }
    }
    return List.copyOf(examples);
  }

  private static PlanExampleModel example(AnnotationMirror mirror, int repeatedIndex) {
    AnnotationValue plan = AnnotationValues.explicit(mirror, "plan");
    AnnotationValue question = AnnotationValues.explicit(mirror, "question");
    return new PlanExampleModel(
        mirror, plan, text(question).strip(), normalize(text(plan)), repeatedIndex);
  }

  /** Removes the common indentation (as of a text block) and blank lines at both ends. */
  static String normalize(String plan) {
    return plan.replace("\r\n", "\n").replace('\r', '\n').stripIndent().strip();
  }

  private static String text(AnnotationValue value) {
    return value == null || !(value.getValue() instanceof String s) ? "" : s;
  }
}
