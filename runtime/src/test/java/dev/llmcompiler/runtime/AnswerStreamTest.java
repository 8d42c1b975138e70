package dev.llmcompiler.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The joiner's answer as it streams: the text inside {@code Finish(...)}, whatever the chunking,
 * with a closing parenthesis passed on only once the text after it shows it belongs to the answer.
 */
class AnswerStreamTest {

  /** Replies whose streamed answer must be exactly what the joiner's parser reads as the answer. */
  private static final List<String> REPLIES =
      List.of(
          "Thought: done\nAction: Finish(Paris)",
          "Thought: done\nAction: Finish(  Paris  )  \n",
          "Action: Finish(f(x) = 2 (approx.))",
          "Action: Finish(1) first, 2) second)",
          "Thought: two lines\nAction: Finish(The sum (of both)\nis 5.)",
          "Thought: a list\nAction: Finish(Steps:\n1) boil\n2) serve)\n",
          "Thought: extra text after\nAction: Finish(Lyon)\nThought: I am done.",
          "**Thought:** x\n**Action:** **Finish**(Rome)**",
          "action: finish[Oslo (Norway)]",
          "Thought: no closer\nAction: Finish(Madrid is the answer",
          "Thought: the closer is followed by a period\nAction: Finish(Vienna).",
          "Thought: parentheses in a thought (like this)\nAction: Finish(Prague (CZ))",
          "Thought: Finish(not here) is mentioned mid-line\nAction: Finish(Here)",
          "Thought: see (a\nAction: Finish(see (a)");

  private static List<String> deltas(String reply, List<String> chunks) {
    List<String> out = new ArrayList<>();
    AnswerStream stream =
        new AnswerStream(
            delta -> {
              assertThat(delta).as("no empty delta").isNotEmpty();
              out.add(delta);
            });
    chunks.forEach(stream::onText);
    assertThat(stream.passedOn()).isEqualTo(!out.isEmpty());
    return out;
  }

  private static String streamed(String reply, List<String> chunks) {
    return String.join("", deltas(reply, chunks));
  }

  @Test
  void theStreamedAnswerIsTheAnswerTheJoinerReadsForEveryChunking() {
    for (String reply : REPLIES) {
      String answer = Joiner.parse(reply).orElseThrow().text();
      assertThat(streamed(reply, List.of(reply))).as(reply).isEqualTo(answer);
      List<String> chars = new ArrayList<>();
      reply.chars().forEach(c -> chars.add(String.valueOf((char) c)));
      assertThat(streamed(reply, chars)).as("%s, one character at a time", reply).isEqualTo(answer);
      for (int at = 0; at <= reply.length(); at++) {
        assertThat(streamed(reply, List.of(reply.substring(0, at), reply.substring(at))))
            .as("%s, split at %d", reply, at)
            .isEqualTo(answer);
      }
      for (int seed = 1; seed <= 6; seed++) {
        Random random = new Random(seed * 31L);
        List<String> chunks = new ArrayList<>();
        for (int at = 0; at < reply.length(); ) {
          int end = Math.min(reply.length(), at + random.nextInt(5));
          chunks.add(reply.substring(at, end));
          at = end;
        }
        assertThat(streamed(reply, chunks)).as("%s, chunks %s", reply, chunks).isEqualTo(answer);
      }
    }
  }

  @Test
  void aParenthesisIsHeldBackUntilTheTextAfterItShowsWhatItIs() {
    List<String> out = deltas("", List.of("Action: Finish(f(x", ")", " is 2", ")", ""));
    assertThat(out).containsExactly("f(x", ") is 2");
    List<String> held = new ArrayList<>();
    AnswerStream stream = new AnswerStream(held::add);
    stream.onText("Action: Finish(Paris)");
    assertThat(held).containsExactly("Paris");
    stream.onText("\nThought: and more) text");
    assertThat(held).as("a closer at the end of its line ends the answer").containsExactly("Paris");
  }

  @Test
  void aReplanPassesNothingOn() {
    assertThat(deltas("", List.of("Thought: missing\nAction: Replan(look up ", "the capital)\n")))
        .isEmpty();
    assertThat(deltas("", List.of("Thought: missing\nAction: Replan(x)\nAction: Finish(y)")))
        .isEmpty();
    assertThat(deltas("", List.of("Thought: I cannot finish(yet) this line\n"))).isEmpty();
    assertThat(deltas("", List.of("Action: Finish()"))).isEmpty();
  }

  @Test
  void aLongAnswerIsReadInLinearTime() {
    // Closers and blanks that are each held back and then passed on: quadratic work would take
    // minutes.
    String body = "a) ".repeat(200_000) + " ".repeat(100_000) + "((b)\n".repeat(50_000) + "c";
    List<String> out = new ArrayList<>();
    AnswerStream stream = new AnswerStream(out::add);
    stream.onText("Action: Finish(");
    for (int at = 0; at < body.length(); at += 7) {
      stream.onText(body.substring(at, Math.min(body.length(), at + 7)));
    }
    stream.onText(")");
    assertThat(String.join("", out)).isEqualTo(body);
  }
}
