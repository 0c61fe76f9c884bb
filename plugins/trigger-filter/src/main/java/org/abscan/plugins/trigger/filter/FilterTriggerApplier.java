package org.abscan.plugins.trigger.filter;

import org.abscan.spi.trigger.TriggerApplier;
import org.abscan.spi.trigger.TriggerBatch;
import org.abscan.spi.trigger.TriggerKind;
import org.abscan.spi.trigger.TriggerSpec;
import org.tensorflow.op.Ops;

/** One learned one-layer image transformation per candidate. */
public final class FilterTriggerApplier implements TriggerApplier {
  private final float ssimWeight;

  public FilterTriggerApplier(float ssimWeight) {
    this.ssimWeight = ssimWeight;
  }

  @Override
  public TriggerKind kind() {
    return TriggerKind.FEATURE;
  }

  @Override
  public TriggerBatch declare(Ops tf, TriggerSpec spec) {
    return FilterTriggerBatch.declare(tf, spec, ssimWeight);
  }
}
