package org.abscan.plugins.trigger.filter;

import java.util.List;
import org.abscan.spi.Plugin;
import org.abscan.spi.trigger.TriggerApplierFactory;

/** Contributes the {@code filter} trigger applier: FEATURE_APPLY of Algorithm 2 (section 4.4). */
public final class FilterTriggerPlugin implements Plugin {
  @Override
  public Iterable<TriggerApplierFactory> getTriggerApplierFactories() {
    return List.of(new FilterTriggerApplierFactory());
  }
}
