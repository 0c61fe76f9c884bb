package org.abscan.cli;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.util.JsonFormat;
import io.grpc.Metadata;
import io.grpc.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.abscan.cli.connect.BearerToken;
import org.abscan.cli.testing.CliRunner;
import org.abscan.cli.testing.FakeModelService;
import org.abscan.cli.testing.FakeScanService;
import org.abscan.cli.testing.Fixtures;
import org.abscan.cli.testing.InProcessDaemon;
import org.abscan.proto.common.v1.Layout;
import org.abscan.proto.scan.v1.Candidate;
import org.abscan.proto.scan.v1.CandidateResult;
import org.abscan.proto.scan.v1.CandidatesSelected;
import org.abscan.proto.scan.v1.FailureReason;
import org.abscan.proto.scan.v1.LabelCapMode;
import org.abscan.proto.scan.v1.ModelLoaded;
import org.abscan.proto.scan.v1.Sampling;
import org.abscan.proto.scan.v1.ScanAccepted;
import org.abscan.proto.scan.v1.ScanEvent;
import org.abscan.proto.scan.v1.ScanFailed;
import org.abscan.proto.scan.v1.ScanReport;
import org.abscan.proto.scan.v1.ScanRequest;
import org.abscan.proto.scan.v1.StimulationProgress;
import org.abscan.proto.scan.v1.TriggerProgress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScanCommandTest {
  @TempDir
  Path dir;

  private final FakeScanService scans = new FakeScanService();
  private final FakeModelService models = new FakeModelService();
  private InProcessDaemon daemon;
  private CliRunner cli;
  private Path model;
  private Path seeds;

  @BeforeEach
  void start() throws Exception {
    daemon = new InProcessDaemon(scans, models);
    cli = new CliRunner(daemon, dir);
    model = Fixtures.modelFile(dir, 3000);
    seeds = Fixtures.seedFolder(dir, 3, 2);
  }

  @AfterEach
  void stop() {
    daemon.close();
  }

  static List<ScanEvent> eventsEndingWith(ScanReport report) {
    List<ScanEvent> events = new ArrayList<>();
    events.add(ScanEvent.newBuilder().setSequence(1).setScanId("scan-1")
        .setAccepted(ScanAccepted.newBuilder().setScanId("scan-1")).build());
    events.add(ScanEvent.newBuilder().setSequence(2).setModelLoaded(ModelLoaded.newBuilder()
        .setFormat("keras-h5").setNumLabels(10).setCandidateLayers(2).setTotalNeurons(100).setSeedImages(6)).build());
    for (int done = 1; done <= 100; done++) {
      events.add(ScanEvent.newBuilder().setStimulationProgress(StimulationProgress.newBuilder()
          .setLayer(done <= 50 ? "conv2d_1" : "conv2d_2").setNeuronsDone((done - 1) % 50 + 1).setNeuronsTotal(50)
          .setAllNeuronsDone(done).setAllNeuronsTotal(100)).build());
    }
    events.add(ScanEvent.newBuilder().setCandidatesSelected(CandidatesSelected.newBuilder()
        .addCandidates(Candidate.newBuilder().setLayer("conv2d_2").setNeuron(7).setTargetLabel(0))).build());
    for (int step = 0; step <= 300; step += 10) {
      events.add(ScanEvent.newBuilder().setTriggerProgress(TriggerProgress.newBuilder()
          .setTrigger("pixel").setStep(step).setMaxSteps(300).setLoss(1f / (step + 1)).setMaskSize(0.04f)).build());
    }
    events.add(ScanEvent.newBuilder().setCandidateResult(CandidateResult.newBuilder()
        .setCandidate(Fixtures.candidate(7, 0, 0.97f))).build());
    events.add(ScanEvent.newBuilder().setReport(report).build());
    return events;
  }

  @Test
  void trojanedModelExits10AndWritesJsonWithTargetLabelZero() throws Exception {
    scans.events = eventsEndingWith(Fixtures.trojanedReport());
    Path json = dir.resolve("out/report.json");

    CliRunner.Result result = cli.run("scan", model.toString(), "--seeds", seeds.toString(), "--json", json.toString());

    assertEquals(ExitCodes.TROJANED, result.exitCode(), result::toString);
    String text = Files.readString(json);
    assertAll(
        () -> assertTrue(text.contains("\"verdict\": \"VERDICT_TROJANED\""), text),
        () -> assertTrue(text.contains("\"targetLabel\": 0"), text),
        () -> assertTrue(text.contains("\"maxReasr\": 0.97"), text),
        // Default-valued fields are printed too (e.g. a candidate's unset sourceLabel is not, labelSpecific is).
        () -> assertTrue(text.contains("\"labelSpecific\": false"), text));
    ScanReport.Builder parsed = ScanReport.newBuilder();
    JsonFormat.parser().merge(text, parsed);
    assertEquals(Fixtures.trojanedReport(), parsed.build());
    assertTrue(result.out().contains("TROJANED"), result::toString);
    assertTrue(result.out().contains("target label    0"), result::toString);
    assertTrue(result.out().contains("conv2d_2 neuron 7, pixel trigger"), result::toString);
  }

  @Test
  void benignModelExits0AndJsonKeepsZeroReasr() throws Exception {
    scans.events = eventsEndingWith(Fixtures.benignReport());
    Path json = dir.resolve("benign.json");

    CliRunner.Result result = cli.run("scan", model.toString(), "--seeds", seeds.toString(), "--json", json.toString());

    assertEquals(ExitCodes.OK, result.exitCode(), result::toString);
    String text = Files.readString(json);
    assertTrue(text.contains("\"verdict\": \"VERDICT_BENIGN\""), text);
    assertTrue(text.contains("\"maxReasr\": 0.0"), text);
    assertFalse(text.contains("targetLabel"), "no candidate, no target label: " + text);
    assertTrue(result.out().contains("target label    none"), result::toString);
  }

  @Test
  void anUnknownLabelCapModeIsAUsageErrorNamingTheChoices() {
    CliRunner.Result result = cli.run("scan", model.toString(), "--seeds", seeds.toString(), "--server", "fake:1",
        "--label-cap-mode", "both");
    assertEquals(ExitCodes.USAGE, result.exitCode(), result::toString);
    assertTrue(result.err().contains("expected add or replace, got 'both'"), result::toString);
  }

  @Test
  void remoteScanUploadsTheModelAndSendsSeedBytes() throws Exception {
    scans.events = eventsEndingWith(Fixtures.benignReport());

    CliRunner.Result result = cli.run("scan", model.toString(), "--seeds", seeds.toString(), "--server", "fake:1",
        "--input-range", "-1,1", "--mean", "0.5", "--std", "0.25", "--layout", "nchw", "--format", "keras-h5",
        "--sampling", "grid", "--samples", "7", "--top-k", "3", "--re-steps", "50", "--max-trigger-size", "0.1",
        "--threshold", "0.9", "--per-label-cap", "2", "--layers", "conv2d_1,dense_1", "--triggers", "pixel,filter", "--seed", "42",
        "--device", "/GPU:0", "--min-neuron-lift", "-1", "--slow-trigger-steps", "300", "--corroborating-neurons", "4",
        "--fast-trigger-steps", "60",
        "--label-cap-mode", "Replace");

    assertEquals(ExitCodes.OK, result.exitCode(), result::toString);
    ScanRequest request = scans.only(ScanRequest.class);
    assertEquals(Fixtures.sha256(Files.readAllBytes(model)), request.getModel().getModelId());
    assertEquals("keras-h5", request.getModel().getFormat());
    assertEquals(6, request.getSeeds().getImagesCount());
    assertEquals("2/img_1.png", request.getSeeds().getImages(5).getName());
    assertEquals(2, request.getSeeds().getImages(5).getLabel());
    assertEquals(-1f, request.getPreprocessing().getInputMin());
    assertEquals(1f, request.getPreprocessing().getInputMax());
    assertEquals(List.of(0.5f), request.getPreprocessing().getMeanList());
    assertEquals(Layout.LAYOUT_NCHW, request.getPreprocessing().getLayout());
    var parameters = request.getParameters();
    assertAll(
        () -> assertEquals(Sampling.SAMPLING_GRID, parameters.getSampling()),
        () -> assertEquals(7, parameters.getSamples()),
        () -> assertEquals(3, parameters.getTopK()),
        () -> assertEquals(2, parameters.getPerLabelCap()),
        () -> assertEquals(50, parameters.getReSteps()),
        () -> assertEquals(0.1f, parameters.getMaxTriggerSize()),
        () -> assertEquals(0.9f, parameters.getThreshold()),
        () -> assertEquals(List.of("conv2d_1", "dense_1"), parameters.getLayersList()),
        () -> assertEquals(List.of("pixel", "filter"), parameters.getTriggersList()),
        () -> assertEquals(42L, parameters.getSeed()),
        () -> assertEquals("/GPU:0", parameters.getDevice()),
        () -> assertEquals(-1f, parameters.getMinNeuronLift()),
        () -> assertEquals(300, parameters.getSlowTriggerSteps()),
        () -> assertEquals(4, parameters.getCorroboratingNeurons()),
        () -> assertEquals(60, parameters.getFastTriggerSteps()),
        () -> assertEquals(LabelCapMode.LABEL_CAP_MODE_REPLACE, parameters.getLabelCapMode()));
    assertTrue(result.err().contains("uploaded model.h5 (3000 bytes)"), result::toString);
  }

  @Test
  void embeddedScanNamesModelAndSeedsByAbsolutePath() {
    scans.events = eventsEndingWith(Fixtures.benignReport());

    CliRunner.Result result = cli.embedded().run("scan", model.toString(), "--seeds", seeds.toString());

    assertEquals(ExitCodes.OK, result.exitCode(), result::toString);
    ScanRequest request = scans.only(ScanRequest.class);
    assertEquals(model.toAbsolutePath().toString(), request.getModel().getServerPath());
    assertEquals(seeds.toAbsolutePath().toString(), request.getSeeds().getServerFolder());
    assertTrue(models.uploads.isEmpty());
    assertTrue(cli.endpoints.get(0).modelRoots().contains(dir.toAbsolutePath()), cli.endpoints::toString);
  }

  @Test
  void serverPathsAreSentAsGiven() {
    scans.events = eventsEndingWith(Fixtures.benignReport());

    CliRunner.Result result = cli.run("scan", "/srv/models/m.h5", "--seeds", "/srv/seeds", "--server", "fake:1",
        "--server-paths");

    assertEquals(ExitCodes.OK, result.exitCode(), result::toString);
    ScanRequest request = scans.only(ScanRequest.class);
    assertEquals("/srv/models/m.h5", request.getModel().getServerPath());
    assertEquals("/srv/seeds", request.getSeeds().getServerFolder());
  }

  @Test
  void tokenComesFromTheEnvironmentOrTheFlag() {
    scans.events = eventsEndingWith(Fixtures.benignReport());
    cli.env("ABSCAN_TOKEN", "from-env");

    assertEquals(ExitCodes.OK, cli.run("scan", model.toString(), "--seeds", seeds.toString()).exitCode());
    assertEquals(ExitCodes.OK,
        cli.run("scan", model.toString(), "--seeds", seeds.toString(), "--token", "from-flag").exitCode());

    List<String> sent = daemon.metadata.headers.stream().map(h -> h.get(BearerToken.AUTHORIZATION)).toList();
    assertTrue(sent.contains("Bearer from-env"), sent::toString);
    assertTrue(sent.contains("Bearer from-flag"), sent::toString);
    Metadata last = daemon.metadata.headers.get(daemon.metadata.headers.size() - 1);
    assertEquals("Bearer from-flag", last.get(BearerToken.AUTHORIZATION));
  }

  @Test
  void badRequestExits3AndPrintsTheFieldViolations() {
    scans.error = Fixtures.badRequest("parameters.top_k", "must be positive, got -1");

    CliRunner.Result result = cli.run("scan", model.toString(), "--seeds", seeds.toString());

    assertEquals(ExitCodes.REJECTED, result.exitCode(), result::toString);
    assertTrue(result.err().contains("INVALID_ARGUMENT"), result::toString);
    assertTrue(result.err().contains("field parameters.top_k: must be positive, got -1"), result::toString);
  }

  @Test
  void refusedModelExits3WithPreconditionViolations() {
    scans.error = Fixtures.preconditionFailure("model", "op PyFunc is not allowed");

    CliRunner.Result result = cli.run("scan", model.toString(), "--seeds", seeds.toString());

    assertEquals(ExitCodes.REJECTED, result.exitCode(), result::toString);
    assertTrue(result.err().contains("precondition OP model: op PyFunc is not allowed"), result::toString);
  }

  @Test
  void missingModelExits3BeforeAnyCall() {
    CliRunner.Result result = cli.run("scan", dir.resolve("absent.h5").toString(), "--seeds", seeds.toString());

    assertEquals(ExitCodes.REJECTED, result.exitCode(), result::toString);
    assertTrue(result.err().contains("model not found"), result::toString);
    assertTrue(cli.endpoints.isEmpty(), "no daemon is started for a missing model");
  }

  @Test
  void failedScanEventMapsItsReason() {
    scans.events = List.of(ScanEvent.newBuilder().setScanId("scan-9").setFailed(ScanFailed.newBuilder()
        .setReason(FailureReason.FAILURE_REASON_MODEL_REJECTED).setMessage("no logits found")).build());
    CliRunner.Result rejected = cli.run("scan", model.toString(), "--seeds", seeds.toString());
    assertEquals(ExitCodes.REJECTED, rejected.exitCode(), rejected::toString);
    assertTrue(rejected.err().contains("scan scan-9 failed (model rejected): no logits found"), rejected::toString);

    scans.events = List.of(ScanEvent.newBuilder().setScanId("scan-10").setFailed(ScanFailed.newBuilder()
        .setReason(FailureReason.FAILURE_REASON_WORKER_CRASHED).setMessage("worker died")).build());
    CliRunner.Result crashed = cli.run("scan", model.toString(), "--seeds", seeds.toString());
    assertEquals(ExitCodes.SERVER_ERROR, crashed.exitCode(), crashed::toString);
  }

  @Test
  void serverErrorsExit4() {
    scans.error = Status.INTERNAL.withDescription("engine failure").asRuntimeException();
    CliRunner.Result internal = cli.run("scan", model.toString(), "--seeds", seeds.toString());
    assertEquals(ExitCodes.SERVER_ERROR, internal.exitCode(), internal::toString);
    assertTrue(internal.err().contains("INTERNAL"), internal::toString);

    scans.error = Fixtures.queueFull(30);
    CliRunner.Result busy = cli.run("scan", model.toString(), "--seeds", seeds.toString());
    assertEquals(ExitCodes.SERVER_ERROR, busy.exitCode(), busy::toString);
    assertTrue(busy.err().contains("retry after 30.0 s"), busy::toString);
  }

  @Test
  void streamWithoutReportExits4() {
    scans.events = eventsEndingWith(Fixtures.benignReport()).subList(0, 3);

    CliRunner.Result result = cli.run("scan", model.toString(), "--seeds", seeds.toString());

    assertEquals(ExitCodes.SERVER_ERROR, result.exitCode(), result::toString);
    assertTrue(result.err().contains("without a report"), result::toString);
  }

  @Test
  void deadlineExceededExits4() {
    scans.hang = true;

    CliRunner.Result result = cli.run("scan", model.toString(), "--seeds", seeds.toString(), "--deadline", "0.3");

    assertEquals(ExitCodes.SERVER_ERROR, result.exitCode(), result::toString);
    assertTrue(result.err().contains("DEADLINE_EXCEEDED"), result::toString);
  }

  @Test
  void usageErrorsExit2() {
    assertEquals(ExitCodes.USAGE, cli.run("scan", model.toString()).exitCode(), "no --seeds");
    assertEquals(ExitCodes.USAGE,
        cli.run("scan", model.toString(), "--seeds", seeds.toString(), "--input-range", "1,0").exitCode());
    assertEquals(ExitCodes.USAGE,
        cli.run("scan", model.toString(), "--seeds", seeds.toString(), "--sampling", "random").exitCode());
    assertEquals(ExitCodes.USAGE,
        cli.run("scan", model.toString(), "--seeds", dir.resolve("none").toString()).exitCode());
    assertEquals(ExitCodes.USAGE,
        cli.run("scan", model.toString(), "--seeds", seeds.toString(), "--server-paths").exitCode());
    assertEquals(ExitCodes.USAGE, cli.run("frobnicate").exitCode());
    assertEquals(ExitCodes.USAGE, cli.run().exitCode());
    assertTrue(scans.requests.isEmpty());
  }

  @Test
  void progressIsPlainLinesWhenStderrIsNotATerminal() {
    scans.events = eventsEndingWith(Fixtures.trojanedReport());

    CliRunner.Result result = cli.run("scan", model.toString(), "--seeds", seeds.toString());

    String err = result.err();
    assertFalse(err.contains("\r"), err);
    assertTrue(err.contains("scan scan-1 accepted"), err);
    assertTrue(err.contains("model loaded: keras-h5, 10 labels, 2 candidate layers, 100 neurons, 6 seed images"), err);
    assertTrue(err.contains("stimulating 50/100 (50%), layer conv2d_1 50/50"), err);
    assertTrue(err.contains("stimulating 100/100 (100%)"), err);
    assertTrue(err.contains("#0 conv2d_2 neuron 7 -> label 0"), err);
    assertTrue(err.contains("candidate #0 conv2d_2 neuron 7 pixel trigger -> label 0: REASR 0.970"), err);
    long stimulationLines = err.lines().filter(l -> l.startsWith("stimulating")).count();
    assertEquals(11, stimulationLines, "the first, then one line per tenth of 100 progress events: " + err);
  }

  @Test
  void progressIsRedrawnOnATerminal() {
    scans.events = eventsEndingWith(Fixtures.trojanedReport());

    CliRunner.Result result = cli.interactive().run("scan", model.toString(), "--seeds", seeds.toString());

    assertEquals(ExitCodes.TROJANED, result.exitCode(), result::toString);
    String err = result.err();
    // progressbar draws from its own thread; a bar's last state is drawn when it closes, so these are certain.
    assertTrue(err.contains("\rloading model"), err);
    assertTrue(err.matches("(?s).*\\rstimulating +100% [│|]█+[│|] 100/100 \\(.*\\) layer conv2d_2 50/50.*"), err);
    assertTrue(err.matches("(?s).*\\rreversing \\(pixel\\) +100% [│|]█+[│|] 1/1 \\(.*\\) candidates, step 300/300.*"),
        err);
    assertTrue(err.contains("candidate #0 conv2d_2 neuron 7 pixel trigger -> label 0: REASR 0.970"), err);
    assertFalse(err.lines().anyMatch(l -> l.startsWith("stimulating 50/100")), "no plain counter lines: " + err);
    assertTrue(err.endsWith("\n"), "the terminal is left on a fresh line");
  }

  @Test
  void quietPrintsNothingButKeepsTheExitCode() {
    scans.events = eventsEndingWith(Fixtures.trojanedReport());

    CliRunner.Result result = cli.run("scan", model.toString(), "--seeds", seeds.toString(), "--quiet");

    assertEquals(ExitCodes.TROJANED, result.exitCode());
    assertEquals("", result.out());
    assertEquals("", result.err());
  }

  @Test
  void htmlReportIsSelfContained() throws Exception {
    ScanReport.Builder report = Fixtures.trojanedReport().toBuilder();
    report.getCandidatesBuilder(0).setSelectedByTopK(true).setSelectedByLabelCap(true);
    report.getCandidatesBuilder(1).setSelectedByLabelCap(true);
    report.addCandidates(report.getCandidates(1).toBuilder().setTargetLabel(5).setSelectedByLabelCap(false)
        .setSelectedByLabelCover(true));
    report.getCandidatesBuilder(0).setSteps(61).setFoundAtStep(48);
    report.getCandidatesBuilder(1).setSteps(300).setFoundAtStep(0);
    scans.events = eventsEndingWith(report.build());
    Path html = dir.resolve("report.html");

    CliRunner.Result result = cli.run("scan", model.toString(), "--seeds", seeds.toString(), "--html", html.toString());

    assertEquals(ExitCodes.TROJANED, result.exitCode(), result::toString);
    String page = Files.readString(html);
    assertFalse(page.contains("http://") || page.contains("https://"), "no URL in a self-contained report");
    assertFalse(page.contains("<script"), "no scripts");
    assertTrue(page.contains("src=\"data:image/png;base64,iVBORw0KGgo"), "inline PNGs");
    assertTrue(page.contains("<svg"), "inline NSF plots");
    assertTrue(page.contains("TROJANED"));
    assertTrue(page.contains("class=\"label-0\""), "the target label's curve");
    assertTrue(page.contains("stroke=\"#d62728\""), "the target label is highlighted");
    assertTrue(page.contains("<th>threshold</th><td>0.88</td>") || page.contains("threshold</th><td>0.880"), page);
    assertTrue(page.contains("<td>0</td><td>both</td>") && page.contains("<td>2</td><td>label cap</td>")
        && page.contains("<td>5</td><td>label cover</td>"),
        "which selection chose each candidate, after its target: " + page);
    assertTrue(page.contains("<td>61</td><td>48</td>") && page.contains("<td>300</td><td>-</td>"),
        "steps, then the step the trigger was found at (- when never): " + page);
  }
}
