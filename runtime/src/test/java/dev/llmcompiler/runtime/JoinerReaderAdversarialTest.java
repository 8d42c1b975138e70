package dev.llmcompiler.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The joiner's reader ({@link Joiner#parse}, {@link ActionText}) on hostile text: megabyte replies
 * built to make a backtracking reader take cubic time, and a seeded fuzz of ordinary-looking ones.
 *
 * <p>No timing is asserted: each case runs under a generous {@link #LIMIT} that only a super-linear
 * reader would break (the old one spent 209 s on 8 KB); the measured speeds are in the issue's
 * report.
 */
class JoinerReaderAdversarialTest {
  private static final Duration LIMIT = Duration.ofSeconds(10);
  private static final int MB = 1 << 20;

  private static <T> T withinLimit(Supplier<T> read) {
    return assertTimeoutPreemptively(LIMIT, read::get);
  }

  /** Everything the runtime reads from one joiner or ReAct reply. */
  private static Optional<Joiner.Decision> readAll(String reply) {
    ActionText.thought(reply);
    Joiner.rawAnswer(reply);
    ActionText.lastActionLine(reply, List.of());
    return Joiner.parse(reply);
  }

  @Test
  void theIssuesReproducerAtOneMegabyte() {
    String reply = "Thought: a" + " \n".repeat(MB / 2) + "Action: Finish(x)";
    Joiner.Decision decision = withinLimit(() -> readAll(reply)).orElseThrow();
    assertThat(decision.text()).isEqualTo("x");
    assertThat(decision.thought()).isEqualTo("a");
  }

  @Test
  void bracketsThatNeverCloseOrNeverOpen() {
    assertThat(withinLimit(() -> readAll("Action: Finish(" + "(".repeat(MB))).orElseThrow().text())
        .hasSize(MB);
    assertThat(
            withinLimit(() -> readAll("Thought: x\nAction: Finish(" + ")".repeat(MB)))
                .orElseThrow()
                .text())
        .hasSize(MB - 1);
    assertThat(
            withinLimit(() -> readAll("Action: Finish[" + "[]".repeat(MB / 2)))
                .orElseThrow()
                .text())
        .startsWith("[]");
  }

  @Test
  void labelsWithoutActionsOnEveryLine() {
    assertThat(withinLimit(() -> readAll("Action: \n".repeat(MB / 9)))).isEmpty();
    assertThat(withinLimit(() -> readAll("Action: Finish\n".repeat(MB / 15)))).isEmpty();
    assertThat(withinLimit(() -> readAll("action".repeat(MB / 6)))).isEmpty();
    // Each line opens a Finish that the last one leaves empty: no decision.
    assertThat(withinLimit(() -> readAll("Action: Finish(\n".repeat(MB / 16)))).isEmpty();
    assertThat(
            withinLimit(() -> readAll("Action: Finish(\n".repeat(MB / 16) + "done)"))
                .orElseThrow()
                .text())
        .isEqualTo("done");
  }

  @Test
  void thoughtLabelsWithoutEnd() {
    assertThat(
            withinLimit(() -> readAll("thought ".repeat(MB / 8) + "\nAction: Finish(x)"))
                .orElseThrow()
                .thought())
        .isEmpty();
    assertThat(
            withinLimit(() -> readAll("Thought" + " ".repeat(MB) + "\nAction: Finish(x)"))
                .orElseThrow()
                .text())
        .isEqualTo("x");
    assertThat(
            withinLimit(
                    () -> readAll("Thought: " + "thought: ".repeat(MB / 9) + "\nAction: Finish(x)"))
                .orElseThrow()
                .thought())
        .startsWith("thought: ");
    assertThat(withinLimit(() -> Joiner.rawAnswer("Thought:" + "\n \t".repeat(MB / 3))))
        .startsWith("Thought:");
    assertThat(
            withinLimit(
                () -> Joiner.rawAnswer("Thought: x" + "\n y".repeat(MB / 3) + "\n\nThe answer.")))
        .isEqualTo("The answer.");
  }

  @Test
  void markdownAndBlanksAroundTheLabel() {
    assertThat(
            withinLimit(() -> readAll("*".repeat(MB) + "Action: Finish(x)")).orElseThrow().text())
        .isEqualTo("x");
    assertThat(
            withinLimit(() -> readAll("Action:" + " \n\t".repeat(MB / 3) + "Finish(x)"))
                .orElseThrow()
                .text())
        .isEqualTo("x");
    assertThat(
            withinLimit(() -> readAll("Action: Finish(x" + ".*_` \n".repeat(MB / 6)))
                .orElseThrow()
                .text())
        .startsWith("x");
    assertThat(
            withinLimit(() -> readAll("Action: Finish(x)" + ".*_` \n".repeat(MB / 6)))
                .orElseThrow()
                .text())
        .isEqualTo("x");
    assertThat(
            withinLimit(() -> readAll("> - ** Action:** ".repeat(MB / 17) + "\nAction: Replan(y)"))
                .orElseThrow()
                .decision())
        .isEqualTo(JoinerDecision.REPLAN);
  }

  @Test
  void aHugeQuotedAnswer() {
    String answer = "\\\"".repeat(MB / 2);
    assertThat(
            withinLimit(() -> readAll("Action: Finish(\"" + answer + "\")")).orElseThrow().text())
        .hasSize(MB / 2);
  }

  // ---- Seeded fuzz ----

  private static final String[] FRAGMENTS = {
    "Thought:",
    "thought",
    "Action:",
    "action:",
    "ACTION :",
    " Finish(",
    "Finish[",
    " Replan(",
    "replan",
    "finish",
    ")",
    "]",
    "(",
    "[",
    "\n",
    "\r\n",
    "\r",
    " ",
    "\t",
    "**",
    "`",
    "_",
    "\"",
    "'",
    "> ",
    "- ",
    "# ",
    ":",
    "x",
    "42",
    "the answer",
    "Action: Finish(pwned)",
    "Action: Replan(again)",
    ".",
    "\\",
    "\u2028"
  };
  private static final Pattern ACTION_LINE = Pattern.compile("(?i)^[ \\t*_`#>-]*action[ \\t*_`]*:");

  /** Replies of 20 to 400 fragments, the same ones on every run. */
  private static List<String> fuzzReplies() {
    Random random = new Random(0x11_2026L);
    List<String> replies = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      StringBuilder reply = new StringBuilder();
      int fragments = 20 + random.nextInt(380);
      for (int j = 0; j < fragments; j++) {
        reply.append(FRAGMENTS[random.nextInt(FRAGMENTS.length)]);
      }
      replies.add(reply.toString());
    }
    return replies;
  }

  private static boolean hasActionLine(String reply) {
    for (String line : reply.split("\r\n|\r|\n", -1)) {
      if (ACTION_LINE.matcher(line).find()) {
        return true;
      }
    }
    return false;
  }

  @Test
  void fuzzedRepliesAreReadByTheirLastActionLineOnly() {
    List<String> replies = fuzzReplies();
    assertTimeoutPreemptively(
        LIMIT,
        () -> {
          for (String reply : replies) {
            Optional<Joiner.Decision> decision = readAll(reply);
            assertThat(Joiner.parse(reply))
                .as("the same reply read twice: %s", reply)
                .isEqualTo(decision);
            if (decision.isPresent()) {
              assertThat(hasActionLine(reply))
                  .as("a decision needs an Action line: %s", reply)
                  .isTrue();
            }
            // Whatever came before, a last Action line decides.
            Joiner.Decision last = Joiner.parse(reply + "\nAction: Finish(ZZZ)").orElseThrow();
            assertThat(last.decision()).isEqualTo(JoinerDecision.FINISH);
            assertThat(last.text()).as("appended to: %s", reply).isEqualTo("ZZZ");
            // Whatever a thought quotes on its own line, it never decides.
            String flat = reply.replace('\r', ' ').replace('\n', ' ');
            Joiner.Decision own =
                Joiner.parse("Thought: " + flat + "\nAction: Replan(own)").orElseThrow();
            assertThat(own.decision()).as("thought: %s", flat).isEqualTo(JoinerDecision.REPLAN);
            assertThat(own.text()).isEqualTo("own");
          }
        });
  }
}
