package org.abscan.engine.stimulation;

import org.abscan.proto.scan.v1.Sampling;

/**
 * How neurons are sampled.
 *
 * @param samples grid: samples per neuron; adaptive: initial samples per direction
 * @param sampleK grid: multiple of the layer's largest activation the grid reaches (the adaptive range too)
 * @param batchRows stimulated rows per Session.run; 0: from the layer size and a memory budget
 * @param linearShortcut skip the affine layers after the stimulated one ({@link LinearShortcut}); results are
 *     the same either way
 */
public record StimulationSettings(
    Sampling sampling, int samples, float sampleK, int batchRows, boolean linearShortcut) {

  public StimulationSettings(Sampling sampling, int samples, float sampleK, int batchRows) {
    this(sampling, samples, sampleK, batchRows, true);
  }

  /** Floats of stimulated layer activations per run when batch_rows is automatic (128 MiB). */
  static final long AUTO_ROW_BUDGET_FLOATS = 32L << 20;
  static final int MAX_AUTO_ROWS = 16384;

  /** Rows per run for a layer of {@code elements} floats per image. */
  int rowsPerRun(long elements) {
    if (batchRows > 0) {
      return batchRows;
    }
    long rows = AUTO_ROW_BUDGET_FLOATS / Math.max(1, elements);
    return (int) Math.max(16, Math.min(MAX_AUTO_ROWS, rows));
  }

  NeuronSampling newSampling(LayerBase base, int neuron) {
    if (sampling == Sampling.SAMPLING_GRID) {
      return new GridSampling(neuron, base.images(), base.numLabels(), samples, sampleK,
          base.maxActivation());
    }
    return AdaptiveSampling.create(base, neuron, samples, sampleK);
  }

  /** Upper bound of samples per neuron and image, for sizing chunks. */
  int maxSamples() {
    return sampling == Sampling.SAMPLING_GRID ? samples : 6 * samples + 8;
  }

  int initialSamples() {
    return sampling == Sampling.SAMPLING_GRID ? samples : 2 * samples + 1;
  }
}
