package org.abscan.server.services;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.abscan.engine.ScanParameterDefaults;
import org.abscan.proto.scan.v1.LabelCapMode;
import org.abscan.proto.scan.v1.ScanParameters;
import org.abscan.spi.AbscanException;
import org.abscan.spi.ErrorCategory;
import org.abscan.spi.model.ModelSpec;

/**
 * Checks request parameters before any work starts, collecting every problem (one violation per field) so a
 * client fixes them all in one round trip. Zero values mean "default" and are always valid.
 */
public final class ParameterValidator {
  private final List<AbscanException.Violation> violations = new ArrayList<>();
  private final String prefix;

  public ParameterValidator(String prefix) {
    this.prefix = prefix;
  }

  /** Checks that need no model. */
  public ParameterValidator check(ScanParameters p, Set<String> knownTriggers) {
    nonNegative("samples", p.getSamples());
    nonNegative("top_k", p.getTopK());
    nonNegative("per_layer_cap", p.getPerLayerCap());
    countOrOff("per_label_cap", p.getPerLabelCap(), ScanParameterDefaults.NO_LABEL_CAP, "no cap", "candidates");
    if (p.getLabelCapMode() == LabelCapMode.UNRECOGNIZED) {
      add("label_cap_mode", ScanParameterDefaults.unknownLabelCapMode(p.getLabelCapModeValue()));
    }
    countOrOff("label_cover", p.getLabelCover(), ScanParameterDefaults.NO_LABEL_COVER, "none", "labels");
    nonNegative("re_steps", p.getReSteps());
    countOrOff("slow_trigger_steps", p.getSlowTriggerSteps(), ScanParameterDefaults.NO_SLOW_TRIGGER_RULE,
        "every trigger counts", "steps");
    countOrOff("corroborating_neurons", p.getCorroboratingNeurons(), ScanParameterDefaults.NO_CORROBORATION,
        "never", "neurons");
    countOrOff("fast_trigger_steps", p.getFastTriggerSteps(), ScanParameterDefaults.NO_FAST_TRIGGERS,
        "never", "steps");
    nonNegative("baseline_neurons", p.getBaselineNeurons());
    nonNegative("batch_rows", p.getBatchRows());
    if (p.getSampleK() < 0 || !Float.isFinite(p.getSampleK())) {
      add("sample_k", "must be a non-negative number");
    }
    if (p.getLearningRate() < 0 || !Float.isFinite(p.getLearningRate())) {
      add("learning_rate", "must be a non-negative number");
    }
    fraction("max_trigger_size", p.getMaxTriggerSize(), true);
    fraction("threshold", p.getThreshold(), true);
    fraction("re_fraction", p.getReFraction(), false);
    for (int i = 0; i < p.getTriggersCount(); i++) {
      if (!knownTriggers.contains(p.getTriggers(i))) {
        add("triggers[" + i + "]", "unknown trigger '" + p.getTriggers(i) + "'; known: " + knownTriggers);
      }
    }
    return this;
  }

  /** Layer names must exist in the loaded model. */
  public ParameterValidator checkLayers(List<String> layers, ModelSpec spec, String field) {
    for (int i = 0; i < layers.size(); i++) {
      if (spec.layer(layers.get(i)).isEmpty()) {
        violations.add(new AbscanException.Violation(field + "[" + i + "]",
            "the model has no layer '" + layers.get(i) + "'"));
      }
    }
    return this;
  }

  public void addViolation(String field, String description) {
    violations.add(new AbscanException.Violation(field, description));
  }

  /** @throws AbscanException INVALID_ARGUMENT listing every violation */
  public void throwIfInvalid() {
    if (!violations.isEmpty()) {
      throw new AbscanException(ErrorCategory.INVALID_ARGUMENT,
          "invalid request: " + violations.get(0).subject() + ": " + violations.get(0).description()
              + (violations.size() > 1 ? " (and " + (violations.size() - 1) + " more)" : ""),
          violations);
    }
  }

  private void nonNegative(String field, long value) {
    if (value < 0) {
      add(field, "must not be negative, got " + value);
    }
  }

  /** A count whose {@code off} value (-1) switches its rule off, 0 meaning the default. */
  private void countOrOff(String field, int value, int off, String offMeaning, String unit) {
    if (value < off) {
      add(field, "must be " + off + " (" + offMeaning + "), 0 (the default) or a positive number of " + unit);
    }
  }

  private void fraction(String field, float value, boolean inclusive) {
    boolean ok = Float.isFinite(value) && value >= 0 && (inclusive ? value <= 1 : value < 1);
    if (!ok) {
      add(field, "must be in [0, 1" + (inclusive ? "]" : ")") + ", got " + value);
    }
  }

  private void add(String field, String description) {
    violations.add(new AbscanException.Violation(prefix + "." + field, description));
  }
}
