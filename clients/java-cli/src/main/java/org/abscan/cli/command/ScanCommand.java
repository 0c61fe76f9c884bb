package org.abscan.cli.command;

import org.abscan.cli.options.ReverseEngineeringOptions;
import org.abscan.cli.options.SelectionOptions;
import org.abscan.cli.options.StimulationOptions;
import org.abscan.cli.progress.ProgressPrinter;
import org.abscan.cli.report.SarifReport;
import org.abscan.cli.request.InputResolver;
import org.abscan.cli.CliFailure;
import org.abscan.cli.ExitCodes;
import org.abscan.proto.scan.v1.ScanEvent;
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

  @Option(names = "--detach", description = "Submit the scan, print its id and exit 0; it runs on in the daemon "
      + "(follow it with 'abscan watch ID' / 'abscan get ID'). Needs --server.")
  boolean detach;

  @Override
  protected boolean requiresServer() {
    return detach; // an embedded daemon ends with the command, and would take the scan with it
  }

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
        .setDetach(detach)
        .build();
    if (detach) {
      return submitDetached(session, request);
    }
    ScanReport report = ScanEvents.follow(session.scans().scan(request), ScanResponse::getEvent, progress);
    return reportFiles.deliver(report, session, quiet, SarifReport.artifactUri(model.model));
  }

  private static int submitDetached(Session session, ScanRequest request) {
    String scanId = "";
    var responses = session.scans().scan(request);
    while (responses.hasNext()) {
      ScanEvent event = responses.next().getEvent();
      if (event.hasAccepted()) {
        scanId = event.getAccepted().getScanId();
      }
    }
    if (scanId.isEmpty()) {
      throw new CliFailure(ExitCodes.SERVER_ERROR, "the daemon did not say which scan it accepted");
    }
    session.out().println(scanId);
    session.out().flush();
    return ExitCodes.OK;
  }
}
