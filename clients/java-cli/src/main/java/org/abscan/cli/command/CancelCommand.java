package org.abscan.cli.command;

import org.abscan.cli.ExitCodes;
import org.abscan.proto.scan.v1.CancelScanRequest;
import org.abscan.proto.scan.v1.ScanSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code abscan cancel ID}: cancels a queued or running scan. */
@Command(name = "cancel", description = "Cancel a queued or running scan job (an ended one is left as it is). "
    + "Needs --server.")
public final class CancelCommand extends JobCommand {
  @Parameters(index = "0", paramLabel = "ID", description = "Scan id.")
  String scanId;

  @Override
  protected int run(Session session) {
    ScanSummary scan = session.scans().cancelScan(CancelScanRequest.newBuilder().setScanId(scanId).build()).getScan();
    session.out().println(scan.getScanId() + ": " + outcome(scan));
    session.out().flush();
    return ExitCodes.OK;
  }
}
