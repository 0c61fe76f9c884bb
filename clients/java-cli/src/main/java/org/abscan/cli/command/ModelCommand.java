package org.abscan.cli.command;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.abscan.cli.CliFailure;
import org.abscan.cli.ExitCodes;
import org.abscan.cli.options.ModelOptions;
import org.abscan.cli.options.PreprocessingOptions;
import org.abscan.cli.progress.ProgressPrinter;
import org.abscan.cli.request.InputResolver;
import org.abscan.cli.request.ModelUploader;
import picocli.CommandLine.Mixin;

/**
 * A command about one model (and, in subclasses, seed images): it names them the way the daemon can read
 * them — by path to an embedded daemon, uploaded to a remote one, or as server paths with --server-paths.
 */
public abstract class ModelCommand extends ConnectedCommand {
  @Mixin
  ModelOptions model;

  @Mixin
  PreprocessingOptions preprocessing;

  /** The seed folder as given, or null for commands without seeds. */
  protected String seedFolder() {
    return null;
  }

  @Override
  protected List<Path> localInputs() {
    List<Path> inputs = new ArrayList<>();
    if (!model.serverPaths) {
      inputs.add(InputResolver.absolute(model.model));
      if (seedFolder() != null) {
        inputs.add(InputResolver.absolute(seedFolder()));
      }
    }
    return inputs;
  }

  @Override
  protected void checkLocalInputs() {
    if (model.serverPaths) {
      if (connection.server == null) {
        throw usageError("--server-paths needs --server (an embedded daemon reads local paths anyway)");
      }
      return;
    }
    Path modelPath = InputResolver.absolute(model.model);
    if (!Files.exists(modelPath)) {
      throw new CliFailure(ExitCodes.REJECTED, "model not found: " + modelPath);
    }
    if (seedFolder() != null && !Files.isDirectory(InputResolver.absolute(seedFolder()))) {
      throw new CliFailure(ExitCodes.USAGE, "--seeds: not a directory: " + InputResolver.absolute(seedFolder()));
    }
  }

  /** Resolves inputs for this session; uploads are reported on the progress printer. */
  protected InputResolver inputs(Session session, ProgressPrinter progress) {
    return new InputResolver(session.sharesFilesystem(), model, new ModelUploader(session.modelsAsync()),
        (file, uploaded) -> progress.line("uploaded " + file.getFileName() + " (" + uploaded.getSizeBytes()
            + " bytes) as model " + uploaded.getModelId()));
  }
}
