package org.abscan.engine.reverse;

import java.util.List;
import java.util.function.Consumer;
import org.abscan.engine.Cancellation;
import org.abscan.engine.TriggerApplierRegistry;
import org.abscan.proto.scan.v1.Candidate;
import org.abscan.proto.scan.v1.TriggerProgress;

/** PLACEHOLDER until feat/reverse merges: the batched Algorithm 2 implementation replaces this file. */
public final class TriggerReverseEngineer implements ReverseEngineering {
  public TriggerReverseEngineer(TriggerApplierRegistry registry) {}

  @Override
  public List<Candidate> reverseEngineer(
      ReverseEngineeringJob job, Consumer<TriggerProgress> progress, Cancellation cancellation) {
    throw new UnsupportedOperationException("reverse engineering not merged yet");
  }
}
