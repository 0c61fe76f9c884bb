package org.abscan.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import org.abscan.proto.scan.v1.Candidate;
import org.abscan.proto.scan.v1.ScanReport;
import org.abscan.proto.scan.v1.Verdict;
import org.junit.jupiter.api.Test;

class VerdictCalculatorTest {
  private static Candidate candidate(int label, float reasr, float reasrTrain, float score, boolean bound) {
    return Candidate.newBuilder().setTargetLabel(label).setReasr(reasr).setReasrTrain(reasrTrain)
        .setElevationScore(score).setWithinSizeBound(bound).setRaisesNeuron(true).build();
  }

  @Test
  void tiedReasrGoesToTheTriggerThatAlsoFlipsItsOptimisationImages() {
    // A natural stroke feature (label 2) ties on held-out REASR with the real filter trigger (label 1).
    ScanReport.Builder report = ScanReport.newBuilder()
        .addCandidates(candidate(2, 1.0f, 0.923f, 60.5f, true))
        .addCandidates(candidate(1, 1.0f, 1.0f, 138.4f, true));

    VerdictCalculator.decide(report, 0.88f, 0.05f, List.of());

    assertEquals(1, report.getBestCandidate());
    assertEquals(1, report.getTargetLabel());
    assertEquals(1.0f, report.getMaxReasr());
    assertEquals(Verdict.VERDICT_TROJANED, report.getVerdict());
  }

  @Test
  void fullTieGoesToTheHigherElevationScore() {
    ScanReport.Builder tie = ScanReport.newBuilder()
        .addCandidates(candidate(3, 0.9f, 1.0f, 10f, true))
        .addCandidates(candidate(4, 0.9f, 1.0f, 50f, true));
    VerdictCalculator.decide(tie, 0.88f, 0.05f, List.of());
    assertEquals(4, tie.getTargetLabel());
  }

  @Test
  void evidenceIsTheLowerOfTheTwoSamplesSoATriggerMustFlipBoth() {
    // mnist-nin-benign-s104 in the zoo: a stroke towards 8 flips every held-out image but 86 % of its own.
    ScanReport.Builder natural = ScanReport.newBuilder()
        .addCandidates(candidate(8, 1.0f, 0.857f, 51.9f, true))
        .addCandidates(candidate(3, 0.5f, 0.6f, 10f, true));
    VerdictCalculator.decide(natural, 0.88f, 0.05f, List.of());
    assertEquals(0, natural.getBestCandidate());
    assertEquals(0.857f, natural.getMaxReasr());
    assertEquals(Verdict.VERDICT_BENIGN, natural.getVerdict());

    // The consistent trigger is the evidence even against a higher held-out REASR.
    ScanReport.Builder higher = ScanReport.newBuilder()
        .addCandidates(candidate(5, 0.95f, 0.5f, 1f, true))
        .addCandidates(candidate(6, 0.9f, 1.0f, 500f, true));
    VerdictCalculator.decide(higher, 0.88f, 0.05f, List.of());
    assertEquals(6, higher.getTargetLabel());
    assertEquals(0.9f, higher.getMaxReasr());
    assertEquals(Verdict.VERDICT_TROJANED, higher.getVerdict());
  }

  @Test
  void triggerOverTheSizeBoundNeverCounts() {
    ScanReport.Builder report = ScanReport.newBuilder()
        .addCandidates(candidate(7, 1.0f, 1.0f, 99f, false))
        .addCandidates(candidate(8, 0.5f, 0.5f, 1f, true));

    VerdictCalculator.decide(report, 0.88f, 0.05f, List.of(0.1f, 0.3f));

    assertEquals(8, report.getTargetLabel());
    assertEquals(Verdict.VERDICT_BENIGN, report.getVerdict());
    assertFalse(report.getOutlierScore() == 0f);
  }

  @Test
  void triggerThatLeavesItsNeuronStillCountsOnlyWithTheCheckOff() {
    // gtsrb-vgg-benign-s1 in the zoo: a dense unit dead on every image, its trigger shaped by the logit term.
    Candidate logitOnly = candidate(19, 0.95f, 1.0f, 30f, true).toBuilder().setRaisesNeuron(false).build();
    ScanReport.Builder report = ScanReport.newBuilder()
        .addCandidates(logitOnly)
        .addCandidates(candidate(25, 0.64f, 0.7f, 20f, true));

    VerdictCalculator.decide(report, 0.88f, 0.05f, List.of());
    assertEquals(1, report.getBestCandidate());
    assertEquals(Verdict.VERDICT_BENIGN, report.getVerdict());

    VerdictCalculator.decide(report, 0.88f, -1f, List.of());
    assertEquals(0, report.getBestCandidate());
    assertEquals(19, report.getTargetLabel());
    assertEquals(Verdict.VERDICT_TROJANED, report.getVerdict());
  }
}
