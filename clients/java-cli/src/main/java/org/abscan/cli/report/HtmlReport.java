package org.abscan.cli.report;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.FieldDescriptor;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.abscan.proto.scan.v1.Candidate;
import org.abscan.proto.scan.v1.NeuronStimulation;
import org.abscan.proto.scan.v1.ScanParameters;
import org.abscan.proto.scan.v1.ScanReport;
import org.abscan.proto.scan.v1.Timings;
import org.abscan.proto.scan.v1.TriggerImages;
import org.abscan.proto.scan.v1.Verdict;

/**
 * The scan report as one self-contained HTML page: no scripts, fonts or links, trigger images inlined as
 * base64 PNGs and NSF plots as inline SVG, so it can be mailed or archived and opened offline.
 */
public final class HtmlReport {
  private static final String STYLE = """
      body{font-family:sans-serif;margin:2em;color:#222;max-width:72em}
      h1{margin-bottom:.2em} h2{margin-top:1.6em;border-bottom:1px solid #ddd}
      table{border-collapse:collapse;margin:.5em 0} td,th{border:1px solid #ccc;padding:.25em .6em;text-align:left}
      th{background:#f3f3f3} tr.best{background:#fff4d6}
      .verdict{font-size:1.6em;font-weight:bold;padding:.3em .8em;display:inline-block;border-radius:.3em}
      .trojaned{background:#fadbd8;color:#922} .benign{background:#d5f5e3;color:#175}
      .unknown{background:#eee}
      figure{display:inline-block;margin:.3em;text-align:center} figcaption{font-size:.8em}
      img.px{image-rendering:pixelated;width:112px;border:1px solid #ccc}
      .plots svg{margin:.4em;border:1px solid #eee}
      """;

  private HtmlReport() {}

  public static String render(ScanReport report) {
    StringBuilder html = new StringBuilder(64 * 1024);
    String verdict = ReportSummary.verdictName(report.getVerdict());
    html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<title>abscan report: ").append(Html.escape(verdict)).append("</title>")
        .append("<style>").append(STYLE).append("</style></head><body>\n");
    html.append("<h1>abscan scan report</h1>\n");
    verdict(html, report, verdict);
    modelFacts(html, report);
    candidates(html, report);
    triggers(html, report);
    nsfPlots(html, report);
    parameters(html, report.getParameters());
    timings(html, report.getTimings());
    html.append("</body></html>\n");
    return html.toString();
  }

  private static void verdict(StringBuilder html, ScanReport report, String verdict) {
    String css = report.getVerdict() == Verdict.VERDICT_TROJANED ? "trojaned"
        : report.getVerdict() == Verdict.VERDICT_BENIGN ? "benign" : "unknown";
    html.append("<p class=\"verdict ").append(css).append("\">").append(Html.escape(verdict)).append("</p>\n");
    table(html, List.of(
        row("target label", report.hasTargetLabel() ? report.getTargetLabel() : "none"),
        row("best candidate", bestCandidate(report)),
        row("max REASR", fmt(report.getMaxReasr())),
        row("threshold", fmt(report.getParameters().getThreshold())),
        row("outlier score", fmt(report.getOutlierScore())),
        row("baseline REASRs", report.getBaselineReasrsList().stream().map(HtmlReport::fmt)
            .collect(Collectors.joining(", ")))));
  }

  private static void modelFacts(StringBuilder html, ScanReport report) {
    html.append("<h2>Model</h2>\n");
    table(html, List.of(
        row("sha256", report.getModelSha256()),
        row("format", report.getModelFormat()),
        row("labels", report.getNumLabels()),
        row("seed images", report.getSeedImages()),
        row("neurons analysed", report.getNeuronsAnalysed()),
        row("scan id", report.getScanId()),
        row("abscan", report.getAbscanVersion()),
        row("TensorFlow", report.getTensorflowVersion())));
  }

  private static void candidates(StringBuilder html, ScanReport report) {
    html.append("<h2>Candidates</h2>\n");
    if (report.getCandidatesCount() == 0) {
      html.append("<p>No candidate neuron was selected.</p>\n");
      return;
    }
    html.append("<table><tr><th>#</th><th>layer</th><th>neuron(s)</th><th>target</th><th title=\"which selection ")
        .append("examined the neuron: the top k that stand out most in their layers, the label-capped one, ")
        .append("both, or the label cover (the best neuron of a label the others leave out)\">chosen by</th>")
        .append("<th>elevation</th>")
        .append("<th>peak value</th><th>REASR</th><th>REASR (RE images)</th><th>trigger</th><th>kind</th>")
        .append("<th>mask size</th><th>within bound</th><th>raises neuron</th>")
        .append("<th title=\"section 6: benign target-label images' neuron level, 0 = like other labels, 1 = like ")
        .append("triggered images\">presence</th><th title=\"REASR of the mask filled with benign target-label ")
        .append("pixels\">transplant REASR</th><th>steps</th><th title=\"the step at which the trigger first flipped ")
        .append("every optimisation image (slow_trigger_steps is judged on it); - if it never did\">found at</th>")
        .append("<th title=\"within the bound, raising its neuron or found within fast_trigger_steps, and ")
        .append("not slow and short of 0.97 evidence (slow_trigger_steps) unless corroborated: three neurons' ")
        .append("triggers for its label at 0.8 (corroborating_neurons)\">counts</th></tr>\n");
    for (int i = 0; i < report.getCandidatesCount(); i++) {
      Candidate c = report.getCandidates(i);
      html.append(i == report.getBestCandidate() ? "<tr class=\"best\">" : "<tr>");
      cells(html, i, c.getLayer(), Describe.neuronList(c), c.getTargetLabel()
              + (c.hasSourceLabel() ? " (from " + c.getSourceLabel() + ")" : ""), chosenBy(c),
          fmt(c.getElevationScore()), fmt(c.getPeakValue()), fmt(c.getReasr()), fmt(c.getReasrTrain()),
          c.getTrigger(), c.getTriggerKind(), String.format(Locale.ROOT, "%.2f%%", 100 * c.getMaskSize()),
          c.getWithinSizeBound() ? "yes" : "no", c.getRaisesNeuron() ? "yes" : "no",
          fmt(c.getFeaturePresence().getPresence()), fmt(c.getFeaturePresence().getTransplantReasr()), c.getSteps(),
          c.getFoundAtStep() > 0 ? String.valueOf(c.getFoundAtStep()) : "-",
          c.getCounts() ? (c.getCorroborated() ? "yes, corroborated" : "yes") : "no");
      html.append("</tr>\n");
    }
    html.append("</table>\n");
  }

  private static String chosenBy(Candidate c) {
    if (c.getSelectedByTopK() && c.getSelectedByLabelCap()) {
      return "both";
    }
    if (c.getSelectedByTopK()) {
      return "top k";
    }
    return c.getSelectedByLabelCap() ? "label cap" : c.getSelectedByLabelCover() ? "label cover" : "request";
  }

  private static void triggers(StringBuilder html, ScanReport report) {
    html.append("<h2>Triggers</h2>\n<p>The trigger reverse-engineered for each candidate, highest REASR first: ")
        .append("the mask (where it is stamped), the pattern (what is stamped) and held-out seed images with the ")
        .append("trigger applied.</p>\n");
    boolean any = false;
    for (int i : byReasr(report)) {
      Candidate c = report.getCandidates(i);
      TriggerImages images = c.getImages();
      if (images.getMaskPng().isEmpty() && images.getPatternPng().isEmpty() && images.getStampedPngCount() == 0) {
        continue;
      }
      any = true;
      html.append("<h3>#").append(i).append(' ').append(Html.escape(Describe.neurons(c)))
          .append(" &rarr; label ").append(c.getTargetLabel())
          .append(String.format(Locale.ROOT, " (REASR %.3f, %s)", c.getReasr(), Html.escape(c.getTrigger())))
          .append("</h3>\n<div>");
      image(html, images.getMaskPng(), "mask");
      image(html, images.getPatternPng(), "pattern");
      for (int s = 0; s < images.getStampedPngCount(); s++) {
        image(html, images.getStampedPng(s), "stamped " + (s + 1));
      }
      html.append("</div>\n");
    }
    if (!any) {
      html.append("<p>The report carries no trigger images.</p>\n");
    }
  }

  /** Candidate indices, the best first, then by REASR descending (ties keep the report's order). */
  private static List<Integer> byReasr(ScanReport report) {
    return java.util.stream.IntStream.range(0, report.getCandidatesCount()).boxed()
        .sorted(java.util.Comparator.<Integer>comparingInt(i -> i == report.getBestCandidate() ? 0 : 1)
            .thenComparing(i -> -report.getCandidates(i).getReasr()))
        .toList();
  }

  private static String bestCandidate(ScanReport report) {
    int best = report.getBestCandidate();
    if (best < 0 || best >= report.getCandidatesCount()) {
      return "none";
    }
    Candidate c = report.getCandidates(best);
    return "#" + best + " " + Describe.neurons(c) + ", " + c.getTrigger() + " trigger, " + Describe.size(c);
  }

  private static void nsfPlots(StringBuilder html, ScanReport report) {
    html.append("<h2>Neuron stimulation functions</h2>\n");
    if (report.getNsfSummariesCount() == 0) {
      html.append("<p>The report carries no NSF summaries.</p>\n");
      return;
    }
    html.append("<p>Logit of every label as the neuron's value is raised; the label the neuron elevates is ")
        .append("drawn in red.</p>\n<div class=\"plots\">");
    for (NeuronStimulation nsf : report.getNsfSummariesList()) {
      html.append("<figure>").append(NsfPlot.svg(nsf, nsf.getTopLabel()))
          .append("<figcaption>").append(Html.escape(nsf.getLayer() + " neuron " + nsf.getNeuron()))
          .append(String.format(Locale.ROOT, ", label %d, score %.3f", nsf.getTopLabel(), nsf.getScore()))
          .append("</figcaption></figure>");
    }
    html.append("</div>\n");
  }

  private static void parameters(StringBuilder html, ScanParameters parameters) {
    html.append("<h2>Parameters</h2>\n");
    List<String[]> rows = parameters.getDescriptorForType().getFields().stream()
        .map(field -> row(field.getName(), fieldValue(parameters, field)))
        .toList();
    table(html, rows);
  }

  private static void timings(StringBuilder html, Timings timings) {
    html.append("<h2>Timings</h2>\n");
    table(html, List.of(
        row("loading", seconds(timings.getLoadSeconds())),
        row("stimulation", seconds(timings.getStimulationSeconds())),
        row("selection", seconds(timings.getSelectionSeconds())),
        row("reverse engineering", seconds(timings.getReverseEngineeringSeconds())),
        row("total", seconds(timings.getTotalSeconds()))));
  }

  private static String fieldValue(ScanParameters parameters, FieldDescriptor field) {
    Object value = parameters.getField(field);
    if (value instanceof List<?> list) {
      return list.stream().map(String::valueOf).collect(Collectors.joining(", "));
    }
    return String.valueOf(value);
  }

  private static void image(StringBuilder html, ByteString png, String caption) {
    if (png.isEmpty()) {
      return;
    }
    html.append("<figure><img class=\"px\" alt=\"").append(Html.escape(caption))
        .append("\" src=\"data:image/png;base64,").append(Base64.getEncoder().encodeToString(png.toByteArray()))
        .append("\"><figcaption>").append(Html.escape(caption)).append("</figcaption></figure>");
  }

  private static void table(StringBuilder html, List<String[]> rows) {
    html.append("<table>");
    for (String[] row : rows) {
      html.append("<tr><th>").append(Html.escape(row[0])).append("</th><td>").append(Html.escape(row[1]))
          .append("</td></tr>");
    }
    html.append("</table>\n");
  }

  private static void cells(StringBuilder html, Object... values) {
    for (Object value : values) {
      html.append("<td>").append(Html.escape(value)).append("</td>");
    }
  }

  private static String[] row(String name, Object value) {
    return new String[] {name, String.valueOf(value)};
  }

  private static String fmt(float value) {
    return String.format(Locale.ROOT, "%.3f", value);
  }

  private static String seconds(double value) {
    return String.format(Locale.ROOT, "%.2f s", value);
  }
}
