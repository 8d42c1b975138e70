package dev.llmcompiler.springai;

/**
 * Whether an optional dependency is on the class path, checked once per class name by the callers'
 * constants.
 */
final class ClassPresence {
  private ClassPresence() {}

  static boolean present(String className) {
    try {
      Class.forName(className, false, ClassPresence.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError absent) {
      return false;
    }
  }
}
