package org.abscan.cli.command;

import java.nio.file.Path;
import org.abscan.cli.ExitCodes;
import org.abscan.cli.report.ReportFiles;
import org.abscan.cli.report.ReportSummary;
import org.abscan.proto.scan.v1.ScanReport;
import org.abscan.proto.scan.v1.Verdict;
import picocli.CommandLine.Option;

/** Where a finished scan's report goes (--json, --html, the summary on stdout) and the exit code it gives. */
public final class ReportOptions {
  @Option(names = "--json", paramLabel = "FILE", description = "Write the report as proto3 JSON (ScanReport).")
  Path json;

  @Option(names = "--html", paramLabel = "FILE",
      description = "Write a self-contained HTML report (trigger images, NSF plots; no network needed).")
  Path html;

  boolean wantsFiles() {
    return json != null || html != null;
  }

  /** Writes the files, prints the summary unless quiet, and returns 10 for trojaned, 0 for benign. */
  int deliver(ScanReport report, Session session, boolean quiet) {
    if (json != null) {
      ReportFiles.writeJson(report, json);
    }
    if (html != null) {
      ReportFiles.writeHtml(report, html);
    }
    if (!quiet) {
      ReportSummary.print(report, session.out());
    }
    return exitCode(report.getVerdict());
  }

  static int exitCode(Verdict verdict) {
    return switch (verdict) {
      case VERDICT_TROJANED -> ExitCodes.TROJANED;
      case VERDICT_BENIGN -> ExitCodes.OK;
      default -> ExitCodes.SERVER_ERROR;
    };
  }
}
