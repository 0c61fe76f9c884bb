package org.abscan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code abscan demo} on the real embedded daemon: the committed demo models get their expected verdicts. */
class DemoCommandTest {
  /** Surefire runs in clients/java-cli; the demo lies at the repository root. */
  private static final Path DEMO = Path.of("../../demo").toAbsolutePath().normalize();

  @Test
  void demoFlagsTheTrojanedModelAndClearsTheBenignOne(@TempDir Path work) throws Exception {
    Assumptions.assumeTrue(Files.isDirectory(DEMO.resolve("models")), "demo/ absent at " + DEMO);
    CliContext context = new CliContext(new org.abscan.cli.connect.DaemonConnector(), false, name -> null, work,
        new UserInterrupt());
    CommandLine commandLine = AbscanCli.commandLine(context);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));

    int exit = commandLine.execute("demo", "--demo-dir", DEMO.toString(), "--data-dir",
        work.resolve("data").toString());

    String output = out + "\n--- stderr\n" + err;
    assertEquals(0, exit, output);
    assertTrue(out.toString().contains("demo trojaned.pb: TROJANED (expected TROJANED) OK"), output);
    assertTrue(out.toString().contains("demo benign.pb: BENIGN (expected BENIGN) OK"), output);
    assertTrue(Files.size(work.resolve("target/demo/trojaned.html")) > 1000, "trojaned HTML report written");
    assertTrue(Files.size(work.resolve("target/demo/benign.html")) > 1000, "benign HTML report written");
  }
}
