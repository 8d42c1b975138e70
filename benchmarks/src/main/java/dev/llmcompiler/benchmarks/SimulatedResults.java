package dev.llmcompiler.benchmarks;

/** Deterministic tool results, so that scripted replies can quote exactly what a tool returned. */
final class SimulatedResults {
  private SimulatedResults() {}

  static String search(String query) {
    return query
        + ": according to the encyclopedia, the figure is "
        + number(query)
        + " (see the article for details).";
  }

  /** The value alone, as a calculator returns it, so a plan's direct answer can quote it. */
  static String math(String problem) {
    return String.valueOf(number(problem));
  }

  private static int number(String key) {
    return 100 + Math.floorMod(key.hashCode(), 9000);
  }
}
