package org.abscan.cli.command;

import org.abscan.cli.progress.ProgressPrinter;
import org.abscan.proto.scan.v1.ScanReport;
import org.abscan.proto.scan.v1.WatchScanRequest;
import org.abscan.proto.scan.v1.WatchScanResponse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code abscan watch ID}: re-attaches to a scan and follows it to its report, like scan does. */
@Command(name = "watch", description = "Follow a scan job's events until it ends; exit like scan (0 benign, "
    + "10 trojaned). Needs --server.")
public final class WatchCommand extends JobCommand {
  @Parameters(index = "0", paramLabel = "ID", description = "Scan id.")
  String scanId;

  @Option(names = "--after", paramLabel = "SEQ", description = "Only events after this sequence number [0: all].")
  long afterSequence;

  @Option(names = "--quiet", description = "Print nothing but errors.")
  boolean quiet;

  @Mixin
  ReportOptions reportFiles;

  @Override
  protected int run(Session session) {
    reportFiles.check();
    ProgressPrinter progress = ProgressPrinter.choose(quiet, context().interactive(), session.err());
    WatchScanRequest request = WatchScanRequest.newBuilder().setScanId(scanId).setAfterSequence(afterSequence).build();
    ScanReport report = ScanEvents.follow(session.scans().watchScan(request), WatchScanResponse::getEvent, progress);
    return reportFiles.deliver(report, session, quiet, null);
  }
}
