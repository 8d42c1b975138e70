package dev.llmcompiler.runtime.internal.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Messy, real-world-style plans from {@code src/test/resources/plans}: each {@code NN-name.plan}
 * (the text plan language, read by {@link PlanParser}) or {@code NN-name.json} (a JSON plan, read
 * by {@link JsonPlanParser}) has an {@code NN-name.expected} beside it listing the events the
 * parser must emit, one per line, as {@link RecordingListener#render} writes them. A {@code
 * FAILED:} line matches when the actual error contains its text, as does an {@code error:} line (a
 * plan error). Lines starting with {@code @} set up the parser ({@code @firstId 4}, {@code @earlier
 * 1 2 3}, {@code @strict}: no repairs) or the input ({@code @crlf}, {@code @cr}: line breaks become
 * {@code \r\n} or {@code \r}); lines starting with {@code #} are comments.
 *
 * <p>Each plan is fed whole, character by character, in every split into two pieces, and in seeded
 * random chunkings; all must give exactly the same events.
 */
class PlanCorpusTest {
  private static final int SEEDS = 6;

  record CorpusPlan(
      String name,
      String text,
      boolean json,
      int firstId,
      Set<Integer> earlierIds,
      boolean repairs,
      List<String> expected) {
    PlanReader reader(PlanListener listener) {
      return json
          ? new JsonPlanParser(TestTools.all(), firstId, earlierIds, listener)
          : new PlanParser(TestTools.all(), firstId, earlierIds, listener, repairs);
    }

    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<CorpusPlan> plans() throws IOException, URISyntaxException {
    Path directory = Path.of(PlanCorpusTest.class.getResource("/plans").toURI());
    List<CorpusPlan> plans = new ArrayList<>();
    try (Stream<Path> files = Files.list(directory)) {
      for (Path plan :
          (Iterable<Path>)
              files
                      .filter(p -> p.toString().endsWith(".plan") || p.toString().endsWith(".json"))
                      .sorted()
                  ::iterator) {
        plans.add(load(plan));
      }
    }
    return plans.stream();
  }

  private static CorpusPlan load(Path planFile) throws IOException {
    boolean json = planFile.toString().endsWith(".json");
    String name = planFile.getFileName().toString().replaceFirst("\\.(plan|json)$", "");
    String text = Files.readString(planFile, StandardCharsets.UTF_8);
    Path expectedFile = planFile.resolveSibling(name + ".expected");
    int firstId = 1;
    boolean repairs = true;
    Set<Integer> earlier = new TreeSet<>();
    List<String> expected = new ArrayList<>();
    for (String line : Files.readAllLines(expectedFile, StandardCharsets.UTF_8)) {
      if (line.startsWith("#") || line.isBlank()) {
        continue;
      }
      if (line.startsWith("@firstId ")) {
        firstId = Integer.parseInt(line.substring(9).trim());
      } else if (line.startsWith("@earlier ")) {
        for (String id : line.substring(9).trim().split("\\s+")) {
          earlier.add(Integer.parseInt(id));
        }
      } else if (line.equals("@strict")) {
        repairs = false;
      } else if (line.equals("@crlf")) {
        text = text.replace("\n", "\r\n");
      } else if (line.equals("@cr")) {
        text = text.replace("\n", "\r");
      } else if (line.startsWith("@")) {
        throw new IllegalStateException(expectedFile + ": unknown option " + line);
      } else {
        expected.add(line);
      }
    }
    return new CorpusPlan(name, text, json, firstId, earlier, repairs, expected);
  }

  static List<String> feed(CorpusPlan plan, List<String> chunks) {
    RecordingListener listener = new RecordingListener();
    PlanReader parser = plan.reader(listener);
    chunks.forEach(parser::feed);
    parser.finish();
    assertThat(listener.ends).as("onPlanEnd calls").isEqualTo(1);
    return listener.events;
  }

  /** The events, then the line number of every task: chunking must change neither. */
  static List<String> feedWithLines(CorpusPlan plan, List<String> chunks) {
    RecordingListener listener = new RecordingListener();
    PlanReader parser = plan.reader(listener);
    chunks.forEach(parser::feed);
    parser.finish();
    List<String> events = new ArrayList<>(listener.events);
    listener.tasks.forEach(task -> events.add("line " + task.lineNumber()));
    return events;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("plans")
  void everyTaskNamesTheLineItStartsOn(CorpusPlan plan) {
    String[] lines = plan.text().split("\\r\\n|\\r|\\n", -1);
    RecordingListener listener = new RecordingListener();
    PlanReader parser = plan.reader(listener);
    parser.feed(plan.text());
    parser.finish();
    for (PlannedTask task : listener.tasks) {
      assertThat(task.lineNumber())
          .as("line of task %d in %s", task.id(), plan.name())
          .isBetween(1, lines.length);
      String first = task.line().split("\n", -1)[0];
      String shown = first.endsWith("...") ? first.substring(0, first.length() - 3) : first;
      assertThat(lines[task.lineNumber() - 1])
          .as("line %d of %s", task.lineNumber(), plan.name())
          .contains(shown);
    }
  }

  @Test
  void theCorpusHasAtLeastFortyPlans() throws Exception {
    assertThat(plans().count()).isGreaterThanOrEqualTo(40);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("plans")
  void fedWholeGivesTheExpectedEvents(CorpusPlan plan) {
    List<String> actual = feed(plan, List.of(plan.text()));
    assertThat(actual)
        .as("number of events of %s: %s", plan.name(), actual)
        .hasSameSizeAs(plan.expected());
    for (int i = 0; i < actual.size(); i++) {
      String expected = plan.expected().get(i);
      int failed = expected.startsWith("error: ") ? 0 : expected.indexOf(" FAILED: ");
      if (failed >= 0) {
        String head = expected.substring(0, failed == 0 ? 7 : failed + 9);
        assertThat(actual.get(i))
            .as("event %d of %s", i, plan.name())
            .startsWith(head)
            .contains(expected.substring(head.length()));
      } else {
        assertThat(actual.get(i)).as("event %d of %s", i, plan.name()).isEqualTo(expected);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("plans")
  void characterByCharacterGivesTheSameEvents(CorpusPlan plan) {
    List<String> chunks = new ArrayList<>();
    plan.text().chars().forEach(c -> chunks.add(String.valueOf((char) c)));
    assertThat(feedWithLines(plan, chunks)).isEqualTo(feedWithLines(plan, List.of(plan.text())));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("plans")
  void everySplitInTwoGivesTheSameEvents(CorpusPlan plan) {
    List<String> whole = feedWithLines(plan, List.of(plan.text()));
    String text = plan.text();
    for (int at = 0; at <= text.length(); at++) {
      assertThat(feedWithLines(plan, List.of(text.substring(0, at), text.substring(at))))
          .as("split at %d", at)
          .isEqualTo(whole);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("plans")
  void randomChunkingsGiveTheSameEvents(CorpusPlan plan) {
    List<String> whole = feedWithLines(plan, List.of(plan.text()));
    for (int seed = 1; seed <= SEEDS; seed++) {
      Random random = new Random(seed * 7919L);
      List<String> chunks = new ArrayList<>();
      String text = plan.text();
      for (int at = 0; at < text.length(); ) {
        // Mostly short pieces, as streamed tokens are, with an occasional empty or long one.
        int size = random.nextInt(10) == 0 ? random.nextInt(60) : random.nextInt(6);
        int end = Math.min(text.length(), at + size);
        chunks.add(text.substring(at, end));
        at = end;
      }
      assertThat(feedWithLines(plan, chunks))
          .as("seed %d, chunks %s", seed, chunks)
          .isEqualTo(whole);
    }
  }
}
