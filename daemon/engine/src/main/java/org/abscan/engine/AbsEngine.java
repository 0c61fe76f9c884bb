package org.abscan.engine;

import java.util.function.Consumer;
import org.abscan.engine.reverse.ReverseEngineering;
import org.abscan.proto.scan.v1.Candidate;
import org.abscan.proto.scan.v1.ScanEvent;
import org.abscan.proto.scan.v1.ScanReport;
import org.abscan.proto.scan.v1.StreamNSFResponse;
import org.abscan.proto.scan.v1.TriggerProgress;

/** PLACEHOLDER until feat/stim merges: the ABS engine implementation replaces this file. */
public final class AbsEngine implements ScanEngine {
  public AbsEngine(TriggerApplierRegistry registry, ReverseEngineering reverseEngineering) {}

  @Override
  public ScanReport scan(ScanInput input, Consumer<ScanEvent> events, Cancellation cancellation) {
    throw new UnsupportedOperationException("engine not merged yet");
  }

  @Override
  public void stimulate(NsfInput input, Consumer<StreamNSFResponse> events, Cancellation cancellation) {
    throw new UnsupportedOperationException("engine not merged yet");
  }

  @Override
  public Candidate generateTrigger(
      TriggerInput input, Consumer<TriggerProgress> progress, Cancellation cancellation) {
    throw new UnsupportedOperationException("engine not merged yet");
  }
}
