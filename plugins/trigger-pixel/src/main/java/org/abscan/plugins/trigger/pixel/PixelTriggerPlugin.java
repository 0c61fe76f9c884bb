package org.abscan.plugins.trigger.pixel;

import java.util.List;
import org.abscan.spi.Plugin;
import org.abscan.spi.trigger.TriggerApplierFactory;

/** Contributes the {@code pixel} trigger applier: a masked patch, PIXEL_APPLY of Algorithm 2. */
public final class PixelTriggerPlugin implements Plugin {
  @Override
  public Iterable<TriggerApplierFactory> getTriggerApplierFactories() {
    return List.of(new PixelTriggerApplierFactory());
  }
}
