package org.abscan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.abscan.cli.testing.CliRunner;
import org.abscan.cli.testing.FakeScanService;
import org.abscan.cli.testing.Fixtures;
import org.abscan.cli.testing.InProcessDaemon;
import org.abscan.proto.scan.v1.CancelScanResponse;
import org.abscan.proto.scan.v1.GetScanResponse;
import org.abscan.proto.scan.v1.ListScansRequest;
import org.abscan.proto.scan.v1.ListScansResponse;
import org.abscan.proto.scan.v1.ScanEvent;
import org.abscan.proto.scan.v1.ScanQueued;
import org.abscan.proto.scan.v1.ScanState;
import org.abscan.proto.scan.v1.ScanSummary;
import org.abscan.proto.scan.v1.Verdict;
import org.abscan.proto.scan.v1.WatchScanRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** get, list, cancel and watch: the commands on a daemon's scan jobs. */
class JobCommandsTest {
  @TempDir
  Path dir;

  private final FakeScanService scans = new FakeScanService();
  private InProcessDaemon daemon;
  private CliRunner cli;

  @BeforeEach
  void start() {
    daemon = new InProcessDaemon(scans);
    cli = new CliRunner(daemon, dir);
  }

  @AfterEach
  void stop() {
    daemon.close();
  }

  private static ScanSummary summary(String id, ScanState state) {
    return ScanSummary.newBuilder().setScanId(id).setState(state).setModelSha256("44b23837aabbccddeeff")
        .setCreatedUnixMillis(1_700_000_000_000L).setVerdict(Verdict.VERDICT_TROJANED).setTargetLabel(0)
        .setMaxReasr(0.97f).build();
  }

  @Test
  void jobCommandsNeedAServer() {
    for (String[] args : List.of(new String[] {"get", "x"}, new String[] {"list"}, new String[] {"cancel", "x"},
        new String[] {"watch", "x"})) {
      CliRunner.Result result = cli.run(args);
      assertEquals(ExitCodes.USAGE, result.exitCode(), result::toString);
      assertTrue(result.err().contains("give --server"), result::toString);
    }
    assertTrue(scans.requests.isEmpty());
  }

  @Test
  void getPrintsStateAndReportAndExitsByVerdict() throws Exception {
    scans.getResponse = GetScanResponse.newBuilder().setScan(summary("scan-1", ScanState.SCAN_STATE_SUCCEEDED))
        .setReport(Fixtures.trojanedReport()).build();
    Path json = dir.resolve("r.json");

    CliRunner.Result result = cli.run("get", "scan-1", "--server", "fake:1", "--json", json.toString());

    assertEquals(ExitCodes.TROJANED, result.exitCode(), result::toString);
    assertTrue(result.out().contains("state    SUCCEEDED: TROJANED (label 0, REASR 0.970)"), result::toString);
    assertTrue(result.out().contains("created  2023-11-14T22:13:20Z"), result::toString);
    assertTrue(Files.readString(json).contains("\"targetLabel\": 0"));
  }

  @Test
  void getJsonDashPrintsOnlyTheReportAndSarifPointsAtTheModelHash() throws Exception {
    scans.getResponse = GetScanResponse.newBuilder().setScan(summary("scan-1", ScanState.SCAN_STATE_SUCCEEDED))
        .setReport(Fixtures.trojanedReport()).build();
    Path sarif = dir.resolve("r.sarif");

    CliRunner.Result result = cli.run("get", "scan-1", "--server", "fake:1", "--json", "-", "--sarif", sarif.toString());

    assertEquals(ExitCodes.TROJANED, result.exitCode(), result::toString);
    org.abscan.proto.scan.v1.ScanReport.Builder parsed = org.abscan.proto.scan.v1.ScanReport.newBuilder();
    com.google.protobuf.util.JsonFormat.parser().merge(result.out(), parsed); // no state lines mixed in
    assertEquals(Fixtures.trojanedReport(), parsed.build());
    assertTrue(Files.readString(sarif).contains("\"uri\": \"sha256:44b23837\""), Files.readString(sarif));
  }

  @Test
  void getOfARunningScanHasNoReport() {
    scans.getResponse = GetScanResponse.newBuilder().setScan(summary("scan-1", ScanState.SCAN_STATE_RUNNING)).build();

    CliRunner.Result plain = cli.run("get", "scan-1", "--server", "fake:1");
    assertEquals(ExitCodes.OK, plain.exitCode(), plain::toString);
    assertTrue(plain.out().contains("state    RUNNING"), plain::toString);

    CliRunner.Result wantsFile = cli.run("get", "scan-1", "--server", "fake:1", "--html", dir.resolve("r.html").toString());
    assertEquals(ExitCodes.SERVER_ERROR, wantsFile.exitCode(), wantsFile::toString);
    assertTrue(wantsFile.err().contains("has no report (RUNNING)"), wantsFile::toString);
  }

  @Test
  void getOfAnUnknownScanExits3() {
    scans.error = Status.NOT_FOUND.withDescription("no scan nope").asRuntimeException();
    CliRunner.Result result = cli.run("get", "nope", "--server", "fake:1");
    assertEquals(ExitCodes.REJECTED, result.exitCode(), result::toString);
    assertTrue(result.err().contains("not found (NOT_FOUND): no scan nope"), result::toString);
  }

  @Test
  void listFollowsPagesUpToTheLimit() {
    scans.listPages = List.of(
        ListScansResponse.newBuilder().addScans(summary("scan-3", ScanState.SCAN_STATE_RUNNING))
            .addScans(summary("scan-2", ScanState.SCAN_STATE_SUCCEEDED)).setNextPageToken("p2").build(),
        ListScansResponse.newBuilder().addScans(summary("scan-1", ScanState.SCAN_STATE_CANCELLED)).build());

    CliRunner.Result result = cli.run("list", "--server", "fake:1");

    assertEquals(ExitCodes.OK, result.exitCode(), result::toString);
    List<String> lines = result.out().lines().toList();
    assertEquals(4, lines.size(), result::toString);
    assertTrue(lines.get(0).startsWith("ID "), result::toString);
    assertTrue(lines.get(1).startsWith("scan-3  RUNNING "), result::toString);
    assertTrue(lines.get(2).contains("SUCCEEDED: TROJANED (label 0, REASR 0.970)"), result::toString);
    assertTrue(lines.get(3).contains("CANCELLED") && lines.get(3).endsWith("44b23837aabb"), result::toString);
    List<ListScansRequest> requests = scans.requests.stream().filter(ListScansRequest.class::isInstance)
        .map(ListScansRequest.class::cast).toList();
    assertEquals(List.of("", "p2"), requests.stream().map(ListScansRequest::getPageToken).toList());
  }

  @Test
  void cancelPrintsTheResultingState() {
    scans.cancelResponse = CancelScanResponse.newBuilder().setScan(summary("scan-4", ScanState.SCAN_STATE_CANCELLED))
        .build();
    CliRunner.Result result = cli.run("cancel", "scan-4", "--server", "fake:1");
    assertEquals(ExitCodes.OK, result.exitCode(), result::toString);
    assertEquals("scan-4: CANCELLED", result.out().trim());
  }

  @Test
  void watchFollowsEventsToTheReport() {
    scans.events = List.of(
        ScanEvent.newBuilder().setSequence(4).setScanId("scan-5").setQueued(ScanQueued.newBuilder().setPosition(2))
            .build(),
        ScanEvent.newBuilder().setSequence(5).setReport(Fixtures.benignReport()).build());

    CliRunner.Result result = cli.run("watch", "scan-5", "--server", "fake:1", "--after", "3");

    assertEquals(ExitCodes.OK, result.exitCode(), result::toString);
    assertTrue(result.err().contains("queued, position 2"), result::toString);
    assertTrue(result.out().contains("verdict         BENIGN"), result::toString);
    WatchScanRequest request = scans.only(WatchScanRequest.class);
    assertEquals("scan-5", request.getScanId());
    assertEquals(3, request.getAfterSequence());
  }
}
