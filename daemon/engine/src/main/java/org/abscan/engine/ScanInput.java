package org.abscan.engine;

import org.abscan.proto.common.v1.Preprocessing;
import org.abscan.proto.scan.v1.ScanParameters;
import org.abscan.spi.model.LoadedModel;

/**
 * A scan's inputs, already resolved by the caller.
 *
 * @param parameters as requested: zero values take the documented defaults
 * @param modelSha256 for the report
 * @param modelFormat the loader's name, for the report
 */
public record ScanInput(
    LoadedModel model,
    SeedImages seeds,
    Preprocessing preprocessing,
    ScanParameters parameters,
    String modelSha256,
    String modelFormat) {}
