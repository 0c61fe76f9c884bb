package org.abscan.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;
import org.abscan.engine.reverse.ReverseEngineering;
import org.abscan.engine.reverse.ReverseEngineeringJob;
import org.abscan.engine.testing.FakeTriggerRegistry;
import org.abscan.engine.testing.PlantedModels;
import org.abscan.engine.testing.TestSeeds;
import org.abscan.proto.common.v1.Preprocessing;
import org.abscan.proto.scan.v1.Candidate;
import org.abscan.proto.scan.v1.ScanEvent;
import org.abscan.proto.scan.v1.ScanParameters;
import org.abscan.proto.scan.v1.ScanReport;
import org.abscan.proto.scan.v1.Timings;
import org.abscan.proto.scan.v1.TriggerProgress;
import org.abscan.spi.trigger.NeuronCandidate;
import org.junit.jupiter.api.Test;

/** Trigger kinds run side by side give the report and result events a sequential scan gives. */
class FullScanConcurrencyTest {
  private final ScanInput input = new ScanInput(PlantedModels.compromised(),
      TestSeeds.random(3, 10, 3, 1, PlantedModels.LABELS), Preprocessing.getDefaultInstance(),
      ScanParameters.newBuilder().setTopK(3).setPerLayerCap(3).setBaselineNeurons(4).setLabelSpecific(true)
          .build(), "sha", "tiny");

  @Test
  void concurrentScanReportsWhatTheSequentialScanReports() {
    List<ScanEvent> sequentialEvents = new ArrayList<>();
    ScanReport sequential = scan(1, sequentialEvents);
    List<ScanEvent> concurrentEvents = Collections.synchronizedList(new ArrayList<>());
    ScanReport concurrent = scan(4, concurrentEvents);

    assertTrue(sequential.getCandidatesCount() > 6, "ordinary and label-specific candidates of both kinds");
    assertEquals(withoutTimings(sequential), withoutTimings(concurrent));
    assertEquals(results(sequentialEvents), results(concurrentEvents));
    // Progress arrives interleaved, but each event still names the report index of its candidate.
    for (ScanEvent e : concurrentEvents) {
      if (e.hasTriggerProgress()) {
        TriggerProgress p = e.getTriggerProgress();
        assertEquals(p.getTrigger(), concurrent.getCandidates(p.getCandidateIndex()).getTrigger());
      }
    }
  }

  private ScanReport scan(int parallelism, List<ScanEvent> events) {
    return new FullScan(new FakeTriggerRegistry(), new SlowPixel(), events::add, Cancellation.NEVER, parallelism)
        .run(input);
  }

  private static ScanReport withoutTimings(ScanReport report) {
    return report.toBuilder().setTimings(Timings.getDefaultInstance()).build();
  }

  private static List<String> results(List<ScanEvent> events) {
    return events.stream().filter(ScanEvent::hasCandidateResult)
        .map(e -> e.getCandidateResult().getCandidateIndex() + ":" + e.getCandidateResult().getCandidate())
        .toList();
  }

  /** Results derived from the candidates only; the pixel job is slower, so it finishes last when concurrent. */
  private static final class SlowPixel implements ReverseEngineering {
    @Override
    public List<Candidate> reverseEngineer(
        ReverseEngineeringJob job, Consumer<TriggerProgress> progress, Cancellation cancellation) {
      if (job.trigger().equals("pixel")) {
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      List<Candidate> out = new ArrayList<>();
      for (int i = 0; i < job.candidates().size(); i++) {
        NeuronCandidate c = job.candidates().get(i);
        progress.accept(TriggerProgress.newBuilder().setCandidateIndex(i).setTrigger(job.trigger()).build());
        float reasr = (c.neuron() * 7 + job.optimisationImages().count()) % 10 / 10f;
        out.add(Candidate.newBuilder().setReasr(reasr).setReasrTrain(reasr)
            .setWithinSizeBound(true).setRaisesNeuron(true).setTrigger(job.trigger()).setTriggerKind("pixel").build());
      }
      return out;
    }
  }
}
