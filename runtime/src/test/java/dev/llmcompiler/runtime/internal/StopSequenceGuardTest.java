package dev.llmcompiler.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class StopSequenceGuardTest {

  private static String feed(StopSequenceGuard guard, String... deltas) {
    StringBuilder out = new StringBuilder();
    for (String delta : deltas) {
      out.append(guard.accept(delta));
    }
    return out.append(guard.flush()).toString();
  }

  @Test
  void withoutStopSequencesEveryDeltaPassesUnchanged() {
    StopSequenceGuard guard = new StopSequenceGuard(List.of());

    assertThat(guard.accept("a<")).isEqualTo("a<");
    assertThat(guard.accept("b")).isEqualTo("b");
    assertThat(guard.stopped()).isFalse();
  }

  @Test
  void cutsBeforeAStopSequenceSplitAcrossDeltas() {
    StopSequenceGuard guard = new StopSequenceGuard(List.of("<END_OF_PLAN>"));

    assertThat(feed(guard, "join()<EN", "D_OF_", "PLAN>after")).isEqualTo("join()");
    assertThat(guard.stopped()).isTrue();
    assertThat(guard.accept("more")).isEmpty();
  }

  @Test
  void holdsBackOnlyWhatCouldStartAStopSequence() {
    StopSequenceGuard guard = new StopSequenceGuard(List.of("<END_OF_PLAN>"));

    assertThat(guard.accept("1. a()\n<E")).isEqualTo("1. a()\n");
    assertThat(guard.accept("X")).isEqualTo("<EX");
    assertThat(guard.flush()).isEmpty();
  }

  @Test
  void releasesHeldTextWhenTheStreamEnds() {
    StopSequenceGuard guard = new StopSequenceGuard(List.of("Observation:"));

    assertThat(guard.accept("Thought: Obs")).isEqualTo("Thought: ");
    assertThat(guard.flush()).isEqualTo("Obs");
  }

  @Test
  void theEarliestOfSeveralStopSequencesWins() {
    StopSequenceGuard guard = new StopSequenceGuard(List.of("<END_OF_PLAN>", "\nObservation"));

    assertThat(feed(guard, "Action: x\nObservation: y <END_OF_PLAN>")).isEqualTo("Action: x");
  }

  @Test
  void aStopSequenceAtTheVeryStartYieldsNothing() {
    StopSequenceGuard guard = new StopSequenceGuard(List.of("STOP"));

    assertThat(feed(guard, "ST", "OP and more")).isEmpty();
    assertThat(guard.stopped()).isTrue();
  }
}
