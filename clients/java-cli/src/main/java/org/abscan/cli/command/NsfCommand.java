package org.abscan.cli.command;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.abscan.cli.CliFailure;
import org.abscan.cli.ExitCodes;
import org.abscan.cli.options.StimulationOptions;
import org.abscan.cli.progress.ProgressPrinter;
import org.abscan.cli.report.ReportFiles;
import org.abscan.cli.request.InputResolver;
import org.abscan.proto.scan.v1.NeuronStimulation;
import org.abscan.proto.scan.v1.ScanParameters;
import org.abscan.proto.scan.v1.StreamNSFRequest;
import org.abscan.proto.scan.v1.StreamNSFResponse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code abscan nsf}: the neuron stimulation functions of one layer, streamed as they are computed. */
@Command(name = "nsf", sortOptions = false,
    description = "Stream the neuron stimulation functions (NSFs) of a layer: per neuron the label it elevates "
        + "and its Algorithm 1 score.")
public final class NsfCommand extends SeededModelCommand {
  @Option(names = "--layer", required = true, paramLabel = "L", description = "Layer to stimulate.")
  String layer;

  @Option(names = "--neurons", split = ",", hideParamSyntax = true, paramLabel = "N,M", description = "Only these neurons (default: all).")
  List<Integer> neurons = new ArrayList<>();

  @Option(names = "--per-image", description = "Also stream one curve per seed image, not only the aggregate.")
  boolean perImage;

  @Option(names = "--json", paramLabel = "FILE", description = "Write every NSF as a JSON line (NeuronStimulation).")
  Path json;

  @Option(names = "--quiet", description = "No progress on stderr.")
  boolean quiet;

  @Mixin
  StimulationOptions stimulation;

  @Override
  protected int run(Session session) {
    ProgressPrinter progress = ProgressPrinter.choose(quiet, context().interactive(), session.err());
    InputResolver inputs = inputs(session, progress);
    ScanParameters.Builder parameters = ScanParameters.newBuilder().addLayers(layer);
    stimulation.applyTo(parameters);
    StreamNSFRequest request = StreamNSFRequest.newBuilder()
        .setModel(inputs.model())
        .setSeeds(inputs.seeds(seeds.seeds))
        .setPreprocessing(preprocessing.toProto())
        .setParameters(parameters)
        .addAllNeurons(neurons)
        .setPerImage(perImage)
        .build();
    int received = 0;
    try (Writer lines = json == null ? Writer.nullWriter() : open(json)) {
      Iterator<StreamNSFResponse> responses = session.scans().streamNSF(request);
      while (responses.hasNext()) {
        StreamNSFResponse response = responses.next();
        if (response.hasProgress()) {
          progress.onStimulation(response.getProgress());
        } else if (response.hasNsf()) {
          NeuronStimulation nsf = response.getNsf();
          received++;
          lines.write(ReportFiles.jsonLine(nsf) + "\n");
          if (nsf.getImageIndex() < 0) {
            progress.finish();
            session.out().println(String.format(Locale.ROOT, "%s neuron %d: top label %d, score %.4f",
                nsf.getLayer(), nsf.getNeuron(), nsf.getTopLabel(), nsf.getScore()));
            session.out().flush();
          }
        }
      }
    } catch (IOException e) {
      throw new CliFailure(ExitCodes.SERVER_ERROR, "cannot write " + json + ": " + e.getMessage(), e);
    } finally {
      progress.finish();
    }
    if (received == 0) {
      throw new CliFailure(ExitCodes.SERVER_ERROR, "the daemon sent no NSF for layer " + layer);
    }
    return ExitCodes.OK;
  }

  private static Writer open(Path file) {
    try {
      ReportFiles.createParentDirectories(file);
      return Files.newBufferedWriter(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new CliFailure(ExitCodes.SERVER_ERROR, "cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
