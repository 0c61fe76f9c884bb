package org.abscan.engine;

import java.util.List;
import java.util.OptionalInt;
import org.abscan.proto.common.v1.Preprocessing;
import org.abscan.proto.scan.v1.ScanParameters;
import org.abscan.spi.model.LoadedModel;

/**
 * Inputs of a single trigger reverse engineering.
 *
 * @param neurons one neuron, or several optimised together
 * @param targetLabel empty: the label stimulation analysis finds for the neuron(s)
 * @param trigger trigger-apply plugin name
 */
public record TriggerInput(
    LoadedModel model,
    SeedImages seeds,
    Preprocessing preprocessing,
    ScanParameters parameters,
    String layer,
    List<Integer> neurons,
    OptionalInt targetLabel,
    String trigger) {}
