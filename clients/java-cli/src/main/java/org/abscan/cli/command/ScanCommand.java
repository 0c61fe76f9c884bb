package org.abscan.cli.command;

import org.abscan.cli.options.ReverseEngineeringOptions;
import org.abscan.cli.options.SelectionOptions;
import org.abscan.cli.options.StimulationOptions;
import org.abscan.cli.progress.ProgressPrinter;
import org.abscan.cli.report.SarifReport;
import org.abscan.cli.request.InputResolver;
import org.abscan.proto.scan.v1.ScanParameters;
import org.abscan.proto.scan.v1.ScanReport;
import org.abscan.proto.scan.v1.ScanRequest;
import org.abscan.proto.scan.v1.ScanResponse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code abscan scan}: a full ABS scan; exit 10 when the model is trojaned, 0 when benign. */
@Command(name = "scan", sortOptions = false,
    description = "Scan a model for backdoors: stimulation analysis, candidate selection, trigger reverse "
        + "engineering and the verdict. Exit 0 benign, 10 trojaned.")
public final class ScanCommand extends SeededModelCommand {
  @Mixin
  StimulationOptions stimulation;

  @Mixin
  SelectionOptions selection;

  @Mixin
  ReverseEngineeringOptions reverseEngineering;

  @Mixin
  ReportOptions reportFiles;

  @Option(names = "--quiet", description = "Print nothing but errors (the exit code gives the verdict).")
  boolean quiet;

  @Override
  protected int run(Session session) {
    reportFiles.check();
    ProgressPrinter progress = ProgressPrinter.choose(quiet, context().interactive(), session.err());
    InputResolver inputs = inputs(session, progress);
    ScanParameters.Builder parameters = ScanParameters.newBuilder();
    stimulation.applyTo(parameters);
    selection.applyTo(parameters);
    reverseEngineering.applyTo(parameters);
    ScanRequest request = ScanRequest.newBuilder()
        .setModel(inputs.model())
        .setSeeds(inputs.seeds(seeds.seeds))
        .setPreprocessing(preprocessing.toProto())
        .setParameters(parameters)
        .build();
    ScanReport report = ScanEvents.follow(session.scans().scan(request), ScanResponse::getEvent, progress);
    return reportFiles.deliver(report, session, quiet, SarifReport.artifactUri(model.model));
  }
}
