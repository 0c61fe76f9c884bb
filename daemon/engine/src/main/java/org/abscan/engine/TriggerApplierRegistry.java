package org.abscan.engine;

import java.util.Set;
import org.abscan.spi.trigger.TriggerApplier;

/** The trigger appliers the host's plugins provide, by name. */
public interface TriggerApplierRegistry {
  /**
   * @throws org.abscan.spi.AbscanException INVALID_ARGUMENT naming the trigger if none has that name
   */
  TriggerApplier applier(String name);

  Set<String> names();
}
