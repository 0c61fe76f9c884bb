package org.abscan.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.abscan.proto.scan.v1.LabelCapMode;
import org.abscan.proto.scan.v1.Sampling;
import org.abscan.proto.scan.v1.ScanParameters;
import org.abscan.spi.AbscanException;
import org.abscan.spi.ErrorCategory;
import org.junit.jupiter.api.Test;

class ScanParameterDefaultsTest {
  @Test
  void zeroFieldsTakeTheDocumentedDefaults() {
    ScanParameters p = ScanParameterDefaults.resolve(ScanParameters.getDefaultInstance());
    assertEquals(Sampling.SAMPLING_ADAPTIVE, p.getSampling());
    assertEquals(5, p.getSamples());
    assertEquals(8f, p.getSampleK());
    assertEquals(10, p.getTopK());
    assertEquals(5, p.getPerLayerCap());
    assertEquals(List.of("pixel", "filter"), p.getTriggersList());
    assertEquals(1000, p.getReSteps());
    assertEquals(0.1f, p.getLearningRate());
    assertEquals(0.04f, p.getMaxTriggerSize());
    assertEquals(0.92f, p.getThreshold());
    assertEquals(1.0f, p.getTargetLogitWeight());
    assertEquals(0.3f, p.getReFraction());
    assertEquals(1L, p.getSeed());
    assertEquals(10, p.getBaselineNeurons());
    assertEquals("", p.getDevice());
    assertEquals(0, p.getBatchRows());
    assertEquals(0.05f, p.getMinNeuronLift());
    assertEquals(2, p.getPerLabelCap());
    assertEquals(LabelCapMode.LABEL_CAP_MODE_ADD, p.getLabelCapMode());
    assertEquals(200, p.getSlowTriggerSteps());
    assertEquals(3, p.getCorroboratingNeurons());
    assertEquals(100, p.getFastTriggerSteps());
    assertEquals(p.getTopK(), p.getLabelCover(), "the label cover defaults to top_k");
  }

  @Test
  void perLayerCapRoundsUpAndExplicitValuesStay() {
    ScanParameters p = ScanParameterDefaults.resolve(ScanParameters.newBuilder()
        .setTopK(7).setTargetLogitWeight(-1f).setDevice("/GPU:0").setSampling(Sampling.SAMPLING_GRID)
        .setMinNeuronLift(-1f).setPerLabelCap(ScanParameterDefaults.NO_LABEL_CAP)
        .setLabelCapMode(LabelCapMode.LABEL_CAP_MODE_REPLACE)
        .setSlowTriggerSteps(ScanParameterDefaults.NO_SLOW_TRIGGER_RULE)
        .setCorroboratingNeurons(ScanParameterDefaults.NO_CORROBORATION)
        .setFastTriggerSteps(ScanParameterDefaults.NO_FAST_TRIGGERS)
        .setLabelCover(ScanParameterDefaults.NO_LABEL_COVER).build());
    assertEquals(-1, p.getLabelCover());
    assertEquals(-1, p.getCorroboratingNeurons());
    assertEquals(-1, p.getFastTriggerSteps());
    assertEquals(7, ScanParameterDefaults.resolve(ScanParameters.newBuilder().setTopK(7).build()).getLabelCover());
    assertEquals(-1f, p.getMinNeuronLift());
    assertEquals(-1, p.getSlowTriggerSteps());
    assertEquals(-1, p.getPerLabelCap());
    assertEquals(LabelCapMode.LABEL_CAP_MODE_REPLACE, p.getLabelCapMode());
    assertEquals(4, p.getPerLayerCap());
    assertEquals(7, p.getBaselineNeurons());
    assertEquals(-1f, p.getTargetLogitWeight());
    assertEquals(Sampling.SAMPLING_GRID, p.getSampling());
  }

  @Test
  void aHarnessNamesTheLabelCapModeAddOrReplaceInAnyCase() {
    assertEquals(LabelCapMode.LABEL_CAP_MODE_ADD, ScanParameterDefaults.labelCapMode("add"));
    assertEquals(LabelCapMode.LABEL_CAP_MODE_REPLACE, ScanParameterDefaults.labelCapMode("REPLACE"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ScanParameterDefaults.labelCapMode("unspecified"));
    assertEquals("expected add or replace, got 'unspecified'", e.getMessage());
  }

  @Test
  void everyBadFieldIsNamed() {
    AbscanException e = assertThrows(AbscanException.class, () -> ScanParameterDefaults.resolve(
        ScanParameters.newBuilder()
            .setTopK(-1)
            .setReFraction(1.5f)
            .setThreshold(2f)
            .setDevice("tpu")
            .setBatchRows(-3)
            .setSamples(-2)
            .setMinNeuronLift(Float.NaN)
            .setPerLabelCap(-2)
            .setLabelCapModeValue(9)
            .setLabelCover(-2)
            .setSlowTriggerSteps(-2)
            .setCorroboratingNeurons(-4)
            .setFastTriggerSteps(-3)
            .build()));
    assertEquals(ErrorCategory.INVALID_ARGUMENT, e.category());
    assertEquals(List.of("parameters.samples", "parameters.top_k", "parameters.per_label_cap",
            "parameters.label_cap_mode", "parameters.label_cover", "parameters.slow_trigger_steps",
            "parameters.corroborating_neurons", "parameters.fast_trigger_steps", "parameters.threshold",
            "parameters.min_neuron_lift",
            "parameters.re_fraction", "parameters.device", "parameters.batch_rows"),
        e.violations().stream().map(AbscanException.Violation::subject).toList());
  }
}
