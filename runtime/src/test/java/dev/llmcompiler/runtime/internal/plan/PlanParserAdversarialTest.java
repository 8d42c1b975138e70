package dev.llmcompiler.runtime.internal.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The plan parser on hostile input: megabyte plans built from the shapes it looks at more than
 * once, and a seeded fuzz of plans fed whole and in random chunks, which must give the same events.
 *
 * <p>No timing is asserted: each case runs under a generous {@link #LIMIT} that only super-linear
 * work breaks. (Two known super-linear paths are not here yet, because they would break it: a
 * rejected line's whitespace in {@code shorten}, and many tasks with bad references; see issue 11.)
 */
class PlanParserAdversarialTest {
  private static final Duration LIMIT = Duration.ofSeconds(10);
  private static final int MB = 1 << 20;

  /**
   * Feeds {@code plan} in pieces of {@code chunk} characters and returns what the parser emitted.
   */
  private static RecordingListener feed(String plan, int chunk) {
    RecordingListener listener = new RecordingListener();
    PlanParser parser = new PlanParser(TestTools.all(), 1, Set.of(), listener);
    for (int at = 0; at < plan.length(); at += chunk) {
      parser.feed(plan.substring(at, Math.min(plan.length(), at + chunk)));
    }
    parser.finish();
    return listener;
  }

  private static RecordingListener withinLimit(String plan) {
    return assertTimeoutPreemptively(LIMIT, () -> feed(plan, 4096));
  }

  private static String lines(int totalChars, java.util.function.IntFunction<String> line) {
    StringBuilder plan = new StringBuilder();
    for (int i = 1; plan.length() < totalChars; i++) {
      plan.append(line.apply(i));
    }
    return plan.toString();
  }

  @Test
  void rejectedLinesFullOfWhiteSpaceAreQuotedInLinearTime() {
    // The reproducer: its message quoted the line through a regex quadratic in white space.
    String spaces = " ".repeat(60_000);
    RecordingListener parsed =
        withinLimit("1. search(" + spaces + "x)\n2. search(\"" + " \t".repeat(30_000) + ")\n");
    assertThat(parsed.tasks).hasSize(2);
    assertThat(parsed.tasks.get(1).error()).isNotNull().contains("...");
    // A rejected line spread over lines is still quoted on one line, with each break folded.
    RecordingListener folded = feed("1. search(\"a\",\n   \n  b c)\n", 4096);
    assertThat(folded.tasks.get(0).error()).doesNotContain("\n");
  }

  @Test
  void aPlanOfBadReferencesStaysLinearAndItsMessagesShort() {
    // Each line references a task that does not exist, so each message lists what does: it used to
    // rebuild every id read so far, quadratic in the plan.
    RecordingListener parsed =
        withinLimit(
            lines(
                MB / 2,
                // Every other id, so the ids read so far are thousands of separate ranges.
                id ->
                    id % 2 == 1
                        ? (2 * id) + ". search(\"q\")\n"
                        : (2 * id) + ". search(\"${999999}\")\n"));
    PlannedTask last = parsed.tasks.get(parsed.tasks.size() - 1);
    String error =
        parsed.tasks.stream()
            .filter(t -> t.error() != null)
            .reduce((a, b) -> b)
            .orElseThrow()
            .error();
    assertThat(error).contains("references ${999999}").contains(", ..., ");
    assertThat(error.length()).isLessThan(400);
    assertThat(last.id()).isGreaterThan(1000);
  }

  @Test
  void aMegabyteOfGoodTasks() {
    RecordingListener parsed =
        withinLimit(lines(MB, id -> id + ". search(\"query " + id + "\")\n"));
    assertThat(parsed.tasks).isNotEmpty().allSatisfy(task -> assertThat(task.error()).isNull());
  }

  @Test
  void aMegabyteOfThoughtsAndProse() {
    RecordingListener thoughts =
        withinLimit("Thought: abc\n".repeat(MB / 13) + "1. search(\"x\")\n");
    assertThat(thoughts.tasks).hasSize(1);
    assertThat(thoughts.tasks.get(0).thought().length()).isLessThanOrEqualTo(64 * 1024);
    RecordingListener prose =
        withinLimit("1. search(\"x\")\n" + "some prose\n".repeat(MB / 11) + "2. now()\n");
    assertThat(prose.tasks).extracting(PlannedTask::id).containsExactly(1, 2);
  }

  @Test
  void aMegabyteOfTasksThatNeverCloseOrNestTooDeep() {
    RecordingListener open =
        withinLimit(lines(MB, id -> id + ". search(\n" + "x,\n".repeat(199) + "\n"));
    assertThat(open.tasks).isNotEmpty().allSatisfy(task -> assertThat(task.error()).isNotNull());
    RecordingListener deep =
        withinLimit(lines(MB, id -> id + ". top_k(" + "[".repeat(100) + ")\n"));
    assertThat(deep.tasks)
        .isNotEmpty()
        .allSatisfy(task -> assertThat(task.error()).contains("nested more than 64 levels deep"));
  }

  @Test
  void aMegabyteOfLinesTheJoinCheckLooksAt() {
    RecordingListener parsed = withinLimit(lines(MB, id -> id + ")".repeat(250) + "\n") + "join()");
    assertThat(parsed.joinSeen).isTrue();
    assertThat(parsed.tasks).isNotEmpty();
  }

  @Test
  void aMegabyteOfUnknownToolsCallsWithoutIdsAndRepeatedIds() {
    RecordingListener unknown = withinLimit(lines(MB, id -> id + ". serch(\"x\")\n"));
    assertThat(unknown.tasks)
        .isNotEmpty()
        .allSatisfy(task -> assertThat(task.error()).contains("did you mean 'search'"));
    RecordingListener noIds =
        withinLimit("1. search(\"a\")\n" + "Action: search(\"x\")\n".repeat(MB / 20));
    assertThat(noIds.tasks.get(noIds.tasks.size() - 1).error())
        .contains("does not start with a task id");
    RecordingListener repeated = withinLimit("1. search(\"x\")\n".repeat(MB / 16));
    assertThat(repeated.tasks.get(1).error()).contains("used twice");
  }

  @Test
  void longLinesOfNamesArgumentsAndReferences() {
    RecordingListener names = withinLimit(lines(MB, id -> id + ". " + "s".repeat(60_000) + "()\n"));
    assertThat(names.tasks)
        .isNotEmpty()
        .allSatisfy(task -> assertThat(task.error()).startsWith("unknown tool"));
    RecordingListener arguments =
        withinLimit(lines(MB, id -> id + ". search(" + "\"a\", ".repeat(12_000) + ")\n"));
    assertThat(arguments.tasks)
        .isNotEmpty()
        .allSatisfy(task -> assertThat(task.error()).contains("takes 1 argument"));
    RecordingListener money =
        withinLimit(
            lines(MB, id -> id + ". search(\"" + "$1.5 $1111111111 ".repeat(3000) + "\")\n"));
    assertThat(money.tasks).isNotEmpty().allSatisfy(task -> assertThat(task.error()).isNull());
  }

  @Test
  void partialEndMarkers() {
    RecordingListener parsed =
        withinLimit(
            "<END_OF_PLAN <<END_OF_PLA\n".repeat(MB / 26)
                + "1. search(\"x\")\n<END_OF_PLAN>2. now()\n");
    assertThat(parsed.tasks).extracting(PlannedTask::id).containsExactly(1);
    assertThat(parsed.ended()).isTrue();
  }

  // ---- Seeded fuzz ----

  private static final String[] FRAGMENTS = {
    "1. ",
    "2. ",
    "3) ",
    "12: ",
    "**4.** ",
    "search(",
    "math(",
    "top_k(",
    "serch(",
    "join()",
    "\"x\"",
    "'y'",
    "$1",
    "${2}",
    "${1.a[0]}",
    "$1.50",
    ", ",
    ")",
    "(",
    "[",
    "]",
    "{",
    "}",
    ":",
    "=",
    "query=",
    "problem=",
    "\n",
    "\r\n",
    "\r",
    " ",
    "\t",
    "Thought: ",
    "thought 2: ",
    "<END_OF_PLAN>",
    "<END_OF",
    "_PLAN>",
    "```",
    "- ",
    "# c",
    "// c",
    "\\",
    "\\u00e9",
    "\\x4",
    "True",
    "None",
    "1e6",
    "-3.5",
    "prose ",
    "Action: search(\"x\")",
    "`",
    ";",
    "\u2028"
  };

  private static List<String> fuzzPlans() {
    Random random = new Random(0x9_1A_11L);
    List<String> plans = new ArrayList<>();
    for (int i = 0; i < 1500; i++) {
      StringBuilder plan = new StringBuilder();
      for (int j = 10 + random.nextInt(300); j > 0; j--) {
        plan.append(FRAGMENTS[random.nextInt(FRAGMENTS.length)]);
      }
      plans.add(plan.toString());
    }
    return plans;
  }

  @Test
  void fuzzedPlansGiveTheSameEventsWholeAndInChunks() {
    List<String> plans = fuzzPlans();
    Random chunking = new Random(0xC4_0_4L);
    assertTimeoutPreemptively(
        LIMIT.multipliedBy(3),
        () -> {
          for (String plan : plans) {
            List<String> whole = feed(plan, Integer.MAX_VALUE).events;
            assertThat(feed(plan, 1).events)
                .as("character by character: %s", plan)
                .isEqualTo(whole);
            RecordingListener listener = new RecordingListener();
            PlanParser parser = new PlanParser(TestTools.all(), 1, Set.of(), listener);
            for (int at = 0; at < plan.length(); ) {
              int next = Math.min(plan.length(), at + 1 + chunking.nextInt(12));
              parser.feed(plan.substring(at, next));
              at = next;
            }
            parser.finish();
            assertThat(listener.events).as("random chunks: %s", plan).isEqualTo(whole);
            assertThat(listener.ended()).isTrue();
          }
        });
  }
}
