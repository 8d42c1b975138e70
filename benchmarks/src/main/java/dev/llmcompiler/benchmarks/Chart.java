package dev.llmcompiler.benchmarks;

import java.util.List;
import java.util.Locale;

/** A grouped bar chart (SVG) of median latency per workload and system, with min-max whiskers. */
final class Chart {
  private static final String[] COLORS = {
    "#1b9e77", "#66c2a5", "#d95f02", "#7570b3", "#a6a0d6", "#e7298a", "#66a61e", "#e6ab02"
  };

  private Chart() {}

  static String svg(Report report) {
    List<Workload> workloads = report.sideBySide().workloads();
    List<String> systems = SideBySide.SYSTEMS;
    double maxMs = 1;
    for (Workload w : workloads) {
      for (String s : systems) {
        Stats st = report.wall(s, w.name());
        if (!Double.isNaN(st.max())) {
          maxMs = Math.max(maxMs, st.max());
        }
      }
    }
    double top = Math.ceil(maxMs / 1000 / 2) * 2;
    int left = 60;
    int plotTop = 40;
    int plotHeight = 300;
    int barWidth = 24;
    int groupWidth = 20 + systems.size() * (barWidth + 4);
    int width = left + groupWidth * workloads.size() + 20;
    int height = plotTop + plotHeight + 60 + 22 * systems.size();
    StringBuilder svg = new StringBuilder();
    svg.append(
        String.format(
            Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                + " font-family=\"sans-serif\" font-size=\"12\">\n",
            width,
            height));
    svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
    svg.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%d\" y=\"22\" font-size=\"15\">Median wall time per query,"
                + " seconds (whiskers: min-max; black tick: LLMCompiler floor)</text>\n",
            left));
    for (int i = 0; i <= 4; i++) {
      double value = top * i / 4;
      double y = plotTop + plotHeight - plotHeight * i / 4.0;
      svg.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>\n",
              left,
              width - 20,
              y,
              y));
      svg.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%.1f</text>\n",
              left - 6,
              y + 4,
              value));
    }
    for (int g = 0; g < workloads.size(); g++) {
      Workload w = workloads.get(g);
      int x0 = left + g * groupWidth + 10;
      for (int s = 0; s < systems.size(); s++) {
        Stats st = report.wall(systems.get(s), w.name());
        if (Double.isNaN(st.median())) {
          continue;
        }
        double x = x0 + s * (barWidth + 4);
        double h = plotHeight * (st.median() / 1000) / top;
        double y = plotTop + plotHeight - h;
        svg.append(
            String.format(
                Locale.ROOT,
                "<rect x=\"%.1f\" y=\"%.1f\" width=\"%d\" height=\"%.1f\" fill=\"%s\">"
                    + "<title>%s, %s: %.2f s</title></rect>\n",
                x,
                y,
                barWidth,
                h,
                COLORS[s % COLORS.length],
                systems.get(s),
                w.name(),
                st.median() / 1000));
        double yMin = plotTop + plotHeight - plotHeight * (st.min() / 1000) / top;
        double yMax = plotTop + plotHeight - plotHeight * (st.max() / 1000) / top;
        double cx = x + barWidth / 2.0;
        svg.append(
            String.format(
                Locale.ROOT,
                "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#333\"/>\n",
                cx,
                cx,
                yMin,
                yMax));
        if (systems.get(s).equals(SideBySide.STREAMING)) {
          double floor = report.stat(SideBySide.STREAMING, w.name(), Measurement::floorMs).median();
          double yf = plotTop + plotHeight - plotHeight * (floor / 1000) / top;
          svg.append(
              String.format(
                  Locale.ROOT,
                  "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\""
                      + " stroke=\"black\" stroke-width=\"3\"/>\n",
                  x - 3,
                  x + barWidth + 3,
                  yf,
                  yf));
        }
      }
      svg.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>\n",
              x0 + (systems.size() * (barWidth + 4)) / 2,
              plotTop + plotHeight + 18,
              w.name()));
    }
    for (int s = 0; s < systems.size(); s++) {
      int y = plotTop + plotHeight + 44 + 22 * s;
      svg.append(
          String.format(
              Locale.ROOT,
              "<rect x=\"%d\" y=\"%d\" width=\"14\" height=\"14\" fill=\"%s\"/>"
                  + "<text x=\"%d\" y=\"%d\">%s</text>\n",
              left,
              y - 11,
              COLORS[s % COLORS.length],
              left + 20,
              y,
              systems.get(s)));
    }
    return svg.append("</svg>\n").toString();
  }
}
