package org.abscan.zoo;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.abscan.proto.scan.v1.ScanReport;
import org.abscan.proto.scan.v1.Verdict;
import org.junit.jupiter.api.Test;

class ZooReportTest {
  private static ZooEvaluator.Result result(String name, int target, double rate, boolean flagged) {
    Manifest m = new Manifest(name, "h", "mnist", "lenet", target < 0 ? "none" : "square_yellow",
        target < 0 ? "" : "patch", target < 0 ? "" : "pixel", target, -1, rate, 0.04, 1.0, 1, 5, 0.97,
        target < 0 ? null : 0.99, 3.0, true, "unused/model.pb");
    ScanReport report = ScanReport.newBuilder()
        .setVerdict(flagged ? Verdict.VERDICT_TROJANED : Verdict.VERDICT_BENIGN)
        .setTargetLabel(Math.max(target, 0)).setMaxReasr(flagged ? 1f : 0.2f).setBestCandidate(-1).build();
    return new ZooEvaluator.Result(m, report, 1.0);
  }

  @Test
  void thePoisoningRowsAreTheRatesTheSetsTrojansUse() {
    List<ZooEvaluator.Result> zoo = List.of(result("a", 3, 0.2, true), result("b", 4, 0.09, false),
        result("c", -1, 0, false));
    String md = ZooReport.markdown("evaluate", "holdout6", zoo, List.of(), List.of(), 0.92f, 0.04f, "test",
        "gallery.html");
    assertTrue(md.contains("| poisoning 9 % | 1 | 0 (0.0 %"), md);
    assertTrue(md.contains("| poisoning 20 % | 1 | 1 (100.0 %"), md);
    assertFalse(md.contains("poisoning 1 %") || md.contains("poisoning 50 %"), "no rows for rates the set lacks");
    assertFalse(md.contains("poisoning 0 %"), "benign models have no rate");
  }
}
