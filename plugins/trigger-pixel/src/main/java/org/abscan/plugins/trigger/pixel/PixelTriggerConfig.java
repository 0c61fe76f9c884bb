package org.abscan.plugins.trigger.pixel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.abscan.spi.AbscanException;
import org.abscan.spi.AbscanException.Violation;
import org.abscan.spi.ErrorCategory;

/**
 * Configuration of the pixel applier.
 *
 * @param maskInit the initial mean mask value as a fraction of the size bound (0 &lt; maskInit &lt; 1): the
 *     optimisation starts inside the bound, so the size penalty does not dominate its first steps
 */
public record PixelTriggerConfig(float maskInit) {
  public static final String MASK_INIT = "mask_init";
  public static final float DEFAULT_MASK_INIT = 0.2f;
  private static final Set<String> KEYS = Set.of(MASK_INIT);

  public static PixelTriggerConfig defaults() {
    return new PixelTriggerConfig(DEFAULT_MASK_INIT);
  }

  /**
   * @throws AbscanException INVALID_ARGUMENT naming each unknown key or bad value
   */
  public static PixelTriggerConfig parse(Map<String, String> config) {
    return parse(config, Set.of());
  }

  /** As {@link #parse(Map)}, tolerating {@code extraKeys} that a composing applier handles itself. */
  public static PixelTriggerConfig parse(Map<String, String> config, Set<String> extraKeys) {
    List<Violation> violations = new ArrayList<>();
    for (String key : config.keySet()) {
      if (!KEYS.contains(key) && !extraKeys.contains(key)) {
        violations.add(new Violation(key, "unknown config key; known: " + KEYS));
      }
    }
    float maskInit = DEFAULT_MASK_INIT;
    String raw = config.get(MASK_INIT);
    if (raw != null) {
      try {
        maskInit = Float.parseFloat(raw.trim());
        if (!(maskInit > 0f && maskInit < 1f)) {
          violations.add(new Violation(MASK_INIT, "must lie in (0, 1), got " + raw));
        }
      } catch (NumberFormatException e) {
        violations.add(new Violation(MASK_INIT, "not a number: " + raw));
      }
    }
    if (!violations.isEmpty()) {
      throw new AbscanException(ErrorCategory.INVALID_ARGUMENT, "invalid pixel trigger config", violations);
    }
    return new PixelTriggerConfig(maskInit);
  }
}
