package dev.llmcompiler.samples;

import dev.llmcompiler.runtime.ToolApproval;
import dev.llmcompiler.runtime.ToolApprover;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link ToolApprover} that asks a person: it prints each call that changes data and reads {@code
 * y} or {@code n}. Anything but yes denies, and so does the end of the input, so a run whose
 * console is gone never changes anything.
 *
 * <pre>{@code
 * LlmCompiler compiler = LlmCompiler.builder()
 *     .llm(llm)
 *     .tools(PaymentsTools.of(new Payments()))
 *     .approver(new ConsoleApprover(new InputStreamReader(System.in), System.out))
 *     .build();
 * }</pre>
 *
 * <p>Parallel calls are asked one at a time. A question still waiting when the run stops (its
 * deadline, or cancellation) is abandoned: the waiting thread is interrupted, and the run does not
 * wait for the answer.
 */
public final class ConsoleApprover implements ToolApprover {
  private final BufferedReader in;
  private final PrintStream out;

  /** One question on the console at a time; a waiting one can still be interrupted. */
  private final ReentrantLock console = new ReentrantLock();

  /**
   * @param in where the answers are read, a line each
   * @param out where the questions are written
   */
  public ConsoleApprover(Reader in, PrintStream out) {
    this.in = new BufferedReader(Objects.requireNonNull(in, "in"));
    this.out = Objects.requireNonNull(out, "out");
  }

  /**
   * Prints the call and waits for a line: {@code y} or {@code yes} allows, anything else denies.
   */
  @Override
  public ToolApproval approve(Request request) throws IOException, InterruptedException {
    console.lockInterruptibly();
    try {
      out.print(
          "Allow "
              + request.call()
              + " ("
              + request.effect().name().toLowerCase(Locale.ROOT).replace('_', '-')
              + ", task "
              + request.taskId()
              + ")? [y/N] ");
      out.flush();
      String answer = in.readLine();
      if (answer == null) {
        out.println();
        return ToolApproval.deny("no answer at the console (its input ended)");
      }
      String word = answer.strip().toLowerCase(Locale.ROOT);
      return word.equals("y") || word.equals("yes")
          ? ToolApproval.allow()
          : ToolApproval.deny("declined at the console");
    } finally {
      console.unlock();
    }
  }
}
