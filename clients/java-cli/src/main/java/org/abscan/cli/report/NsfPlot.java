package org.abscan.cli.report;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Locale;
import org.abscan.proto.scan.v1.LabelCurve;
import org.abscan.proto.scan.v1.NeuronStimulation;

/**
 * Draws a neuron stimulation function as inline SVG: one line per label (logit against the neuron's
 * stimulated value), the highlighted label drawn last and in colour, the rest in grey. Inline SVG in HTML
 * needs no namespace URL, which keeps the report free of any link.
 */
final class NsfPlot {
  private static final int WIDTH = 460;
  private static final int HEIGHT = 240;
  private static final int LEFT = 56;
  private static final int RIGHT = 96;
  private static final int TOP = 14;
  private static final int BOTTOM = 34;

  private NsfPlot() {}

  static String svg(NeuronStimulation nsf, int highlightLabel) {
    StringBuilder svg = new StringBuilder();
    svg.append(String.format(Locale.ROOT,
        "<svg class=\"nsf\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\">", WIDTH, HEIGHT,
        WIDTH, HEIGHT));
    svg.append("<title>").append(Html.escape(nsf.getLayer() + " neuron " + nsf.getNeuron() + ": logits per label"))
        .append("</title>");
    int[] order = sortedByValue(nsf);
    double[] yRange = logitRange(nsf);
    if (order.length < 2 || yRange == null) {
      svg.append("<text x=\"10\" y=\"20\">no samples</text></svg>");
      return svg.toString();
    }
    double xMin = nsf.getValues(order[0]);
    double xMax = nsf.getValues(order[order.length - 1]);
    Scale x = new Scale(xMin, xMax, LEFT, WIDTH - RIGHT);
    Scale y = new Scale(yRange[0], yRange[1], HEIGHT - BOTTOM, TOP);
    axes(svg, x, y);
    LabelCurve highlighted = null;
    for (LabelCurve curve : nsf.getLabelsList()) {
      if (curve.getLabel() == highlightLabel) {
        highlighted = curve;
      } else {
        polyline(svg, curve, order, nsf, x, y, "#b8b8b8", 1.0);
      }
    }
    if (highlighted != null) {
      polyline(svg, highlighted, order, nsf, x, y, "#d62728", 2.5);
    }
    legend(svg, highlightLabel, highlighted != null);
    svg.append("</svg>");
    return svg.toString();
  }

  private static void axes(StringBuilder svg, Scale x, Scale y) {
    double x0 = x.px(x.min);
    double y0 = y.px(y.min);
    svg.append(String.format(Locale.ROOT,
        "<path d=\"M%.1f %.1f V%.1f H%.1f\" stroke=\"#333\" fill=\"none\"/>", x0, y.px(y.max), y0, x.px(x.max)));
    svg.append(text(x0, y0 + 14, "start", format(x.min)));
    svg.append(text(x.px(x.max), y0 + 14, "end", format(x.max)));
    svg.append(text((x0 + x.px(x.max)) / 2, HEIGHT - 4, "middle", "stimulation value"));
    svg.append(text(x0 - 4, y0, "end", format(y.min)));
    svg.append(text(x0 - 4, y.px(y.max) + 8, "end", format(y.max)));
    svg.append(text(12, (y0 + y.px(y.max)) / 2, "middle", "logit"));
  }

  private static void polyline(StringBuilder svg, LabelCurve curve, int[] order, NeuronStimulation nsf,
      Scale x, Scale y, String colour, double width) {
    StringBuilder points = new StringBuilder();
    for (int i : order) {
      if (i < curve.getLogitsCount()) {
        points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x.px(nsf.getValues(i)), y.px(curve.getLogits(i))));
      }
    }
    svg.append(String.format(Locale.ROOT,
        "<polyline class=\"label-%d\" points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"%.1f\">"
            + "<title>label %d</title></polyline>",
        curve.getLabel(), points.toString().trim(), colour, width, curve.getLabel()));
  }

  private static void legend(StringBuilder svg, int label, boolean present) {
    int x = WIDTH - RIGHT + 10;
    svg.append(String.format(Locale.ROOT,
        "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#d62728\" stroke-width=\"2.5\"/>",
        x, TOP + 6, x + 16, TOP + 6));
    svg.append(text(x + 20, TOP + 10, "start", present ? "label " + label : "label " + label + " (absent)"));
    svg.append(String.format(Locale.ROOT,
        "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#b8b8b8\"/>", x, TOP + 24, x + 16, TOP + 24));
    svg.append(text(x + 20, TOP + 28, "start", "other labels"));
  }

  private static String text(double x, double y, String anchor, String content) {
    return String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"11\">%s</text>",
        x, y, anchor, Html.escape(content));
  }

  private static String format(double value) {
    return String.format(Locale.ROOT, Math.abs(value) >= 100 ? "%.0f" : "%.2f", value);
  }

  private static int[] sortedByValue(NeuronStimulation nsf) {
    Integer[] order = new Integer[nsf.getValuesCount()];
    Arrays.setAll(order, i -> i);
    Arrays.sort(order, Comparator.comparingDouble(nsf::getValues));
    return Arrays.stream(order).mapToInt(Integer::intValue).toArray();
  }

  /** [min, max] over every finite logit, widened when flat; null when there is none. */
  private static double[] logitRange(NeuronStimulation nsf) {
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (LabelCurve curve : nsf.getLabelsList()) {
      for (float logit : curve.getLogitsList()) {
        if (Float.isFinite(logit)) {
          min = Math.min(min, logit);
          max = Math.max(max, logit);
        }
      }
    }
    if (min > max) {
      return null;
    }
    return max > min ? new double[] {min, max} : new double[] {min - 1, max + 1};
  }

  /** Maps [min, max] onto [from, to] pixels (to < from for the y axis, which grows downwards). */
  private record Scale(double min, double max, double fromPixel, double toPixel) {
    double px(double value) {
      double span = max - min;
      return span == 0
          ? (fromPixel + toPixel) / 2
          : fromPixel + (value - min) / span * (toPixel - fromPixel);
    }
  }
}
