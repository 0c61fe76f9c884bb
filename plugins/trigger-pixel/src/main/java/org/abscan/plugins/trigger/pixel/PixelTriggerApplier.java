package org.abscan.plugins.trigger.pixel;

import org.abscan.spi.trigger.TriggerApplier;
import org.abscan.spi.trigger.TriggerBatch;
import org.abscan.spi.trigger.TriggerKind;
import org.abscan.spi.trigger.TriggerSpec;
import org.tensorflow.op.Ops;

/** One trigger per candidate, each a mask and a pattern (PIXEL_APPLY of Algorithm 2). */
public final class PixelTriggerApplier implements TriggerApplier {
  private final PixelTriggerConfig config;

  public PixelTriggerApplier(PixelTriggerConfig config) {
    this.config = config;
  }

  @Override
  public TriggerKind kind() {
    return TriggerKind.PIXEL;
  }

  @Override
  public TriggerBatch declare(Ops tf, TriggerSpec spec) {
    return PixelTriggerBatch.declare(tf, spec, config);
  }
}
