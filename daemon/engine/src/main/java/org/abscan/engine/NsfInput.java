package org.abscan.engine;

import java.util.List;
import org.abscan.proto.common.v1.Preprocessing;
import org.abscan.proto.scan.v1.ScanParameters;
import org.abscan.spi.model.LoadedModel;

/**
 * Inputs of a stimulation-only run.
 *
 * @param neurons neurons of each analysed layer to stream (empty: all)
 * @param perImage also stream one curve per seed image, not only the aggregate
 */
public record NsfInput(
    LoadedModel model,
    SeedImages seeds,
    Preprocessing preprocessing,
    ScanParameters parameters,
    List<Integer> neurons,
    boolean perImage) {}
