package dev.llmcompiler.benchmarks;

import java.util.Arrays;
import java.util.List;

/**
 * The median, min and max (and percentiles) of a sample, as the report shows them.
 *
 * @param median the median (the mean of the middle two for an even count)
 * @param min the smallest value
 * @param max the largest value
 * @param count how many values
 */
record Stats(double median, double min, double max, int count) {
  static final Stats EMPTY = new Stats(Double.NaN, Double.NaN, Double.NaN, 0);

  static Stats of(List<Double> values) {
    double[] sorted =
        values.stream()
            .filter(v -> !Double.isNaN(v))
            .mapToDouble(Double::doubleValue)
            .sorted()
            .toArray();
    if (sorted.length == 0) {
      return EMPTY;
    }
    return new Stats(percentile(sorted, 50), sorted[0], sorted[sorted.length - 1], sorted.length);
  }

  /** The p-th percentile (0-100) of sorted values, interpolating linearly between ranks. */
  static double percentile(double[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    double rank = p / 100 * (sorted.length - 1);
    int low = (int) Math.floor(rank);
    int high = (int) Math.ceil(rank);
    return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
  }

  static double[] sorted(List<Double> values) {
    double[] array = values.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(array);
    return array;
  }
}
