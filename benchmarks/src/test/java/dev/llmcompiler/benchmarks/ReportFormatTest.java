package dev.llmcompiler.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReportFormatTest {

  @Test
  void aRowIsTheCellsBetweenPipes() {
    assertThat(Report.row("HotpotQA", 2, "1.02x")).isEqualTo("| HotpotQA | 2 | 1.02x |\n");
  }

  @Test
  void secondsShowTheMedianAndRangeOfMilliseconds() {
    assertThat(Report.seconds(new Stats(1724, 1701.2, 1770, 3))).isEqualTo("1.72 (1.70-1.77)");
    assertThat(Report.seconds(Stats.EMPTY)).isEqualTo("n/a (n/a-n/a)");
  }
}
