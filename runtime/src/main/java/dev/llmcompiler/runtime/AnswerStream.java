package dev.llmcompiler.runtime;

import dev.llmcompiler.runtime.llm.LlmStreamListener;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a joiner reply as it streams and passes on the text of its answer, the content of {@code
 * Action: Finish(...)}, piece by piece: from after the {@code (} to before the closing {@code )}. A
 * reply that asks for a new plan passes on nothing.
 *
 * <ul>
 *   <li>The action is found at the start of a line (after blanks and markdown): {@code Action:
 *       Finish(}, or {@code Finish(} without the label, in any case, with {@code (} or {@code [}.
 *       The first such line decides: a {@code Replan(} there means no answer follows.
 *   <li>Blanks at the start and the end of the answer are left out, as the final answer strips
 *       them. A closing bracket is held back until what follows shows what it is: more text on its
 *       line makes it part of the answer ({@code Finish(1) first, 2) second)}); the end of the
 *       reply makes it the closer; a line break makes it the closer when it balances the opening
 *       bracket, else the next line decides. Markdown and a {@code .} right after it count as
 *       blanks.
 * </ul>
 *
 * <p>Each character is looked at a bounded number of times, and each held-back character is passed
 * on at most once, so the work is linear in the reply. One piece is passed on per delta at most.
 * Not thread-safe: an {@link dev.llmcompiler.runtime.llm.LlmClient} streams from one thread at a
 * time.
 */
final class AnswerStream implements LlmStreamListener {
  /**
   * An action at a line start, up to its opening bracket: only the first this many characters are
   * looked at.
   */
  private static final int MAX_ACTION_PREFIX = 80;

  private static final Pattern ACTION =
      Pattern.compile(
          "[\\s*_`>#-]*action[*_`]*\\s*:[\\s*_`]*(finish|replan)[*_`]*\\s*[(\\[]",
          Pattern.CASE_INSENSITIVE);

  private enum State {
    SEARCHING,
    STARTING,
    ANSWER,
    DONE
  }

  private final Consumer<String> answer;
  private State state = State.SEARCHING;

  /** The current line while searching, up to {@link #MAX_ACTION_PREFIX} characters. */
  private final StringBuilder line = new StringBuilder();

  private boolean lineTooLong;

  private char open;
  private char close;

  /** Open brackets of the answer's kind, counting the action's own. */
  private int depth;

  /** Blanks, and a closing bracket with what follows it, not yet known to be part of the answer. */
  private final StringBuilder held = new StringBuilder();

  private boolean closerHeld;
  private boolean closerBalances;
  // Read by the thread that handles the finished call.
  private volatile boolean passedOn;

  /**
   * @param answer receives each piece of the answer, never an empty one
   */
  AnswerStream(Consumer<String> answer) {
    this.answer = answer;
  }

  /** Whether any piece of an answer was passed on. */
  boolean passedOn() {
    return passedOn;
  }

  @Override
  public void onText(String delta) {
    if (state == State.DONE) {
      return;
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < delta.length() && state != State.DONE; i++) {
      char c = delta.charAt(i);
      switch (state) {
        case SEARCHING -> search(c);
        case STARTING -> {
          if (!Character.isWhitespace(c)) {
            state = State.ANSWER;
            read(c, out);
          }
        }
        default -> read(c, out);
      }
    }
    if (out.length() > 0) {
      passedOn = true;
      answer.accept(out.toString());
    }
  }

  private void search(char c) {
    if (c == '\n' || c == '\r') {
      line.setLength(0);
      lineTooLong = false;
      return;
    }
    if (lineTooLong) {
      return;
    }
    line.append(c);
    if (line.length() > MAX_ACTION_PREFIX) {
      lineTooLong = true;
      return;
    }
    if (c == '(' || c == '[') {
      Matcher action = ACTION.matcher(line);
      if (action.matches()) {
        if (action.group(1).equalsIgnoreCase("finish")) {
          open = c;
          close = c == '(' ? ')' : ']';
          depth = 1;
          state = State.STARTING;
        } else {
          state = State.DONE;
        }
      }
    }
  }

  private void read(char c, StringBuilder out) {
    if (c == close) {
      if (closerHeld) {
        // An earlier held closer followed by another one was part of the answer; blanks stay held.
        out.append(held);
        held.setLength(0);
      }
      depth = Math.max(0, depth - 1);
      held.append(c);
      closerHeld = true;
      closerBalances = depth == 0;
    } else if (c == '\n' || c == '\r') {
      if (closerHeld && closerBalances) {
        state = State.DONE;
      } else {
        held.append(c);
      }
    } else if (Character.isWhitespace(c) || (closerHeld && ".*_`".indexOf(c) >= 0)) {
      held.append(c);
    } else {
      if (c == open) {
        depth++;
      }
      out.append(held).append(c);
      held.setLength(0);
      closerHeld = false;
    }
  }
}
