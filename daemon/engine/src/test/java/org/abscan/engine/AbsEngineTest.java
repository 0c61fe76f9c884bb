package org.abscan.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;
import org.abscan.engine.reverse.ReverseEngineering;
import org.abscan.engine.reverse.ReverseEngineeringJob;
import org.abscan.engine.testing.FakeTriggerRegistry;
import org.abscan.engine.testing.PlantedModels;
import org.abscan.engine.testing.TestSeeds;
import org.abscan.engine.testing.TinyModel;
import org.abscan.proto.common.v1.Preprocessing;
import org.abscan.proto.scan.v1.Candidate;
import org.abscan.proto.scan.v1.Sampling;
import org.abscan.proto.scan.v1.ScanEvent;
import org.abscan.proto.scan.v1.ScanParameters;
import org.abscan.proto.scan.v1.ScanReport;
import org.abscan.proto.scan.v1.StreamNSFResponse;
import org.abscan.proto.scan.v1.TriggerProgress;
import org.abscan.proto.scan.v1.Verdict;
import org.abscan.spi.AbscanException;
import org.abscan.spi.ErrorCategory;
import org.abscan.spi.trigger.NeuronCandidate;
import org.junit.jupiter.api.Test;

/** The facade with a fake reverse engineering: event order, verdict, baseline and inputs it receives. */
class AbsEngineTest {
  private final TinyModel model = PlantedModels.compromised();
  private final SeedImages seeds = TestSeeds.random(3, 10, 3, 1, PlantedModels.LABELS);
  private final FakeReverseEngineering fake = new FakeReverseEngineering();
  private final AbsEngine engine = new AbsEngine(new FakeTriggerRegistry(), fake);

  @Test
  void scanEmitsEventsInOrderAndDecidesFromTheBestTrigger() {
    List<ScanEvent> events = new ArrayList<>();
    // No label cover: two candidates (the cover's own test is below).
    ScanReport report = engine.scan(input(ScanParameters.newBuilder().setTopK(2).setPerLayerCap(2)
        .setLabelCover(ScanParameterDefaults.NO_LABEL_COVER).setBaselineNeurons(4).build()), events::add,
        Cancellation.NEVER);

    List<ScanEvent.KindCase> kinds = events.stream().map(ScanEvent::getKindCase).toList();
    assertEquals(ScanEvent.KindCase.MODEL_LOADED, kinds.get(0));
    int selected = kinds.indexOf(ScanEvent.KindCase.CANDIDATES_SELECTED);
    assertTrue(selected > 1, kinds.toString());
    assertTrue(kinds.subList(1, selected).stream().allMatch(k -> k == ScanEvent.KindCase.STIMULATION_PROGRESS));
    assertTrue(kinds.subList(selected + 1, kinds.size()).stream().allMatch(
        k -> k == ScanEvent.KindCase.TRIGGER_PROGRESS || k == ScanEvent.KindCase.CANDIDATE_RESULT));
    assertEquals(4, kinds.stream().filter(k -> k == ScanEvent.KindCase.CANDIDATE_RESULT).count(),
        "2 candidates x 2 triggers");
    ScanEvent last = events.get(events.size() - 1);
    assertEquals(ScanEvent.KindCase.CANDIDATE_RESULT, last.getKindCase());
    assertEquals(3, last.getCandidateResult().getCandidateIndex());
    var progress = events.get(selected - 1).getStimulationProgress();
    assertEquals(progress.getAllNeuronsTotal(), progress.getAllNeuronsDone());
    assertEquals(6, events.get(0).getModelLoaded().getTotalNeurons());

    assertEquals(Verdict.VERDICT_TROJANED, report.getVerdict());
    assertEquals(PlantedModels.TARGET, report.getTargetLabel());
    assertEquals(1f, report.getMaxReasr());
    assertEquals(PlantedModels.COMPROMISED, report.getCandidates(report.getBestCandidate()).getNeuron());
    assertEquals(4, report.getCandidatesCount());
    assertEquals(List.of("pixel", "pixel", "filter", "filter"),
        report.getCandidatesList().stream().map(Candidate::getTrigger).toList());
    assertTrue(report.getCandidates(0).getElevationScore() > 0);
    assertTrue(report.getCandidates(0).getPeakValue() > 0);
    assertEquals(4, report.getBaselineReasrsCount());
    assertTrue(report.getOutlierScore() > 0);
    assertEquals(2, report.getNsfSummariesCount());
    assertEquals(6, report.getNeuronsAnalysed());
    assertEquals(10, report.getSeedImages());
    assertEquals("sha", report.getModelSha256());
    assertEquals(Sampling.SAMPLING_ADAPTIVE, report.getParameters().getSampling());
    assertFalse(report.getTensorflowVersion().isEmpty());
    assertTrue(report.getTimings().getTotalSeconds() >= report.getTimings().getStimulationSeconds());

    // Reverse engineering got the split seeds (30 % of 10) and the selected neurons; the 4 baseline neurons
    // ride in the pixel job after the 2 selected ones (one graph), and only the selected ones are reported.
    ReverseEngineeringJob first = fake.job("pixel");
    assertEquals(3, first.optimisationImages().count());
    assertEquals(7, first.heldOutImages().count());
    assertEquals(PlantedModels.COMPROMISED, first.candidates().get(0).neuron());
    assertEquals(2, fake.jobs.size());
    assertEquals("pixel", first.trigger());
    assertEquals(2 + 4, first.candidates().size());
    assertEquals(2, fake.job("filter").candidates().size());
    assertTrue(events.stream().filter(ScanEvent::hasTriggerProgress)
        .allMatch(e -> e.getTriggerProgress().getCandidateIndex() < 4), "no progress for baseline neurons");
  }

  @Test
  void labelSpecificTriggersUseOneSourceLabelsImages() {
    ScanReport report = engine.scan(input(ScanParameters.newBuilder().setTopK(2).setPerLayerCap(2)
        .setLabelCover(ScanParameterDefaults.NO_LABEL_COVER).addTriggers("pixel").setLabelSpecific(true).build()),
        e -> { }, Cancellation.NEVER);
    List<Candidate> specific = report.getCandidatesList().stream().filter(Candidate::hasSourceLabel).toList();
    assertFalse(specific.isEmpty());
    assertEquals(2, report.getCandidatesCount() - specific.size(), "the 2 ordinary pixel triggers come first");
    for (Candidate c : specific) {
      assertTrue(c.getSourceLabel() != c.getTargetLabel());
    }
    // Every label-specific job saw images of its source label only (the jobs run side by side, so they are
    // told apart from the ordinary job by their images, not by the order they started in).
    List<ReverseEngineeringJob> labelSpecific =
        fake.jobs.stream().filter(j -> j.heldOutImages().count() < 7).toList();
    assertEquals(fake.jobs.size() - 1, labelSpecific.size());
    for (ReverseEngineeringJob job : labelSpecific) {
      int source = job.heldOutImages().labels()[0];
      for (int l : job.heldOutImages().labels()) {
        assertEquals(source, l);
      }
      for (int l : job.optimisationImages().labels()) {
        assertEquals(source, l);
      }
    }
  }

  @Test
  void theLabelCoversCandidatesAreReverseEngineeredAndReportedAsItsOwn() {
    ScanParameters oneCandidate = ScanParameters.newBuilder().setTopK(1).addTriggers("pixel")
        .setPerLabelCap(ScanParameterDefaults.NO_LABEL_CAP).setLabelCover(ScanParameterDefaults.NO_LABEL_COVER)
        .build();
    ScanReport without = engine.scan(input(oneCandidate), e -> { }, Cancellation.NEVER);
    ScanReport with = engine.scan(input(oneCandidate.toBuilder().setLabelCover(PlantedModels.LABELS).build()),
        e -> { }, Cancellation.NEVER);

    assertEquals(1, without.getCandidatesCount());
    List<Candidate> covering = with.getCandidatesList().stream().filter(Candidate::getSelectedByLabelCover).toList();
    assertFalse(covering.isEmpty(), "the cover adds candidates: " + with.getCandidatesList());
    assertEquals(with.getCandidatesCount(), covering.size() + 1);
    assertTrue(covering.stream().noneMatch(c -> c.getSelectedByTopK() || c.getSelectedByLabelCap()));
    assertTrue(covering.stream().noneMatch(c -> c.getTargetLabel() == without.getCandidates(0).getTargetLabel()),
        "only labels the top k left out");
    assertEquals(covering.size(), covering.stream().map(Candidate::getTargetLabel).distinct().count(),
        "one neuron per label");
  }

  @Test
  void benignWhenNoTriggerReachesTheThreshold() {
    fake.reasrForTarget = 0.5f;
    ScanReport report = engine.scan(input(ScanParameters.newBuilder().setTopK(2).build()), e -> { },
        Cancellation.NEVER);
    assertEquals(Verdict.VERDICT_BENIGN, report.getVerdict());
    assertEquals(0.5f, report.getMaxReasr());
  }

  @Test
  void unknownLayerAndTriggerAreInvalidArguments() {
    AbscanException layer = assertThrows(AbscanException.class, () -> engine.scan(
        input(ScanParameters.newBuilder().addLayers("nope").build()), e -> { }, Cancellation.NEVER));
    assertEquals(ErrorCategory.INVALID_ARGUMENT, layer.category());
    assertEquals("parameters.layers", layer.violations().get(0).subject());
    AbscanException trigger = assertThrows(AbscanException.class, () -> engine.scan(
        input(ScanParameters.newBuilder().addTriggers("laser").build()), e -> { }, Cancellation.NEVER));
    assertEquals("parameters.triggers", trigger.violations().get(0).subject());
  }

  @Test
  void cancellationStopsTheScan() {
    assertThrows(CancellationException.class,
        () -> engine.scan(input(ScanParameters.getDefaultInstance()), e -> { }, () -> true));
  }

  @Test
  void stimulateStreamsAggregateAndPerImageCurves() {
    List<StreamNSFResponse> out = new ArrayList<>();
    engine.stimulate(new NsfInput(model, seeds, Preprocessing.getDefaultInstance(),
        ScanParameters.newBuilder().setSampling(Sampling.SAMPLING_GRID).build(), List.of(1, 3), true),
        out::add, Cancellation.NEVER);
    var nsfs = out.stream().filter(StreamNSFResponse::hasNsf).map(StreamNSFResponse::getNsf).toList();
    assertEquals(2 * (1 + 10), nsfs.size());
    assertEquals(-1, nsfs.get(0).getImageIndex());
    assertEquals(1, nsfs.get(0).getNeuron());
    assertEquals(5, nsfs.get(0).getValuesCount());
    assertEquals(PlantedModels.LABELS, nsfs.get(0).getLabelsCount());
    assertEquals(PlantedModels.TARGET, nsfs.get(11).getTopLabel());
    assertTrue(out.get(out.size() - 1).hasProgress());
  }

  @Test
  void generateTriggerFindsTheTargetLabelByStimulation() {
    List<TriggerProgress> progress = new ArrayList<>();
    Candidate c = engine.generateTrigger(new TriggerInput(model, seeds, Preprocessing.getDefaultInstance(),
        ScanParameters.getDefaultInstance(), "hidden", List.of(PlantedModels.COMPROMISED), OptionalInt.empty(),
        ""), progress::add, Cancellation.NEVER);
    assertEquals(PlantedModels.TARGET, c.getTargetLabel());
    assertEquals("hidden", c.getLayer());
    assertEquals(1f, c.getReasr());
    assertEquals(1, progress.size());
    AbscanException bad = assertThrows(AbscanException.class, () -> engine.generateTrigger(
        new TriggerInput(model, seeds, Preprocessing.getDefaultInstance(), ScanParameters.getDefaultInstance(),
            "hidden", List.of(99), OptionalInt.of(40), "pixel"), p -> { }, Cancellation.NEVER));
    assertEquals(List.of("neurons", "target_label"),
        bad.violations().stream().map(AbscanException.Violation::subject).toList());
  }

  private ScanInput input(ScanParameters parameters) {
    return new ScanInput(model, seeds, Preprocessing.getDefaultInstance(), parameters, "sha", "tiny");
  }

  /** REASR 1 (or reasrForTarget) on both samples for the planted neuron, 0-0.2 for any other. */
  private static final class FakeReverseEngineering implements ReverseEngineering {
    /** Synchronized: the scan runs its trigger kinds' jobs on threads of their own. */
    final List<ReverseEngineeringJob> jobs = java.util.Collections.synchronizedList(new ArrayList<>());
    float reasrForTarget = 1f;

    ReverseEngineeringJob job(String trigger) {
      return jobs.stream().filter(j -> j.trigger().equals(trigger)).findFirst().orElseThrow();
    }

    @Override
    public List<Candidate> reverseEngineer(
        ReverseEngineeringJob job, Consumer<TriggerProgress> progress, Cancellation cancellation) {
      jobs.add(job);
      List<Candidate> out = new ArrayList<>();
      for (int i = 0; i < job.candidates().size(); i++) {
        NeuronCandidate c = job.candidates().get(i);
        progress.accept(TriggerProgress.newBuilder().setCandidateIndex(i).setTrigger(job.trigger()).build());
        boolean planted = c.neuron() == PlantedModels.COMPROMISED && c.layer().equals("hidden");
        float reasr = planted ? reasrForTarget : 0.1f * (i % 3);
        out.add(Candidate.newBuilder().setReasr(reasr).setReasrTrain(reasr)
            .setWithinSizeBound(true).setRaisesNeuron(true).setTrigger(job.trigger()).setTriggerKind("pixel").build());
      }
      return out;
    }
  }
}
