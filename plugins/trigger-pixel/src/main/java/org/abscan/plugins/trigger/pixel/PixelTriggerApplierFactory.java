package org.abscan.plugins.trigger.pixel;

import java.util.Map;
import org.abscan.spi.PluginContext;
import org.abscan.spi.trigger.TriggerApplier;
import org.abscan.spi.trigger.TriggerApplierFactory;

/** Creates {@link PixelTriggerApplier}s; the only config key is {@code mask_init}. */
public final class PixelTriggerApplierFactory implements TriggerApplierFactory {
  public static final String NAME = "pixel";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "patch trigger: x' = x(1 - mask) + pattern * mask, mask and pattern learned per candidate";
  }

  @Override
  public TriggerApplier create(Map<String, String> config, PluginContext context) {
    return new PixelTriggerApplier(PixelTriggerConfig.parse(config));
  }
}
