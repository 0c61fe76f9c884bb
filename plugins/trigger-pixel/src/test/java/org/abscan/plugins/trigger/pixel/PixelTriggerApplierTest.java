package org.abscan.plugins.trigger.pixel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.abscan.spi.AbscanException;
import org.abscan.spi.ErrorCategory;
import org.abscan.spi.testkit.TriggerApplierContractTest;
import org.abscan.spi.trigger.TriggerApplierFactory;
import org.abscan.spi.trigger.TriggerKind;
import org.junit.jupiter.api.Test;

class PixelTriggerApplierTest extends TriggerApplierContractTest {
  @Override
  protected TriggerApplierFactory factory() {
    return new PixelTriggerApplierFactory();
  }

  @Override
  protected String expectedName() {
    return "pixel";
  }

  @Override
  protected TriggerKind expectedKind() {
    return TriggerKind.PIXEL;
  }

  @Override
  protected boolean fitsToBound() {
    return true;
  }

  @Override
  protected Map<String, String> validConfig() {
    return Map.of("mask_init", "0.4");
  }

  @Test
  void maskInitOutsideTheUnitIntervalIsRejected() {
    AbscanException e = assertThrows(AbscanException.class,
        () -> factory().create(Map.of("mask_init", "1.5"), context()));
    assertEquals(ErrorCategory.INVALID_ARGUMENT, e.category());
    assertEquals("mask_init", e.violations().get(0).subject());
  }

  @Test
  void atanhOfUnitInvertsTheSquash() {
    for (float u : new float[] {0.01f, 0.3f, 0.5f, 0.97f}) {
      float v = PixelTriggerBatch.atanhOfUnit(u);
      assertEquals(u, (float) (Math.tanh(v) / 2 + 0.5), 1e-5f);
    }
  }
}
