package org.abscan.cli.options;

import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The model a command works on, and whether its paths (and the seeds') are the caller's or the server's. */
public final class ModelOptions {
  @Parameters(index = "0", paramLabel = "MODEL",
      description = "Model file (.h5, .onnx, ...) or SavedModel directory.")
  public String model;

  @Option(names = "--format", paramLabel = "NAME",
      description = "Loader plugin to read the model with (keras-h5, onnx, savedmodel; default: chosen from the content).")
  public String format;

  @Option(names = "--server-paths",
      description = "With --server: MODEL and --seeds are paths on the server (inside its model roots); nothing is uploaded.")
  public boolean serverPaths;
}
