package dev.llmcompiler.benchmarks;

/** A system the benchmark measures: answers one workload's question per call. */
interface SystemUnderTest extends AutoCloseable {
  String name();

  /**
   * Answers the workload's question once; never throws for a wrong answer (see {@link
   * Measurement#correct()}).
   */
  Measurement run(Workload workload, int repeat) throws Exception;

  @Override
  void close();
}
