package org.abscan.cli.command;

import org.abscan.cli.CliFailure;
import org.abscan.cli.ExitCodes;
import org.abscan.proto.scan.v1.GetScanRequest;
import org.abscan.proto.scan.v1.GetScanResponse;
import org.abscan.proto.scan.v1.ScanSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code abscan get ID}: a scan's state and, once it has succeeded, its report. */
@Command(name = "get", description = "Show a scan job's state and, once it has succeeded, its report summary "
    + "(exit 10 when trojaned). Needs --server.")
public final class GetCommand extends JobCommand {
  @Parameters(index = "0", paramLabel = "ID", description = "Scan id.")
  String scanId;

  @Mixin
  ReportOptions reportFiles;

  @Override
  protected int run(Session session) {
    reportFiles.check();
    GetScanResponse response = session.scans().getScan(GetScanRequest.newBuilder().setScanId(scanId).build());
    ScanSummary scan = response.getScan();
    if (!reportFiles.claimsStdout()) {
      session.out().println("scan     " + scan.getScanId());
      session.out().println("state    " + outcome(scan));
      session.out().println("model    " + scan.getModelSha256());
      session.out().println("created  " + time(scan.getCreatedUnixMillis()) + ", updated "
          + time(scan.getUpdatedUnixMillis()));
      session.out().flush();
    }
    if (!response.hasReport()) {
      if (reportFiles.wantsFiles()) {
        throw new CliFailure(ExitCodes.SERVER_ERROR,
            "scan " + scanId + " has no report (" + state(scan.getState()) + "): --json/--html not written");
      }
      return ExitCodes.OK;
    }
    if (!reportFiles.claimsStdout()) {
      session.out().println();
    }
    return reportFiles.deliver(response.getReport(), session, false, null);
  }
}
