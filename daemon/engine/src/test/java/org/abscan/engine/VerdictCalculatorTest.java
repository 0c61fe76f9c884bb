package org.abscan.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.abscan.proto.scan.v1.Candidate;
import org.abscan.proto.scan.v1.ScanParameters;
import org.abscan.proto.scan.v1.ScanReport;
import org.abscan.proto.scan.v1.Verdict;
import org.junit.jupiter.api.Test;

class VerdictCalculatorTest {
  /** The defaults (slow_trigger_steps 200) at the threshold these cases were written for. */
  private static final ScanParameters AT_088 = ScanParameters.newBuilder().setThreshold(0.88f).setMinNeuronLift(0.05f)
      .setSlowTriggerSteps(ScanParameterDefaults.SLOW_TRIGGER_STEPS)
      .setFastTriggerSteps(ScanParameterDefaults.FAST_TRIGGER_STEPS).build();

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

    VerdictCalculator.decide(report, AT_088, List.of());

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
    VerdictCalculator.decide(tie, AT_088, List.of());
    assertEquals(4, tie.getTargetLabel());
  }

  @Test
  void aTieGoesToTheTriggerFoundAConvergenceWindowSooner() {
    // gtsrb-resnet-square_yellow-4pc-t11-p15 in the zoo: two triggers for 11 found in 234 and 241 steps tie at
    // 1.000 with one for 12 found in 406, whose neuron stood out more in stimulation.
    Candidate natural = candidate(12, 1f, 1f, 90f, true).toBuilder().setFoundAtStep(406).setSteps(431).build();
    Candidate planted = candidate(11, 1f, 1f, 40f, true).toBuilder().setFoundAtStep(234).setSteps(259).build();
    Candidate planted2 = candidate(11, 1f, 1f, 45f, true).toBuilder().setFoundAtStep(241).setSteps(267).build();
    ScanReport.Builder report = ScanReport.newBuilder()
        .addCandidates(natural).addCandidates(planted).addCandidates(planted2);
    VerdictCalculator.decide(report, AT_088, List.of());
    assertEquals(11, report.getTargetLabel());
    assertEquals(2, report.getBestCandidate(), "of the two found within a window, the one that stood out more");

    // Within a window (50 steps at the default learning rate) the steps are noise: stimulation decides.
    report.setCandidates(0, natural.toBuilder().setFoundAtStep(284));
    VerdictCalculator.decide(report, AT_088, List.of());
    assertEquals(12, report.getTargetLabel());

    // The window scales with the learning rate as the slow-trigger bound does: at half the rate it is 100 steps.
    report.setCandidates(0, natural.toBuilder().setFoundAtStep(330));
    VerdictCalculator.decide(report, AT_088, List.of());
    assertEquals(11, report.getTargetLabel());
    VerdictCalculator.decide(report, AT_088.toBuilder().setLearningRate(0.05f).build(), List.of());
    assertEquals(12, report.getTargetLabel());
  }

  @Test
  void theStepsOnlyBreakTiesAndATriggerNeverFoundCountsItsSteps() {
    // Stronger evidence wins however slowly it was found.
    Candidate stronger = candidate(3, 1f, 1f, 10f, true).toBuilder().setFoundAtStep(190).setSteps(215).build();
    Candidate faster = candidate(4, 1f, 0.96f, 50f, true).toBuilder().setFoundAtStep(0).setSteps(30).build();
    ScanReport.Builder report = ScanReport.newBuilder().addCandidates(stronger).addCandidates(faster);
    VerdictCalculator.decide(report, AT_088, List.of());
    assertEquals(3, report.getTargetLabel());

    // Tied, a trigger without found_at_step (reports from before the field) is as fast as the steps it ran.
    report.setCandidates(1, faster.toBuilder().setReasrTrain(1f));
    VerdictCalculator.decide(report, AT_088, List.of());
    assertEquals(4, report.getTargetLabel());

    // A trigger that does not count takes no part in the tie, however fast.
    report.setCandidates(1, faster.toBuilder().setReasrTrain(1f).setWithinSizeBound(false));
    VerdictCalculator.decide(report, AT_088, List.of());
    assertEquals(3, report.getTargetLabel());
    assertEquals(0, report.getBestCandidate());
  }

  @Test
  void evidenceIsTheLowerOfTheTwoSamplesSoATriggerMustFlipBoth() {
    // mnist-nin-benign-s104 in the zoo: a stroke towards 8 flips every held-out image but 86 % of its own.
    ScanReport.Builder natural = ScanReport.newBuilder()
        .addCandidates(candidate(8, 1.0f, 0.857f, 51.9f, true))
        .addCandidates(candidate(3, 0.5f, 0.6f, 10f, true));
    VerdictCalculator.decide(natural, AT_088, List.of());
    assertEquals(0, natural.getBestCandidate());
    assertEquals(0.857f, natural.getMaxReasr());
    assertEquals(Verdict.VERDICT_BENIGN, natural.getVerdict());

    // The consistent trigger is the evidence even against a higher held-out REASR.
    ScanReport.Builder higher = ScanReport.newBuilder()
        .addCandidates(candidate(5, 0.95f, 0.5f, 1f, true))
        .addCandidates(candidate(6, 0.9f, 1.0f, 500f, true));
    VerdictCalculator.decide(higher, AT_088, List.of());
    assertEquals(6, higher.getTargetLabel());
    assertEquals(0.9f, higher.getMaxReasr());
    assertEquals(Verdict.VERDICT_TROJANED, higher.getVerdict());
  }

  @Test
  void triggerOverTheSizeBoundNeverCounts() {
    ScanReport.Builder report = ScanReport.newBuilder()
        .addCandidates(candidate(7, 1.0f, 1.0f, 99f, false))
        .addCandidates(candidate(8, 0.5f, 0.5f, 1f, true));

    VerdictCalculator.decide(report, AT_088, List.of(0.1f, 0.3f));

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

    VerdictCalculator.decide(report, AT_088, List.of());
    assertEquals(1, report.getBestCandidate());
    assertEquals(Verdict.VERDICT_BENIGN, report.getVerdict());

    VerdictCalculator.decide(report, AT_088.toBuilder().setMinNeuronLift(-1f).build(), List.of());
    assertEquals(0, report.getBestCandidate());
    assertEquals(19, report.getTargetLabel());
    assertEquals(Verdict.VERDICT_TROJANED, report.getVerdict());
  }

  @Test
  void triggerThatLeavesItsNeuronStillCountsWhenFoundWithinTwoConvergenceWindows() {
    // mnist-nin-square_red-4pc-t6-p25 in holdout 10: the planted red square flips every image by step 16 through
    // the logit term; a benign model's natural feature stays in play at 0.90, raising its neuron.
    Candidate planted = candidate(6, 1.0f, 1.0f, 30f, true).toBuilder().setRaisesNeuron(false).setFoundAtStep(16)
        .build();
    ScanReport.Builder report = ScanReport.newBuilder()
        .addCandidates(planted)
        .addCandidates(candidate(8, 0.9f, 0.9f, 40f, true));

    VerdictCalculator.decide(report, AT_088, List.of());
    assertTrue(VerdictCalculator.foundFast(planted, AT_088));
    assertEquals(0, report.getBestCandidate());
    assertEquals(6, report.getTargetLabel());
    assertEquals(Verdict.VERDICT_TROJANED, report.getVerdict());

    // gtsrb-vgg-square_yellow-4pc-t28-p25 in holdout 10: its planted square found at step 84, in the second window.
    report.setCandidates(0, planted.toBuilder().setFoundAtStep(84));
    VerdictCalculator.decide(report, AT_088, List.of());
    assertEquals(0, report.getBestCandidate());
    assertTrue(report.getCandidates(0).getCounts());
    // With one window (sessions 16-17) or none it does not count: the other trigger is the evidence.
    VerdictCalculator.decide(report, AT_088.toBuilder().setFastTriggerSteps(50).build(), List.of());
    assertEquals(1, report.getBestCandidate());
    VerdictCalculator.decide(report,
        AT_088.toBuilder().setFastTriggerSteps(ScanParameterDefaults.NO_FAST_TRIGGERS).build(), List.of());
    assertEquals(1, report.getBestCandidate());
    report.setCandidates(0, planted.toBuilder().setFoundAtStep(16));
    VerdictCalculator.decide(report,
        AT_088.toBuilder().setFastTriggerSteps(ScanParameterDefaults.NO_FAST_TRIGGERS).build(), List.of());
    assertEquals(1, report.getBestCandidate(), "off: even a trigger found at step 16 must raise its neuron");

    // Found one step after the window (fast_trigger_steps at the default learning rate): the lift rule applies
    // again and the other trigger is the evidence.
    int late = ScanParameterDefaults.FAST_TRIGGER_STEPS + 1;
    report.setCandidates(0, planted.toBuilder().setFoundAtStep(late));
    VerdictCalculator.decide(report, AT_088, List.of());
    assertEquals(1, report.getBestCandidate());
    assertFalse(report.getCandidates(0).getCounts());

    // At a tenth of the default learning rate the window is ten times as long.
    ScanParameters slowRate = AT_088.toBuilder().setLearningRate(ScanParameterDefaults.LEARNING_RATE / 10).build();
    VerdictCalculator.decide(report, slowRate, List.of());
    assertEquals(0, report.getBestCandidate());
    assertTrue(report.getCandidates(0).getCounts());
  }

  @Test
  void slowTriggerCountsOnlyWhenItFlipsNearlyEveryImage() {
    // gtsrb-vgg-benign-s202 in the zoo: a filter towards 38 at evidence 0.96 after 259 steps (flagged before the
    // rule), here against a weaker trigger of another label that settled in 40 steps.
    Candidate slowFeature = candidate(38, 0.966f, 0.96f, 80f, true).toBuilder().setSteps(259).build();
    Candidate fast = candidate(25, 0.93f, 0.95f, 10f, true).toBuilder().setSteps(40).build();
    ScanReport.Builder report = ScanReport.newBuilder().addCandidates(slowFeature).addCandidates(fast);

    VerdictCalculator.decide(report, AT_088, List.of());
    assertEquals(1, report.getBestCandidate());
    assertEquals(25, report.getTargetLabel());
    assertFalse(report.getCandidates(0).getCounts(), "the slow trigger is marked as not counting");
    assertTrue(report.getCandidates(1).getCounts());

    // At the step bound the trigger is not slow yet.
    report.setCandidates(0, slowFeature.toBuilder().setSteps(200));
    VerdictCalculator.decide(report, AT_088, List.of());
    assertEquals(38, report.getTargetLabel());

    // A slow trigger that flips every image counts.
    report.setCandidates(0, slowFeature.toBuilder().setReasr(1f).setReasrTrain(1f));
    VerdictCalculator.decide(report, AT_088, List.of());
    assertEquals(38, report.getTargetLabel());
  }

  @Test
  void aTriggerIsSlowByTheStepItWasFoundAtNotByItsConsolidation() {
    // Found (every optimisation image flipped) at step 190, then 25 steps of consolidation: not slow.
    Candidate found = candidate(7, 0.93f, 0.93f, 50f, true).toBuilder().setFoundAtStep(190).setSteps(215).build();
    ScanReport.Builder report = ScanReport.newBuilder().addCandidates(found);
    VerdictCalculator.decide(report, AT_088, List.of());
    assertTrue(report.getCandidates(0).getCounts(), "found within 200 steps");

    // Found at step 210: slow, however it ended.
    report.setCandidates(0, found.toBuilder().setFoundAtStep(210).setSteps(235));
    VerdictCalculator.decide(report, AT_088, List.of());
    assertFalse(report.getCandidates(0).getCounts(), "found after 200 steps");

    // Never found (found_at_step 0, as in reports from before the field): its steps decide.
    report.setCandidates(0, found.toBuilder().setFoundAtStep(0).setSteps(215));
    VerdictCalculator.decide(report, AT_088, List.of());
    assertFalse(report.getCandidates(0).getCounts(), "settled after 200 steps without flipping every image");
  }

  @Test
  void theStepBoundScalesWithTheLearningRate() {
    Candidate settledIn320 = candidate(2, 0.93f, 0.93f, 50f, true).toBuilder().setSteps(320).build();
    ScanReport.Builder report = ScanReport.newBuilder().addCandidates(settledIn320);

    VerdictCalculator.decide(report, AT_088.toBuilder().setLearningRate(0.1f).build(), List.of());
    assertFalse(report.getCandidates(0).getCounts(), "slow at the default rate: 320 > 200");

    VerdictCalculator.decide(report, AT_088.toBuilder().setLearningRate(0.05f).build(), List.of());
    assertTrue(report.getCandidates(0).getCounts(), "at half the rate the bound is 400 steps");
  }

  @Test
  void slowTriggerRuleCanBeSwitchedOff() {
    Candidate slow = candidate(2, 0.93f, 0.93f, 50f, true).toBuilder().setSteps(320).build();
    ScanReport.Builder report = ScanReport.newBuilder().addCandidates(slow);

    VerdictCalculator.decide(report, AT_088, List.of());
    assertEquals(-1, report.getBestCandidate());
    assertEquals(Verdict.VERDICT_BENIGN, report.getVerdict());

    ScanParameters off = AT_088.toBuilder().setSlowTriggerSteps(ScanParameterDefaults.NO_SLOW_TRIGGER_RULE).build();
    VerdictCalculator.decide(report, off, List.of());
    assertEquals(0, report.getBestCandidate());
    assertEquals(Verdict.VERDICT_TROJANED, report.getVerdict());
  }

  /** A trigger of neuron {@code neuron} of {@code layer} for label 40, at {@code evidence} on both samples. */
  private static Candidate trigger(String layer, int neuron, float evidence, int steps) {
    return candidate(40, evidence, evidence, 10f, true).toBuilder().setLayer(layer).setNeuron(neuron)
        .setSteps(steps).build();
  }

  @Test
  void slowTriggerShortOfTheBarCountsWhenThreeNeuronsAgreeOnItsLabel() {
    // Holdout 11's GTSRB32 ResNet red square -> 40: a slow pixel trigger at 0.92, other neurons' partial triggers
    // for 40 at 0.83-0.88 (slow too), and a fast trigger for another label at 0.88.
    ScanParameters p = AT_088.toBuilder().setThreshold(0.92f).setCorroboratingNeurons(3).build();
    ScanReport.Builder report = ScanReport.newBuilder()
        .addCandidates(trigger("stem", 0, 0.92f, 368))
        .addCandidates(trigger("widen", 22, 0.86f, 230))
        .addCandidates(trigger("res1", 0, 0.85f, 435))
        .addCandidates(candidate(12, 0.88f, 0.88f, 60f, true).toBuilder().setSteps(90).build());

    VerdictCalculator.decide(report, p, List.of());
    assertTrue(report.getCandidates(0).getCounts() && report.getCandidates(0).getCorroborated());
    assertTrue(report.getCandidates(1).getCounts() && report.getCandidates(1).getCorroborated(),
        "the slow triggers that corroborate it are corroborated too");
    assertFalse(report.getCandidates(3).getCorroborated(), "not slow: counts on its own");
    assertEquals(0, report.getBestCandidate());
    assertEquals(40, report.getTargetLabel());
    assertEquals(Verdict.VERDICT_TROJANED, report.getVerdict());

    VerdictCalculator.decide(report, p.toBuilder().setCorroboratingNeurons(ScanParameterDefaults.NO_CORROBORATION)
        .build(), List.of());
    assertFalse(report.getCandidates(0).getCounts() || report.getCandidates(0).getCorroborated(), "rule off");
    assertEquals(3, report.getBestCandidate());
    assertEquals(Verdict.VERDICT_BENIGN, report.getVerdict());
  }

  @Test
  void corroborationNeedsDistinctNeuronsThatAreEvidenceAtEvidenceOfAtLeastPointEight() {
    ScanParameters p = AT_088.toBuilder().setThreshold(0.92f).setCorroboratingNeurons(3).build();
    Candidate slow = trigger("stem", 0, 0.92f, 368);
    List<List<Candidate>> notEnough = List.of(
        // the same neuron's filter trigger is the same neuron
        List.of(slow, trigger("stem", 0, 0.95f, 300).toBuilder().setTriggerKind("feature").build(),
            trigger("widen", 22, 0.86f, 230)),
        // one other below 0.8
        List.of(slow, trigger("widen", 22, 0.86f, 230), trigger("res1", 0, 0.79f, 435)),
        // one other leaves its neuron still and was not found fast: no evidence at all
        List.of(slow, trigger("widen", 22, 0.86f, 230),
            trigger("res1", 0, 0.85f, 435).toBuilder().setRaisesNeuron(false).build()),
        // one other is over the size bound
        List.of(slow, trigger("widen", 22, 0.86f, 230),
            trigger("res1", 0, 0.85f, 435).toBuilder().setWithinSizeBound(false).build()),
        // one other is for another label, or label-specific (a source label makes it another label)
        List.of(slow, trigger("widen", 22, 0.86f, 230),
            trigger("res1", 0, 0.85f, 435).toBuilder().setSourceLabel(3).build()));
    for (List<Candidate> candidates : notEnough) {
      ScanReport.Builder report = ScanReport.newBuilder().addAllCandidates(candidates);
      VerdictCalculator.decide(report, p, List.of());
      assertFalse(report.getCandidates(0).getCounts(), candidates.toString());
      assertEquals(Verdict.VERDICT_BENIGN, report.getVerdict());
    }
    // A multi-neuron trigger is one neuron set; a slow trigger itself under 0.8 is not corroborated.
    ScanReport.Builder report = ScanReport.newBuilder()
        .addCandidates(trigger("stem", 0, 0.79f, 368))
        .addCandidates(trigger("widen", 22, 0.86f, 230))
        .addCandidates(trigger("widen", 22, 0.9f, 230).toBuilder().addAllNeurons(List.of(22, 23)).build())
        .addCandidates(trigger("res1", 0, 0.85f, 435));
    VerdictCalculator.decide(report, p, List.of());
    assertFalse(report.getCandidates(0).getCounts(), "0.79 < 0.8");
    assertTrue(report.getCandidates(1).getCounts(), "widen 22, widen [22, 23] and res1 0 agree");
  }
}
