package org.abscan.cli.report;

import java.io.PrintWriter;
import java.util.Locale;
import org.abscan.proto.scan.v1.Candidate;
import org.abscan.proto.scan.v1.ScanReport;
import org.abscan.proto.scan.v1.Verdict;

/** The few lines a person reads after a scan: verdict, target label, best REASR and the candidate behind it. */
public final class ReportSummary {
  private ReportSummary() {}

  public static void print(ScanReport report, PrintWriter out) {
    out.println("verdict         " + verdictName(report.getVerdict()));
    out.println("target label    " + (report.hasTargetLabel() ? String.valueOf(report.getTargetLabel()) : "none"));
    out.println(String.format(Locale.ROOT, "best REASR      %.3f (threshold %.2f)", report.getMaxReasr(),
        report.getParameters().getThreshold()));
    int best = report.getBestCandidate();
    if (best >= 0 && best < report.getCandidatesCount()) {
      Candidate candidate = report.getCandidates(best);
      out.println("best candidate  " + Describe.neurons(candidate) + ", " + candidate.getTrigger() + " trigger, "
          + Describe.size(candidate));
    } else {
      out.println("best candidate  none");
    }
    out.println(String.format(Locale.ROOT, "scan            %s: %d neurons analysed, %d seed images, %.1f s",
        report.getScanId(), report.getNeuronsAnalysed(), report.getSeedImages(),
        report.getTimings().getTotalSeconds()));
    out.flush();
  }

  /** "TROJANED" rather than "VERDICT_TROJANED". */
  public static String verdictName(Verdict verdict) {
    return verdict.name().replaceFirst("^VERDICT_", "");
  }
}
