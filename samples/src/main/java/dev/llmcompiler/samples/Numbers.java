package dev.llmcompiler.samples;

import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;

/** Formats numbers for answers and the timeline the same way everywhere: "3,300", "3.03". */
final class Numbers {
  private Numbers() {}

  static String format(double number) {
    // DecimalFormat is not thread-safe, and answers are formatted on several threads.
    DecimalFormat format =
        new DecimalFormat("#,##0.##", DecimalFormatSymbols.getInstance(Locale.ROOT));
    return format.format(number);
  }

  /** A year: no grouping ("1844", not "1,844"). */
  static String year(double year) {
    return Long.toString(Math.round(year));
  }
}
