package org.abscan.bench;

import org.abscan.proto.scan.v1.Candidate;
import org.abscan.proto.scan.v1.ScanReport;

/** Formats one benchmark row: per-phase times and the throughput figures the issue asks for. */
final class BenchmarkTable {
  private BenchmarkTable() {}

  static String header() {
    return String.format("%-8s | %8s | %8s | %8s | %8s | %12s | %10s | %-8s | %6s | %5s",
        "run", "wall s", "stim s", "select s", "RE s", "stim rows/s", "RE steps/s", "verdict",
        "reasr", "label");
  }

  /**
   * Stimulated rows = neurons analysed x images x samples per neuron (grid sampling; adaptive sampling varies
   * per neuron, so the figure is then a lower bound). RE steps = the sum of each trigger's optimisation steps.
   */
  static String row(String label, double wall, ScanReport report) {
    double stim = report.getTimings().getStimulationSeconds();
    double re = report.getTimings().getReverseEngineeringSeconds();
    long rows = (long) report.getNeuronsAnalysed() * report.getSeedImages()
        * Math.max(1, report.getParameters().getSamples());
    long steps = 0;
    for (Candidate c : report.getCandidatesList()) {
      steps += c.getSteps();
    }
    return String.format("%-8s | %8.2f | %8.2f | %8.2f | %8.2f | %12.0f | %10.0f | %-8s | %6.2f | %5s",
        label, wall, stim, report.getTimings().getSelectionSeconds(), re,
        stim > 0 ? rows / stim : 0.0, re > 0 ? steps / re : 0.0,
        report.getVerdict().name().replace("VERDICT_", ""), report.getMaxReasr(),
        report.hasTargetLabel() ? String.valueOf(report.getTargetLabel()) : "-");
  }
}
