package org.abscan.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.abscan.proto.scan.v1.LabelCapMode;
import org.abscan.proto.scan.v1.ScanParameters;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ZooMainTest {
  @Test
  void diagnosticOptionsReachTheScanParameters() {
    ZooMain main = new ZooMain();
    new CommandLine(main).parseArgs("evaluate", "--label-specific", "--max-trigger-size", "0.06", "--top-k", "20",
        "--target-logit-weight", "0.5", "--per-label-cap", "2", "--label-cap-mode", "REPLACE");
    ScanParameters p = main.diagnosticParameters();
    assertTrue(p.getLabelSpecific());
    assertEquals(0.06f, p.getMaxTriggerSize());
    assertEquals(20, p.getTopK());
    assertEquals(0.5f, p.getTargetLogitWeight());
    assertEquals(2, p.getPerLabelCap());
    assertEquals(LabelCapMode.LABEL_CAP_MODE_REPLACE, p.getLabelCapMode());
  }

  @Test
  void aZeroLogitWeightSwitchesTheTermOffInsteadOfMeaningTheDefault() {
    ZooMain main = new ZooMain();
    new CommandLine(main).parseArgs("evaluate", "--target-logit-weight", "0");
    assertTrue(main.diagnosticParameters().getTargetLogitWeight() < 0f);
  }

  @Test
  void withoutOptionsTheDiagnosticScanUsesTheDefaults() {
    ZooMain main = new ZooMain();
    new CommandLine(main).parseArgs("evaluate");
    ScanParameters p = main.diagnosticParameters();
    assertFalse(p.getLabelSpecific());
    assertEquals(ScanParameters.getDefaultInstance(), p);
  }

  @Test
  void seedsPerClassIsADiagnosticAndNeedsOneImageEachSide(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
    ZooMain main = new ZooMain();
    new CommandLine(main).parseArgs("evaluate", "--seeds-per-class", "4");
    assertEquals(4, main.seedsPerClass);
    assertEquals(ScanParameters.getDefaultInstance(), main.diagnosticParameters(), "seeds are not a parameter");
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> new ZooEvaluator(new ZooBuilder(dir, dir), ScanParameters.getDefaultInstance(), 1));
    assertTrue(e.getMessage().contains("--seeds-per-class must be at least 2"), e.getMessage());
  }
}
