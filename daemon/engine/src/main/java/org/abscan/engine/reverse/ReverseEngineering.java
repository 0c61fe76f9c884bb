package org.abscan.engine.reverse;

import java.util.List;
import java.util.function.Consumer;
import org.abscan.engine.Cancellation;
import org.abscan.proto.scan.v1.Candidate;
import org.abscan.proto.scan.v1.TriggerProgress;

/** Algorithm 2 (trigger reverse engineering) and REASR for a batch of candidates and one trigger applier. */
public interface ReverseEngineering {
  /**
   * Optimises one trigger per group of candidates (the applier decides the grouping, see
   * {@link org.abscan.spi.trigger.TriggerApplier#group}), all groups batched in one graph, and measures each
   * trigger's REASR on the held-out images.
   *
   * @return one {@link Candidate} per trigger, in group order, with reasr, reasr_train, mask_size,
   *     within_size_bound, images, steps, trigger and trigger_kind filled
   */
  List<Candidate> reverseEngineer(
      ReverseEngineeringJob job, Consumer<TriggerProgress> progress, Cancellation cancellation);
}
