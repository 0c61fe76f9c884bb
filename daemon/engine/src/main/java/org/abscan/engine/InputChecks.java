package org.abscan.engine;

import java.util.ArrayList;
import java.util.List;
import org.abscan.spi.AbscanException;
import org.abscan.spi.AbscanException.Violation;
import org.abscan.spi.ErrorCategory;
import org.abscan.spi.model.InputSpec;
import org.abscan.spi.model.ModelSpec;

/** Checks that the seed images fit the model. */
final class InputChecks {
  private InputChecks() {}

  /** @throws AbscanException INVALID_ARGUMENT naming "seeds" */
  static void seeds(SeedImages seeds, ModelSpec spec) {
    List<Violation> violations = new ArrayList<>();
    InputSpec in = spec.input();
    if (seeds.count() == 0) {
      violations.add(new Violation("seeds", "no seed images"));
    }
    if (seeds.height() != in.height() || seeds.width() != in.width() || seeds.channels() != in.channels()) {
      violations.add(new Violation("seeds", "images are " + seeds.height() + "x" + seeds.width() + "x"
          + seeds.channels() + " but the model's input " + in.name() + " is " + in.height() + "x"
          + in.width() + "x" + in.channels()));
    }
    for (int i = 0; i < seeds.count(); i++) {
      int label = seeds.labels()[i];
      if (label < 0 || label >= spec.numLabels()) {
        violations.add(new Violation("seeds", seeds.names().get(i) + " has label " + label
            + " outside the model's " + spec.numLabels() + " labels"));
        break;
      }
    }
    if (!violations.isEmpty()) {
      throw new AbscanException(ErrorCategory.INVALID_ARGUMENT, "seed images do not fit the model",
          violations);
    }
  }
}
