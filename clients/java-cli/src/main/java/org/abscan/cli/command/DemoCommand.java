package org.abscan.cli.command;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.abscan.cli.CliFailure;
import org.abscan.cli.ExitCodes;
import org.abscan.cli.progress.ProgressPrinter;
import org.abscan.cli.report.ReportFiles;
import org.abscan.cli.report.ReportSummary;
import org.abscan.proto.common.v1.ModelRef;
import org.abscan.proto.common.v1.Preprocessing;
import org.abscan.proto.common.v1.SeedSet;
import org.abscan.proto.scan.v1.ScanParameters;
import org.abscan.proto.scan.v1.ScanReport;
import org.abscan.proto.scan.v1.ScanRequest;
import org.abscan.proto.scan.v1.ScanResponse;
import org.abscan.proto.scan.v1.Verdict;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code abscan demo}: scans the two committed demo models (one trojaned, one benign; see demo/README.md)
 * with the default settings on the embedded daemon, writes an HTML report for each, and exits 0 only when
 * both verdicts are the expected ones.
 */
@Command(name = "demo", sortOptions = false,
    description = "Scan the committed demo models (demo/: a trojaned and a benign MNIST model) with the default "
        + "settings, write their HTML reports, and check the verdicts. Exit 0 when both are as expected, 1 when not.")
public final class DemoCommand extends ConnectedCommand {
  /** The demo's models and the verdict each must get. */
  record DemoModel(String file, Verdict expected) {}

  static final List<DemoModel> MODELS = List.of(
      new DemoModel("trojaned.pb", Verdict.VERDICT_TROJANED),
      new DemoModel("benign.pb", Verdict.VERDICT_BENIGN));

  /** Exit code when a demo verdict is wrong: the scanner misbehaves on its own demo. */
  static final int UNEXPECTED_VERDICT = 1;

  @Option(names = "--demo-dir", paramLabel = "DIR",
      description = "The demo folder (models/ and seeds/); default: demo/ here or in the abscan checkout.")
  Path demoDir;

  @Option(names = "--out", paramLabel = "DIR", defaultValue = "target/demo",
      description = "Where the HTML reports go (default: ${DEFAULT-VALUE}).")
  Path out;

  @Override
  protected List<Path> localInputs() {
    Path dir = demo();
    return List.of(dir.resolve("models").resolve(MODELS.get(0).file()), dir.resolve("seeds"));
  }

  @Override
  protected void checkLocalInputs() {
    Path dir = demo();
    for (DemoModel m : MODELS) {
      if (!Files.isRegularFile(dir.resolve("models").resolve(m.file()))) {
        throw new CliFailure(ExitCodes.REJECTED, "demo model missing: " + dir.resolve("models").resolve(m.file()));
      }
    }
    if (!Files.isDirectory(dir.resolve("seeds"))) {
      throw new CliFailure(ExitCodes.REJECTED, "demo seeds missing: " + dir.resolve("seeds"));
    }
  }

  @Override
  protected int run(Session session) {
    if (!session.sharesFilesystem()) {
      throw usageError("demo scans its files on the embedded daemon: leave out --server");
    }
    Path dir = demo();
    ProgressPrinter progress = ProgressPrinter.choose(false, context().interactive(), session.err());
    boolean allExpected = true;
    for (DemoModel m : MODELS) {
      Path model = dir.resolve("models").resolve(m.file());
      session.out().println("== " + model);
      ScanRequest request = ScanRequest.newBuilder()
          .setModel(ModelRef.newBuilder().setServerPath(model.toString()))
          .setSeeds(SeedSet.newBuilder().setServerFolder(dir.resolve("seeds").toString()))
          .setPreprocessing(Preprocessing.newBuilder().setInputMin(0f).setInputMax(1f))
          .setParameters(ScanParameters.getDefaultInstance())
          .build();
      ScanReport report = ScanEvents.follow(session.scans().scan(request), ScanResponse::getEvent, progress);
      Path html = context().workingDirectory().resolve(out).resolve(m.file().replace(".pb", "") + ".html").toAbsolutePath();
      ReportFiles.writeHtml(report, html);
      ReportSummary.print(report, session.out());
      boolean expected = report.getVerdict() == m.expected();
      allExpected &= expected;
      session.out().printf("demo %s: %s (expected %s) %s; report %s%n", m.file(), verdict(report.getVerdict()),
          verdict(m.expected()), expected ? "OK" : "UNEXPECTED", html);
      session.out().flush();
    }
    session.out().println(allExpected ? "demo: both verdicts as expected" : "demo: a verdict was not as expected");
    return allExpected ? ExitCodes.OK : UNEXPECTED_VERDICT;
  }

  private static String verdict(Verdict v) {
    return v == Verdict.VERDICT_TROJANED ? "TROJANED" : v == Verdict.VERDICT_BENIGN ? "BENIGN" : v.name();
  }

  /** --demo-dir, else ./demo, else demo/ of the checkout this CLI was built in. */
  private Path demo() {
    if (demoDir != null) {
      return demoDir.toAbsolutePath().normalize();
    }
    Path here = context().workingDirectory().resolve("demo").toAbsolutePath().normalize();
    if (Files.isDirectory(here.resolve("models"))) {
      return here;
    }
    try {
      // The jar (or classes folder) lies in <checkout>/clients/java-cli/target.
      Path code = Path.of(DemoCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      Path checkout = code.getParent().getParent().getParent().getParent();
      return checkout.resolve("demo").toAbsolutePath().normalize();
    } catch (Exception e) {
      return here;
    }
  }
}
