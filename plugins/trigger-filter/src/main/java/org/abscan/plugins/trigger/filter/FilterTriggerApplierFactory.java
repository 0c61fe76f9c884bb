package org.abscan.plugins.trigger.filter;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.abscan.spi.AbscanException;
import org.abscan.spi.AbscanException.Violation;
import org.abscan.spi.ErrorCategory;
import org.abscan.spi.PluginContext;
import org.abscan.spi.trigger.TriggerApplier;
import org.abscan.spi.trigger.TriggerApplierFactory;

/** Creates {@link FilterTriggerApplier}s; the only config key is {@code ssim_weight}. */
public final class FilterTriggerApplierFactory implements TriggerApplierFactory {
  public static final String NAME = "filter";
  public static final String SSIM_WEIGHT = "ssim_weight";
  /** Appendix G: ABS works for w4 from 0.1 to 10; our loss is scale-free, so 1 sits in that range. */
  public static final float DEFAULT_SSIM_WEIGHT = 1.0f;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "feature-space trigger: a learned per-pixel map of the image and its 3x3 max/min/avg pools, "
        + "kept close to the image by SSIM";
  }

  @Override
  public TriggerApplier create(Map<String, String> config, PluginContext context) {
    List<Violation> violations = new ArrayList<>();
    float ssimWeight = DEFAULT_SSIM_WEIGHT;
    for (Map.Entry<String, String> e : config.entrySet()) {
      if (!e.getKey().equals(SSIM_WEIGHT)) {
        violations.add(new Violation(e.getKey(), "unknown config key; known: [" + SSIM_WEIGHT + "]"));
        continue;
      }
      try {
        ssimWeight = Float.parseFloat(e.getValue().trim());
        if (!(ssimWeight >= 0f) || !Float.isFinite(ssimWeight)) {
          violations.add(new Violation(SSIM_WEIGHT, "must be a finite number >= 0, got " + e.getValue()));
        }
      } catch (NumberFormatException ex) {
        violations.add(new Violation(SSIM_WEIGHT, "not a number: " + e.getValue()));
      }
    }
    if (!violations.isEmpty()) {
      throw new AbscanException(ErrorCategory.INVALID_ARGUMENT, "invalid filter trigger config", violations);
    }
    return new FilterTriggerApplier(ssimWeight);
  }
}
