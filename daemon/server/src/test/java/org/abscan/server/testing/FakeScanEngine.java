package org.abscan.server.testing;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.abscan.engine.Cancellation;
import org.abscan.engine.NsfInput;
import org.abscan.engine.ScanEngine;
import org.abscan.engine.ScanInput;
import org.abscan.engine.TriggerInput;
import org.abscan.proto.scan.v1.Candidate;
import org.abscan.proto.scan.v1.ModelLoaded;
import org.abscan.proto.scan.v1.NeuronStimulation;
import org.abscan.proto.scan.v1.ScanEvent;
import org.abscan.proto.scan.v1.ScanReport;
import org.abscan.proto.scan.v1.StimulationProgress;
import org.abscan.proto.scan.v1.StreamNSFResponse;
import org.abscan.proto.scan.v1.TriggerProgress;
import org.abscan.proto.scan.v1.Verdict;

/**
 * A scan engine that emits a fixed, short event sequence. With {@link #holdScans()} each scan blocks after its
 * first events until {@link #release()} or cancellation, which lets tests fill the queue or cancel mid-scan.
 */
public final class FakeScanEngine implements ScanEngine {
  private volatile CountDownLatch gate = new CountDownLatch(0);
  public final AtomicInteger cancelledScans = new AtomicInteger();
  public final AtomicInteger completedScans = new AtomicInteger();

  public void holdScans() {
    gate = new CountDownLatch(1);
  }

  public void release() {
    gate.countDown();
  }

  @Override
  public ScanReport scan(ScanInput input, Consumer<ScanEvent> events, Cancellation cancellation) {
    events.accept(ScanEvent.newBuilder().setModelLoaded(ModelLoaded.newBuilder()
        .setModelSha256(input.modelSha256()).setFormat(input.modelFormat())
        .setSeedImages(input.seeds().count()).setNumLabels(input.model().spec().numLabels())).build());
    try {
      while (!gate.await(10, TimeUnit.MILLISECONDS)) {
        if (cancellation.isCancelled()) {
          cancelledScans.incrementAndGet();
        }
        cancellation.check();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.util.concurrent.CancellationException("interrupted");
    }
    events.accept(ScanEvent.newBuilder().setStimulationProgress(StimulationProgress.newBuilder()
        .setLayer("conv1").setNeuronsDone(4).setNeuronsTotal(4)).build());
    completedScans.incrementAndGet();
    return ScanReport.newBuilder()
        .setVerdict(Verdict.VERDICT_TROJANED)
        .setTargetLabel(7)
        .setMaxReasr(0.95f)
        .setModelSha256(input.modelSha256())
        .setSeedImages(input.seeds().count())
        .build();
  }

  @Override
  public void stimulate(NsfInput input, Consumer<StreamNSFResponse> events, Cancellation cancellation) {
    cancellation.check();
    events.accept(StreamNSFResponse.newBuilder().setNsf(NeuronStimulation.newBuilder()
        .setLayer("conv1").setNeuron(0).setTopLabel(3)).build());
  }

  @Override
  public Candidate generateTrigger(
      TriggerInput input, Consumer<TriggerProgress> progress, Cancellation cancellation) {
    cancellation.check();
    progress.accept(TriggerProgress.newBuilder().setStep(1).setMaxSteps(1).build());
    return Candidate.newBuilder().setLayer(input.layer()).addAllNeurons(input.neurons())
        .setTrigger(input.trigger()).setReasr(1f).build();
  }
}
