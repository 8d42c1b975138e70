package dev.llmcompiler.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class CriticalPathTest {

  @Test
  void parallelTasksEndWithTheSlowestThenTheJoiner() {
    // Task 1 arrives at 100 and runs 500 (ends 600); task 2 arrives at 200 and runs 300 (ends 500).
    double bound =
        CriticalPath.bound(
            List.of(
                new CriticalPath.Round(
                    250,
                    List.of(
                        new CriticalPath.Task(1, 100, 500, List.of()),
                        new CriticalPath.Task(2, 200, 300, List.of())),
                    100)));
    assertThat(bound).isCloseTo(700, within(1e-9));
  }

  @Test
  void aTaskWaitsForItsLineAndForItsDependencies() {
    // 3 needs 1 (ends 400) and 2 (ends 900); its line came at 300, so it runs 900..1000.
    double bound =
        CriticalPath.bound(
            List.of(
                new CriticalPath.Round(
                    350,
                    List.of(
                        new CriticalPath.Task(1, 100, 300, List.of()),
                        new CriticalPath.Task(2, 200, 700, List.of()),
                        new CriticalPath.Task(3, 300, 100, List.of(1, 2))),
                    50)));
    assertThat(bound).isCloseTo(1050, within(1e-9));
  }

  @Test
  void aLateLineDelaysItsTaskEvenWhenItsInputsAreReady() {
    // 2 needs 1 (ends 150) but its line arrives at 600.
    double bound =
        CriticalPath.bound(
            List.of(
                new CriticalPath.Round(
                    650,
                    List.of(
                        new CriticalPath.Task(1, 50, 100, List.of()),
                        new CriticalPath.Task(2, 600, 200, List.of(1))),
                    0)));
    assertThat(bound).isCloseTo(800, within(1e-9));
  }

  @Test
  void theJoinerWaitsForThePlanStreamToEnd() {
    double bound =
        CriticalPath.bound(
            List.of(
                new CriticalPath.Round(
                    2000, List.of(new CriticalPath.Task(1, 100, 100, List.of())), 300)));
    assertThat(bound).isCloseTo(2300, within(1e-9));
  }

  @Test
  void aReplanRoundStartsWhenTheFirstJoinerEndsAndMayUseEarlierResults() {
    // Round 1: task 1 ends 600, plan ends 300, joiner 200 -> 800. Round 2 starts at 800:
    // task 3 (line +100) needs task 1 (done long ago) and runs 400 -> 1300; plan ends 800+150;
    // joiner 100.
    double bound =
        CriticalPath.bound(
            List.of(
                new CriticalPath.Round(
                    300, List.of(new CriticalPath.Task(1, 100, 500, List.of())), 200),
                new CriticalPath.Round(
                    150, List.of(new CriticalPath.Task(3, 100, 400, List.of(1))), 100)));
    assertThat(bound).isCloseTo(1400, within(1e-9));
  }

  @Test
  void aRoundWithoutTasksCostsItsPlanAndJoiner() {
    assertThat(CriticalPath.bound(List.of(new CriticalPath.Round(120, List.of(), 80))))
        .isCloseTo(200, within(1e-9));
  }

  @Test
  void anUnknownDependencyIsAnErrorNotASilentZero() {
    assertThatThrownBy(
            () ->
                CriticalPath.bound(
                    List.of(
                        new CriticalPath.Round(
                            100, List.of(new CriticalPath.Task(2, 50, 10, List.of(7))), 0))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("task 2 depends on task 7");
  }
}
