package org.abscan.cli.report;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.abscan.cli.CliFailure;
import org.abscan.cli.ExitCodes;
import org.abscan.proto.scan.v1.ScanReport;

/** Writes reports to files: the proto3 JSON of a ScanReport and the self-contained HTML report. */
public final class ReportFiles {
  /**
   * Default-valued fields included: a target label of 0 or a REASR of 0.0 is an answer, and scripts read
   * them (proto3 JSON would otherwise omit them).
   */
  private static final JsonFormat.Printer JSON = JsonFormat.printer().includingDefaultValueFields();
  private static final JsonFormat.Printer JSON_LINE = JSON.omittingInsignificantWhitespace();

  private ReportFiles() {}

  public static String json(MessageOrBuilder message) {
    try {
      return JSON.print(message);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("a report without Any fields cannot fail to print", e);
    }
  }

  /** One message per line (JSON lines). */
  public static String jsonLine(MessageOrBuilder message) {
    try {
      return JSON_LINE.print(message);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("a message without Any fields cannot fail to print", e);
    }
  }

  public static void writeJson(ScanReport report, Path file) {
    write(file, json(report) + "\n");
  }

  public static void writeHtml(ScanReport report, Path file) {
    write(file, HtmlReport.render(report));
  }

  public static void write(Path file, String text) {
    try {
      createParentDirectories(file);
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new CliFailure(ExitCodes.SERVER_ERROR, "cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  /** So that --json out/report.json works without a prior mkdir. */
  public static void createParentDirectories(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
  }
}
