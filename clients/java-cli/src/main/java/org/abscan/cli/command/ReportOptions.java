package org.abscan.cli.command;

import java.nio.file.Path;
import org.abscan.cli.CliFailure;
import org.abscan.cli.ExitCodes;
import org.abscan.cli.VersionProvider;
import org.abscan.cli.report.ReportFiles;
import org.abscan.cli.report.ReportSummary;
import org.abscan.cli.report.SarifReport;
import org.abscan.proto.scan.v1.ScanReport;
import org.abscan.proto.scan.v1.Verdict;
import picocli.CommandLine.Option;

/**
 * Where a finished scan's report goes (--json, --html, --sarif, the summary on stdout) and the exit code it
 * gives. A file named {@code -} is stdout; the summary then stays off stdout so scripts can pipe the file.
 */
public final class ReportOptions {
  private static final String STDOUT = "-";

  @Option(names = "--json", paramLabel = "FILE",
      description = "Write the report as proto3 JSON (ScanReport); - writes it to stdout instead of the summary.")
  Path json;

  @Option(names = "--html", paramLabel = "FILE",
      description = "Write a self-contained HTML report (trigger images, NSF plots; no network needed).")
  Path html;

  @Option(names = "--sarif", paramLabel = "FILE",
      description = "Write a SARIF 2.1.0 log: one error result when trojaned, none when benign; - for stdout.")
  Path sarif;

  boolean wantsFiles() {
    return json != null || html != null || sarif != null;
  }

  /** Called before the scan starts, so a usage error costs no scan. */
  void check() {
    if (toStdout(json) && toStdout(sarif)) {
      throw new CliFailure(ExitCodes.USAGE, "--json - and --sarif - cannot both go to stdout");
    }
    if (toStdout(html)) {
      throw new CliFailure(ExitCodes.USAGE, "--html needs a file (the report is for a browser)");
    }
  }

  /**
   * Writes the files, prints the summary unless quiet or stdout carries a file, and returns 10 for
   * trojaned, 0 for benign. {@code modelUri} is where SARIF results point: the model file as given on the
   * command line, or null when only the daemon knows it (then its sha256 stands in).
   */
  int deliver(ScanReport report, Session session, boolean quiet, String modelUri) {
    check();
    if (json != null) {
      if (toStdout(json)) {
        session.out().print(ReportFiles.json(report) + "\n");
        session.out().flush();
      } else {
        ReportFiles.writeJson(report, json);
      }
    }
    if (html != null) {
      ReportFiles.writeHtml(report, html);
    }
    if (sarif != null) {
      String uri = modelUri != null ? modelUri : "sha256:" + report.getModelSha256();
      String log = SarifReport.render(report, uri, VersionProvider.version());
      if (toStdout(sarif)) {
        session.out().print(log);
        session.out().flush();
      } else {
        ReportFiles.write(sarif, log);
      }
    }
    if (!quiet && !toStdout(json) && !toStdout(sarif)) {
      ReportSummary.print(report, session.out());
    }
    return exitCode(report.getVerdict());
  }

  /** True when stdout carries a report file, so nothing else may be printed there. */
  boolean claimsStdout() {
    return toStdout(json) || toStdout(sarif);
  }

  private static boolean toStdout(Path file) {
    return file != null && file.toString().equals(STDOUT);
  }

  static int exitCode(Verdict verdict) {
    return switch (verdict) {
      case VERDICT_TROJANED -> ExitCodes.TROJANED;
      case VERDICT_BENIGN -> ExitCodes.OK;
      default -> ExitCodes.SERVER_ERROR;
    };
  }
}
