package org.abscan.cli;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.protobuf.util.JsonFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import org.abscan.cli.report.SarifReport;
import org.abscan.cli.testing.CliRunner;
import org.abscan.cli.testing.FakeModelService;
import org.abscan.cli.testing.FakeScanService;
import org.abscan.cli.testing.Fixtures;
import org.abscan.cli.testing.InProcessDaemon;
import org.abscan.proto.scan.v1.ScanReport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report outputs scripts consume: --json - on stdout and the SARIF 2.1.0 log. */
class ReportOutputTest {
  @TempDir
  Path dir;

  private final FakeScanService scans = new FakeScanService();
  private InProcessDaemon daemon;
  private CliRunner cli;
  private Path model;
  private Path seeds;

  @BeforeEach
  void start() throws Exception {
    daemon = new InProcessDaemon(scans, new FakeModelService());
    cli = new CliRunner(daemon, dir);
    model = Fixtures.modelFile(dir, 3000);
    seeds = Fixtures.seedFolder(dir, 3, 2);
  }

  @AfterEach
  void stop() {
    daemon.close();
  }

  @Test
  void jsonDashWritesOnlyTheReportToStdout() throws Exception {
    scans.events = ScanCommandTest.eventsEndingWith(Fixtures.trojanedReport());

    CliRunner.Result result = cli.run("scan", model.toString(), "--seeds", seeds.toString(), "--json", "-");

    assertEquals(ExitCodes.TROJANED, result.exitCode(), result::toString);
    ScanReport.Builder parsed = ScanReport.newBuilder();
    JsonFormat.parser().merge(result.out(), parsed); // fails on any summary line mixed in
    assertEquals(Fixtures.trojanedReport(), parsed.build());
    assertTrue(result.out().contains("\"targetLabel\": 0"), result::toString);
    assertTrue(result.err().contains("scan finished"), "progress stays on stderr: " + result);
  }

  @Test
  void stdoutTakesOneFileOnly() {
    CliRunner.Result result = cli.run("scan", model.toString(), "--seeds", seeds.toString(), "--json", "-",
        "--sarif", "-");

    assertEquals(ExitCodes.USAGE, result.exitCode(), result::toString);
    assertTrue(result.err().contains("cannot both go to stdout"), result::toString);
    assertTrue(scans.requests.isEmpty(), "no scan is started for a usage error");
  }

  @Test
  void sarifHasOneErrorResultForATrojanedModel() throws Exception {
    scans.events = ScanCommandTest.eventsEndingWith(Fixtures.trojanedReport());
    Path sarif = dir.resolve("out/abscan.sarif");

    CliRunner.Result result = cli.run("scan", model.toString(), "--seeds", seeds.toString(), "--sarif",
        sarif.toString());

    assertEquals(ExitCodes.TROJANED, result.exitCode(), result::toString);
    JsonObject run = validSarifRun(Files.readString(sarif));
    JsonArray results = run.getAsJsonArray("results");
    assertEquals(1, results.size(), run::toString);
    JsonObject trojaned = results.get(0).getAsJsonObject();
    assertEquals(SarifReport.RULE_ID, trojaned.get("ruleId").getAsString());
    assertEquals("error", trojaned.get("level").getAsString());
    String message = trojaned.getAsJsonObject("message").get("text").getAsString();
    assertAll(
        () -> assertTrue(message.contains("target label 0"), message),
        () -> assertTrue(message.contains("best REASR 0.970"), message),
        () -> assertTrue(message.contains("conv2d_2 neuron 7"), message),
        () -> assertTrue(message.contains("pixel trigger"), message));
    String uri = trojaned.getAsJsonArray("locations").get(0).getAsJsonObject().getAsJsonObject("physicalLocation")
        .getAsJsonObject("artifactLocation").get("uri").getAsString();
    assertEquals(model.toUri().toString(), uri, "the model file, as given (absolute here)");
    JsonObject properties = trojaned.getAsJsonObject("properties");
    assertEquals(0, properties.get("targetLabel").getAsInt());
    assertEquals(7, properties.get("neuron").getAsInt());
    assertEquals("conv2d_2", properties.get("layer").getAsString());
  }

  @Test
  void sarifOfABenignModelIsARunWithoutResults() throws Exception {
    scans.events = ScanCommandTest.eventsEndingWith(Fixtures.benignReport());
    Path sarif = dir.resolve("benign.sarif");

    CliRunner.Result result = cli.run("scan", model.toString(), "--seeds", seeds.toString(), "--sarif",
        sarif.toString());

    assertEquals(ExitCodes.OK, result.exitCode(), result::toString);
    JsonObject run = validSarifRun(Files.readString(sarif));
    assertEquals(0, run.getAsJsonArray("results").size(), run::toString);
    assertEquals(model.toUri().toString(), run.getAsJsonArray("artifacts").get(0).getAsJsonObject()
        .getAsJsonObject("location").get("uri").getAsString());
  }

  @Test
  void relativeModelPathsStayRelativeUris() {
    assertEquals("models/mnist%20badnets.h5", SarifReport.artifactUri("models/mnist badnets.h5"));
    assertEquals("file:///tmp/model.onnx", SarifReport.artifactUri("/tmp/model.onnx"));
  }

  @Test
  void sarifDashGoesToStdoutWithoutTheSummary() {
    scans.events = ScanCommandTest.eventsEndingWith(Fixtures.trojanedReport());

    CliRunner.Result result = cli.run("scan", model.toString(), "--seeds", seeds.toString(), "--sarif", "-");

    assertEquals(ExitCodes.TROJANED, result.exitCode(), result::toString);
    assertEquals(1, validSarifRun(result.out()).getAsJsonArray("results").size());
    assertFalse(result.out().contains("verdict         "), result::toString);
  }

  /**
   * The SARIF 2.1.0 schema's required properties (sarifLog: version, runs; run: tool; tool: driver;
   * toolComponent: name; result: message; message: text) plus what code-scanning consumers need ($schema,
   * ruleId, level, locations with an artifactLocation uri). Returns the one run.
   */
  private static JsonObject validSarifRun(String text) {
    JsonObject log = JsonParser.parseString(text).getAsJsonObject();
    assertEquals("2.1.0", string(log, "version"));
    assertEquals(SarifReport.SCHEMA, string(log, "$schema"));
    JsonArray runs = log.getAsJsonArray("runs");
    assertEquals(1, runs.size(), text);
    JsonObject run = runs.get(0).getAsJsonObject();
    JsonObject driver = run.getAsJsonObject("tool").getAsJsonObject("driver");
    assertEquals("abscan", string(driver, "name"));
    assertFalse(string(driver, "version").isEmpty());
    assertFalse(driver.has("informationUri"), "no URL to a site that may not exist");
    JsonArray rules = driver.getAsJsonArray("rules");
    assertEquals(SarifReport.RULE_ID, string(rules.get(0).getAsJsonObject(), "id"));
    assertTrue(run.get("results").isJsonArray(), "results present (empty when benign): " + text);
    for (JsonElement element : run.getAsJsonArray("results")) {
      JsonObject result = element.getAsJsonObject();
      assertEquals(SarifReport.RULE_ID, string(result, "ruleId"));
      assertTrue(java.util.Set.of("none", "note", "warning", "error").contains(string(result, "level")));
      assertFalse(string(result.getAsJsonObject("message"), "text").isEmpty());
      JsonArray locations = result.getAsJsonArray("locations");
      assertFalse(locations.isEmpty(), text);
      JsonObject artifact = locations.get(0).getAsJsonObject().getAsJsonObject("physicalLocation")
          .getAsJsonObject("artifactLocation");
      assertFalse(string(artifact, "uri").isEmpty());
      java.net.URI.create(string(artifact, "uri")); // a valid URI reference
    }
    return run;
  }

  private static String string(JsonObject object, String name) {
    assertTrue(object.has(name), () -> "missing " + name + " in " + object);
    return object.get(name).getAsString();
  }
}
