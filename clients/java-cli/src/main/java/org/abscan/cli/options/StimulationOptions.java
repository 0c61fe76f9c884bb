package org.abscan.cli.options;

import org.abscan.proto.scan.v1.Sampling;
import org.abscan.proto.scan.v1.ScanParameters;
import picocli.CommandLine.Option;

/** Engine flags for stimulation analysis (NSFs); unset flags leave the server's defaults. */
public final class StimulationOptions {
  /** Sampling strategies a user can name. */
  public enum SamplingName { GRID, ADAPTIVE }

  @Option(names = "--sampling", paramLabel = "grid|adaptive",
      description = "Stimulation sampling: the original code's grid or the paper's adaptive procedure (default adaptive).")
  public SamplingName sampling;

  @Option(names = "--samples", paramLabel = "N", description = "Samples per neuron (grid) or initial samples per direction (adaptive) [5].")
  public Integer samples;

  @Option(names = "--seed", paramLabel = "N", description = "Random seed for every random choice [1].")
  public Long seed;

  @Option(names = "--device", paramLabel = "D", description = "TensorFlow device, e.g. /CPU:0 or /GPU:0 [CPU].")
  public String device;

  public void applyTo(ScanParameters.Builder parameters) {
    if (sampling != null) {
      parameters.setSampling(sampling == SamplingName.GRID ? Sampling.SAMPLING_GRID : Sampling.SAMPLING_ADAPTIVE);
    }
    if (samples != null) {
      parameters.setSamples(samples);
    }
    if (seed != null) {
      parameters.setSeed(seed);
    }
    if (device != null) {
      parameters.setDevice(device);
    }
  }
}
