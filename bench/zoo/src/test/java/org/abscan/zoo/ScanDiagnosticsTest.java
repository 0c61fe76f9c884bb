package org.abscan.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.abscan.engine.ScanParameterDefaults;
import org.abscan.engine.VerdictCalculator;
import org.abscan.proto.scan.v1.Candidate;
import org.abscan.proto.scan.v1.LabelCapMode;
import org.abscan.proto.scan.v1.ScanParameters;
import org.abscan.proto.scan.v1.ScanReport;
import org.abscan.proto.scan.v1.Verdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScanDiagnosticsTest {
  @TempDir
  Path dir;

  private Manifest manifest() {
    return new Manifest("mnist-lenet-benign-s1", "abc", "mnist", "lenet", "none", "benign", "", -1, -1, 0, 0, 0.9,
        1, 5, 0.97, null, 4.2, true, dir.resolve("model.pb").toString());
  }

  private static Candidate candidate(String kind, float reasr, float size, int target, boolean within) {
    return Candidate.newBuilder().setTriggerKind(kind).setReasr(reasr).setReasrTrain(reasr).setMaskSize(size)
        .setTargetLabel(target).setWithinSizeBound(within).setRaisesNeuron(true).build();
  }

  @Test
  void aSavedScanComesBackAsItWasAndTheRowShowsTheBestTriggerOfEachKindWithinTheBound() throws Exception {
    Manifest m = manifest();
    assertNull(ScanDiagnostics.load(m), "nothing saved yet");
    ScanParameters p = ScanParameters.newBuilder().setThreshold(ScanParameterDefaults.THRESHOLD)
        .setSlowTriggerSteps(ScanParameterDefaults.SLOW_TRIGGER_STEPS).setMinNeuronLift(0.05f)
        .setCorroboratingNeurons(ScanParameterDefaults.CORROBORATING_NEURONS)
        .setFastTriggerSteps(ScanParameterDefaults.FAST_TRIGGER_STEPS).build();
    ScanReport.Builder scan = ScanReport.newBuilder().setParameters(p)
        .addCandidates(candidate("pixel", 0.5f, 0.04f, 3, true))
        .addCandidates(candidate("pixel", 0.9f, 0.08f, 6, false))
        .addCandidates(candidate("feature", 0.25f, 0f, 8, true))
        .addCandidates(candidate("feature", 1.0f, 0f, 9, true).toBuilder().setRaisesNeuron(false).build());
    // Decided as a scan decides it, so that the saved report is one today's rules would give.
    VerdictCalculator.decide(scan, p, List.of(0.1f, 0.3f));
    ScanReport report = scan.build();
    assertEquals(Verdict.VERDICT_BENIGN, report.getVerdict());
    ScanDiagnostics.save(new ZooEvaluator.Result(m, report, 12.5));
    assertTrue(Files.isRegularFile(dir.resolve("scan.json")));

    ZooEvaluator.Result loaded = ScanDiagnostics.load(m);
    assertEquals(report, loaded.report());
    assertEquals(12.5, loaded.wallSeconds(), 1e-3);
    String row = ScanDiagnostics.row(loaded);
    assertTrue(row.contains("0.500/0.040/3"), "best pixel trigger within the bound, not the 0.9 one: " + row);
    assertTrue(row.contains("0.250/0.000/8"), "best feature-space trigger that raises its neuron: " + row);
    assertTrue(row.contains("0.200/0.300"), "baseline mean/max: " + row);
  }

  @Test
  void aScanSavedAtAnEarlierDefaultThresholdIsReDecidedAtTodaysFromItsCandidates() throws Exception {
    Manifest m = manifest();
    ScanReport atOldThreshold = ScanReport.newBuilder().setVerdict(Verdict.VERDICT_TROJANED).setMaxReasr(0.9f)
        .setTargetLabel(6).setBestCandidate(1)
        .setParameters(ScanParameters.newBuilder().setThreshold(0.88f).setMinNeuronLift(0.05f))
        .addCandidates(candidate("pixel", 0.5f, 0.04f, 3, true))
        .addCandidates(candidate("pixel", 0.9f, 0.04f, 6, true))
        .addBaselineReasrs(0.1f).build();
    ScanDiagnostics.save(new ZooEvaluator.Result(m, atOldThreshold, 3.0));
    ScanReport loaded = ScanDiagnostics.load(m).report();
    assertEquals(ScanParameterDefaults.THRESHOLD, loaded.getParameters().getThreshold());
    assertEquals(Verdict.VERDICT_BENIGN, loaded.getVerdict(), "0.9 is under today's threshold");
    assertEquals(0.9f, loaded.getMaxReasr());
    assertEquals(6, loaded.getTargetLabel());
    assertEquals(List.of(0.1f), loaded.getBaselineReasrsList());

    ScanDiagnostics.save(new ZooEvaluator.Result(m, atOldThreshold.toBuilder()
        .setCandidates(1, candidate("pixel", 0.95f, 0.04f, 6, true)).setMaxReasr(0.95f).build(), 3.0));
    assertEquals(Verdict.VERDICT_TROJANED, ScanDiagnostics.load(m).report().getVerdict(), "0.95 is over it");
  }

  @Test
  void aScanDecidedByAnEarlierTieBreakComesBackDecidedByTodays() throws Exception {
    // Saved with the tie decided by the elevation score alone: the trigger for 12, found 172 steps later.
    Manifest m = manifest();
    ScanParameters p = ScanParameters.newBuilder().setThreshold(ScanParameterDefaults.THRESHOLD)
        .setSlowTriggerSteps(ScanParameterDefaults.SLOW_TRIGGER_STEPS).setMinNeuronLift(0.05f).build();
    ScanReport saved = ScanReport.newBuilder().setVerdict(Verdict.VERDICT_TROJANED).setMaxReasr(1f)
        .setTargetLabel(12).setBestCandidate(0).setParameters(p)
        .addCandidates(candidate("pixel", 1f, 0.04f, 12, true).toBuilder().setElevationScore(90f)
            .setFoundAtStep(406).build())
        .addCandidates(candidate("pixel", 1f, 0.04f, 11, true).toBuilder().setElevationScore(40f)
            .setFoundAtStep(234).build())
        .addBaselineReasrs(0.1f).build();
    ScanDiagnostics.save(new ZooEvaluator.Result(m, saved, 3.0));

    ScanReport loaded = ScanDiagnostics.load(m).report();
    assertEquals(11, loaded.getTargetLabel());
    assertEquals(1, loaded.getBestCandidate());
    assertEquals(Verdict.VERDICT_TROJANED, loaded.getVerdict());
  }

  @Test
  void aScanWithTheLabelCapAddedIsReplayedOnEitherSelectionAloneOrWithoutTheLabelCover() throws Exception {
    Manifest m = manifest();
    ScanParameters added = ScanParameters.newBuilder().setThreshold(ScanParameterDefaults.THRESHOLD)
        .setSlowTriggerSteps(ScanParameterDefaults.SLOW_TRIGGER_STEPS).setMinNeuronLift(0.05f)
        .setPerLabelCap(2).setLabelCapMode(LabelCapMode.LABEL_CAP_MODE_ADD).build();
    ScanReport scan = ScanReport.newBuilder().setVerdict(Verdict.VERDICT_TROJANED).setMaxReasr(1f)
        .setTargetLabel(4).setBestCandidate(1).setParameters(added)
        .addCandidates(candidate("pixel", 0.5f, 0.04f, 3, true).toBuilder().setSelectedByTopK(true)
            .setSelectedByLabelCap(true).build())
        // The third neuron of a label the cap held to two: the top k's only.
        .addCandidates(candidate("pixel", 1f, 0.04f, 4, true).toBuilder().setSelectedByTopK(true).build())
        // A label the top k left out: the cap's only.
        .addCandidates(candidate("pixel", 0.95f, 0.04f, 7, true).toBuilder().setSelectedByLabelCap(true).build())
        // A label both left out: the label cover's, tied with the trigger for 4 and standing out more.
        .addCandidates(candidate("pixel", 1f, 0.04f, 9, true).toBuilder().setElevationScore(5f)
            .setSelectedByLabelCover(true).build())
        .addBaselineReasrs(0.1f).build();
    ScanDiagnostics.save(new ZooEvaluator.Result(m, scan, 3.0));

    ScanReport all = ScanDiagnostics.load(m, ScanDiagnostics.Replay.ALL).report();
    assertEquals(4, all.getCandidatesCount());
    assertEquals(9, all.getTargetLabel());
    ScanReport twoSelections = ScanDiagnostics.load(m, ScanDiagnostics.Replay.NO_LABEL_COVER).report();
    assertEquals(3, twoSelections.getCandidatesCount());
    assertEquals(4, twoSelections.getTargetLabel(), "without the cover's 9, the top k's 4 decides");
    assertEquals(LabelCapMode.LABEL_CAP_MODE_ADD, twoSelections.getParameters().getLabelCapMode());
    assertEquals(ScanParameterDefaults.NO_LABEL_COVER, twoSelections.getParameters().getLabelCover());
    ScanReport topK = ScanDiagnostics.load(m, ScanDiagnostics.Replay.TOP_K).report();
    assertEquals(2, topK.getCandidatesCount());
    assertEquals(4, topK.getTargetLabel());
    assertEquals(ScanParameterDefaults.NO_LABEL_CAP, topK.getParameters().getPerLabelCap());
    ScanReport capped = ScanDiagnostics.load(m, ScanDiagnostics.Replay.LABEL_CAP).report();
    assertEquals(2, capped.getCandidatesCount());
    assertEquals(7, capped.getTargetLabel(), "without the top k's third neuron for 4, the cap's 7 decides");
    assertEquals(0.95f, capped.getMaxReasr());
    assertEquals(LabelCapMode.LABEL_CAP_MODE_REPLACE, capped.getParameters().getLabelCapMode());

    ScanDiagnostics.save(new ZooEvaluator.Result(m, scan.toBuilder()
        .setParameters(added.toBuilder().setLabelCapMode(LabelCapMode.LABEL_CAP_MODE_REPLACE)).build(), 3.0));
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> ScanDiagnostics.load(m, ScanDiagnostics.Replay.TOP_K));
    assertTrue(e.getMessage().contains("not made with the label cap added"), e.getMessage());
  }

  @Test
  void aSavedScanIsDecidedWithCorroborationAndCanBeReplayedWithout() throws Exception {
    // Holdout 11's GTSRB32 ResNet red square -> 40, saved before corroborating_neurons existed: its best trigger for
    // 40 is slow at 0.92, two other neurons' triggers for 40 reach 0.85 and 0.86, a fast one for 12 reaches 0.88.
    Manifest m = manifest();
    ScanReport saved = ScanReport.newBuilder()
        .setParameters(ScanParameters.newBuilder().setThreshold(ScanParameterDefaults.THRESHOLD)
            .setMinNeuronLift(0.05f).setSlowTriggerSteps(ScanParameterDefaults.SLOW_TRIGGER_STEPS))
        .addCandidates(candidate("pixel", 0.92f, 0.04f, 40, true).toBuilder().setLayer("stem").setSteps(368).build())
        .addCandidates(candidate("pixel", 0.86f, 0.04f, 40, true).toBuilder().setLayer("widen").setSteps(230).build())
        .addCandidates(candidate("pixel", 0.85f, 0.04f, 40, true).toBuilder().setLayer("res1").setSteps(435).build())
        .addCandidates(candidate("pixel", 0.88f, 0.04f, 12, true).toBuilder().setLayer("res2").setSteps(90).build())
        .build();
    ScanDiagnostics.save(new ZooEvaluator.Result(m, saved, 3.0));

    ScanReport decided = ScanDiagnostics.load(m).report();
    assertEquals(ScanParameterDefaults.CORROBORATING_NEURONS, decided.getParameters().getCorroboratingNeurons());
    assertEquals(Verdict.VERDICT_TROJANED, decided.getVerdict());
    assertEquals(40, decided.getTargetLabel());
    assertTrue(decided.getCandidates(0).getCorroborated());
    String row = ScanDiagnostics.row(ScanDiagnostics.load(m));
    assertTrue(row.contains("0.920/0.040/40"), "the corroborated trigger is the best pixel trigger: " + row);

    ScanReport without = ScanDiagnostics.load(m, ScanDiagnostics.Replay.NO_CORROBORATION).report();
    assertEquals(ScanParameterDefaults.NO_CORROBORATION, without.getParameters().getCorroboratingNeurons());
    assertEquals(Verdict.VERDICT_BENIGN, without.getVerdict());
    assertEquals(12, without.getTargetLabel());
    assertEquals(4, without.getCandidatesCount(), "every candidate is kept");
  }

  @Test
  void aSavedScanIsDecidedWithTwoFastWindowsAndCanBeReplayedWithOne() throws Exception {
    // Holdout 10's GTSRB32 VGG yellow square -> 28, saved before fast_trigger_steps existed: its planted square
    // flips every image, found at step 84 without raising its neuron; a natural trigger for 26 reaches 0.93.
    Manifest m = manifest();
    ScanReport saved = ScanReport.newBuilder()
        .setParameters(ScanParameters.newBuilder().setThreshold(ScanParameterDefaults.THRESHOLD)
            .setMinNeuronLift(0.05f).setSlowTriggerSteps(ScanParameterDefaults.SLOW_TRIGGER_STEPS))
        .addCandidates(candidate("pixel", 1.0f, 0.04f, 28, true).toBuilder().setRaisesNeuron(false)
            .setFoundAtStep(84).setSteps(109).build())
        .addCandidates(candidate("pixel", 0.932f, 0.04f, 26, true).toBuilder().setFoundAtStep(150).setSteps(175)
            .build())
        .build();
    ScanDiagnostics.save(new ZooEvaluator.Result(m, saved, 3.0));

    ScanReport decided = ScanDiagnostics.load(m).report();
    assertEquals(ScanParameterDefaults.FAST_TRIGGER_STEPS, decided.getParameters().getFastTriggerSteps());
    assertEquals(28, decided.getTargetLabel());
    assertTrue(decided.getCandidates(0).getCounts());

    ScanReport oneWindow = ScanDiagnostics.load(m, ScanDiagnostics.Replay.ONE_FAST_WINDOW).report();
    assertEquals(ScanDiagnostics.ONE_WINDOW, oneWindow.getParameters().getFastTriggerSteps());
    assertFalse(oneWindow.getCandidates(0).getCounts(), "found after one window, leaving its neuron still");
    assertEquals(26, oneWindow.getTargetLabel());
    assertEquals(2, oneWindow.getCandidatesCount(), "every candidate is kept");
  }

  @Test
  void aScanSavedBeforeTheSlowTriggerRuleIsReDecidedWithIt() throws Exception {
    // mnist-lenet-benign-s110 in the zoo: a stroke towards 2 at evidence 0.923 after 378 steps was its evidence.
    Manifest m = manifest();
    ScanReport beforeTheRule = ScanReport.newBuilder().setVerdict(Verdict.VERDICT_TROJANED).setMaxReasr(0.923f)
        .setTargetLabel(2).setBestCandidate(0)
        .setParameters(ScanParameters.newBuilder().setThreshold(ScanParameterDefaults.THRESHOLD)
            .setMinNeuronLift(0.05f))
        .addCandidates(candidate("pixel", 0.923f, 0.04f, 2, true).toBuilder().setSteps(378).build())
        .addCandidates(candidate("pixel", 0.4f, 0.03f, 5, true).toBuilder().setSteps(120).build())
        .build();
    ScanDiagnostics.save(new ZooEvaluator.Result(m, beforeTheRule, 3.0));

    ScanReport loaded = ScanDiagnostics.load(m).report();
    assertEquals(ScanParameterDefaults.SLOW_TRIGGER_STEPS, loaded.getParameters().getSlowTriggerSteps());
    assertEquals(Verdict.VERDICT_BENIGN, loaded.getVerdict());
    assertEquals(5, loaded.getTargetLabel(), "the slow stroke no longer counts");
    assertEquals(0.4f, loaded.getMaxReasr());
    assertFalse(loaded.getCandidates(0).getCounts());
  }

  @Test
  void tiesGoToTheTriggerTheVerdictWouldPickWhoseNeuronStoodOutMore() {
    ScanReport report = ScanReport.newBuilder().setVerdict(Verdict.VERDICT_TROJANED).setMaxReasr(1.0f)
        .addCandidates(candidate("pixel", 1.0f, 0.03f, 4, true).toBuilder().setReasrTrain(1.0f)
            .setElevationScore(10f).build())
        .addCandidates(candidate("pixel", 1.0f, 0.02f, 7, true).toBuilder().setReasrTrain(1.0f)
            .setElevationScore(50f).build())
        .addCandidates(candidate("pixel", 1.0f, 0.01f, 2, true).toBuilder().setReasrTrain(0.9f)
            .setElevationScore(90f).build())
        .build();
    String row = ScanDiagnostics.row(new ZooEvaluator.Result(manifest(), report, 1.0));
    assertTrue(row.contains("1.000/0.020/7"), "equal REASRs: the higher elevation score among full flips: " + row);
  }

  @Test
  void theRowShowsATriggersEvidenceTheLowerOfItsTwoReasrs() {
    ScanReport report = ScanReport.newBuilder().setVerdict(Verdict.VERDICT_BENIGN).setMaxReasr(0.8f)
        .addCandidates(candidate("pixel", 1.0f, 0.04f, 8, true).toBuilder().setReasrTrain(0.714f).build())
        .addCandidates(candidate("pixel", 0.8f, 0.03f, 5, true))
        .build();
    String row = ScanDiagnostics.row(new ZooEvaluator.Result(manifest(), report, 1.0));
    assertTrue(row.contains("0.800/0.030/5"), "the trigger that flips 80 % of both samples: " + row);
  }
}
