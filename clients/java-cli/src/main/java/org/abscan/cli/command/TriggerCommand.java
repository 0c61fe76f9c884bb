package org.abscan.cli.command;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.abscan.cli.CliFailure;
import org.abscan.cli.ExitCodes;
import org.abscan.cli.options.ReverseEngineeringOptions;
import org.abscan.cli.options.StimulationOptions;
import org.abscan.cli.progress.ProgressPrinter;
import org.abscan.cli.report.Describe;
import org.abscan.cli.request.InputResolver;
import org.abscan.proto.scan.v1.Candidate;
import org.abscan.proto.scan.v1.GenerateTriggerRequest;
import org.abscan.proto.scan.v1.GenerateTriggerResponse;
import org.abscan.proto.scan.v1.ScanParameters;
import org.abscan.proto.scan.v1.TriggerImages;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code abscan trigger}: reverse-engineers the trigger of given neuron(s) and writes its images. */
@Command(name = "trigger", sortOptions = false,
    description = "Reverse-engineer a trigger for a layer's neuron(s) and write mask.png, pattern.png and "
        + "stamped-N.png.")
public final class TriggerCommand extends SeededModelCommand {
  @Option(names = "--layer", required = true, paramLabel = "L", description = "Layer of the neuron(s).")
  String layer;

  @Option(names = "--neuron", required = true, split = ",", hideParamSyntax = true, paramLabel = "N[,M]",
      description = "Neuron, or several to optimise together (the multi-neuron trigger).")
  List<Integer> neurons = new ArrayList<>();

  @Option(names = "--target", paramLabel = "T",
      description = "Label the trigger should flip to (default: the label the neuron elevates).")
  Integer target;

  @Option(names = "--trigger", paramLabel = "pixel|filter|multi-neuron", description = "Trigger plugin [pixel].")
  String trigger = "";

  @Option(names = "--out", paramLabel = "DIR", description = "Directory for the PNGs (default: trigger-<layer>-<neurons>).")
  Path out;

  @Option(names = "--quiet", description = "No progress on stderr.")
  boolean quiet;

  @Mixin
  StimulationOptions stimulation;

  @Mixin
  ReverseEngineeringOptions reverseEngineering;

  @Override
  protected int run(Session session) {
    ProgressPrinter progress = ProgressPrinter.choose(quiet, context().interactive(), session.err());
    InputResolver inputs = inputs(session, progress);
    ScanParameters.Builder parameters = ScanParameters.newBuilder();
    stimulation.applyTo(parameters);
    reverseEngineering.applyTo(parameters);
    GenerateTriggerRequest.Builder request = GenerateTriggerRequest.newBuilder()
        .setModel(inputs.model())
        .setSeeds(inputs.seeds(seeds.seeds))
        .setPreprocessing(preprocessing.toProto())
        .setLayer(layer)
        .addAllNeurons(neurons)
        .setTrigger(trigger)
        .setParameters(parameters);
    if (target != null) {
      request.setTargetLabel(target);
    }
    Candidate result = null;
    try {
      Iterator<GenerateTriggerResponse> responses = session.scans().generateTrigger(request.build());
      while (responses.hasNext()) {
        GenerateTriggerResponse response = responses.next();
        if (response.hasProgress()) {
          progress.onTrigger(response.getProgress());
        } else if (response.hasResult()) {
          result = response.getResult();
        }
      }
    } finally {
      progress.finish();
    }
    if (result == null) {
      throw new CliFailure(ExitCodes.SERVER_ERROR, "the trigger stream ended without a result");
    }
    Path directory = out != null ? out : context().workingDirectory().resolve(defaultDirectory());
    List<Path> written = writeImages(result.getImages(), directory);
    session.out().println(String.format(Locale.ROOT, "%s %s trigger -> label %d: REASR %.3f (RE images %.3f), %s, %d steps",
        Describe.neurons(result), result.getTrigger(), result.getTargetLabel(), result.getReasr(),
        result.getReasrTrain(), Describe.size(result), result.getSteps()));
    for (Path file : written) {
      session.out().println("wrote " + file);
    }
    session.out().flush();
    return ExitCodes.OK;
  }

  private String defaultDirectory() {
    String name = "trigger-" + layer + "-" + String.join("_", neurons.stream().map(String::valueOf).toList());
    return name.replaceAll("[^A-Za-z0-9._-]", "_");
  }

  static List<Path> writeImages(TriggerImages images, Path directory) {
    List<Path> written = new ArrayList<>();
    try {
      Files.createDirectories(directory);
      write(images.getMaskPng(), directory.resolve("mask.png"), written);
      write(images.getPatternPng(), directory.resolve("pattern.png"), written);
      for (int i = 0; i < images.getStampedPngCount(); i++) {
        write(images.getStampedPng(i), directory.resolve("stamped-" + (i + 1) + ".png"), written);
      }
    } catch (IOException e) {
      throw new CliFailure(ExitCodes.SERVER_ERROR, "cannot write trigger images to " + directory + ": "
          + e.getMessage(), e);
    }
    return written;
  }

  private static void write(ByteString png, Path file, List<Path> written) throws IOException {
    if (!png.isEmpty()) {
      Files.write(file, png.toByteArray());
      written.add(file);
    }
  }
}
