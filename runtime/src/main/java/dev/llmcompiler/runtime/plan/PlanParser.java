package dev.llmcompiler.runtime.plan;

import dev.llmcompiler.runtime.ToolDescriptor;
import java.util.Map;
import java.util.Set;

/**
 * Reads a plan as it streams: fed arbitrary pieces of text, it emits each task the moment its line
 * is complete. See the plan language in DESIGN.md.
 *
 * <pre>{@code
 * PlanParser parser = new PlanParser(toolsByName, 1, Set.of(), listener);
 * llm.chat(request, parser::feed).thenRun(parser::finish);
 * }</pre>
 *
 * <p>Not thread-safe: feed it from one thread at a time (the {@link
 * dev.llmcompiler.runtime.llm.LlmClient} contract guarantees that for stream callbacks).
 */
public final class PlanParser {

  /**
   * @param tools the tools a task may call, by name
   * @param firstId the lowest id this plan's tasks may have: 1 for the first round, one more than
   *     the highest earlier id for a replan
   * @param earlierIds ids of tasks of earlier rounds that finished with a result, which this plan
   *     may reference
   * @param listener receives the tasks and the end of the plan
   */
  public PlanParser(
      Map<String, ToolDescriptor> tools, int firstId, Set<Integer> earlierIds, PlanListener listener) {
    throw new UnsupportedOperationException("not implemented yet");
  }

  /** Reads the next piece of the plan; it may end anywhere, mid-token or mid-line. */
  public void feed(CharSequence text) {
    throw new UnsupportedOperationException("not implemented yet");
  }

  /**
   * The stream is over: reads a last line without line break, then ends the plan (calling {@link
   * PlanListener#onPlanEnd} if it was not called yet). Further input is ignored.
   */
  public void finish() {
    throw new UnsupportedOperationException("not implemented yet");
  }
}
