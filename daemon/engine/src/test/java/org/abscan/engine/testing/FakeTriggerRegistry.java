package org.abscan.engine.testing;

import java.util.List;
import java.util.Set;
import org.abscan.engine.TriggerApplierRegistry;
import org.abscan.spi.AbscanException;
import org.abscan.spi.ErrorCategory;
import org.abscan.spi.trigger.TriggerApplier;
import org.abscan.spi.trigger.TriggerBatch;
import org.abscan.spi.trigger.TriggerKind;
import org.abscan.spi.trigger.TriggerSpec;
import org.tensorflow.op.Ops;

/**
 * "pixel" and "filter" for tests whose reverse engineering is a fake: the appliers declare nothing, and an
 * unknown name is refused as the real registry refuses it.
 */
public final class FakeTriggerRegistry implements TriggerApplierRegistry {
  @Override
  public TriggerApplier applier(String name) {
    if (!names().contains(name)) {
      throw new AbscanException(ErrorCategory.INVALID_ARGUMENT, "no trigger " + name,
          List.of(new AbscanException.Violation("parameters.triggers", "unknown trigger " + name)));
    }
    return new TriggerApplier() {
      @Override
      public TriggerKind kind() {
        return TriggerKind.PIXEL;
      }

      @Override
      public TriggerBatch declare(Ops tf, TriggerSpec spec) {
        throw new UnsupportedOperationException("the fake reverse engineering declares nothing");
      }
    };
  }

  @Override
  public Set<String> names() {
    return Set.of("pixel", "filter");
  }
}
