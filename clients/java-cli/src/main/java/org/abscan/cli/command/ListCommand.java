package org.abscan.cli.command;

import org.abscan.cli.ExitCodes;
import org.abscan.cli.report.TextTable;
import org.abscan.proto.scan.v1.ListScansRequest;
import org.abscan.proto.scan.v1.ListScansResponse;
import org.abscan.proto.scan.v1.ScanSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code abscan list}: the daemon's scans, newest first. */
@Command(name = "list", description = "List the daemon's scan jobs, newest first. Needs --server.")
public final class ListCommand extends JobCommand {
  @Option(names = "--limit", paramLabel = "N", description = "Show at most N scans [50].")
  int limit = 50;

  @Override
  protected int run(Session session) {
    if (limit <= 0) {
      throw usageError("--limit must be positive");
    }
    TextTable table = new TextTable("ID", "STATE", "CREATED", "MODEL");
    int shown = 0;
    String pageToken = "";
    do {
      ListScansResponse page = session.scans().listScans(ListScansRequest.newBuilder()
          .setPageSize(Math.min(limit - shown, 100)).setPageToken(pageToken).build());
      for (ScanSummary scan : page.getScansList()) {
        if (shown++ < limit) {
          table.row(scan.getScanId(), outcome(scan), time(scan.getCreatedUnixMillis()),
              scan.getModelSha256().length() > 12 ? scan.getModelSha256().substring(0, 12) : scan.getModelSha256());
        }
      }
      pageToken = page.getNextPageToken();
    } while (!pageToken.isEmpty() && shown < limit);
    table.print(session.out());
    return ExitCodes.OK;
  }
}
