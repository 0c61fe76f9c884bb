package org.abscan.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.util.JsonFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.abscan.cli.testing.CliRunner;
import org.abscan.cli.testing.FakeScanService;
import org.abscan.cli.testing.Fixtures;
import org.abscan.cli.testing.InProcessDaemon;
import org.abscan.proto.scan.v1.GenerateTriggerRequest;
import org.abscan.proto.scan.v1.GenerateTriggerResponse;
import org.abscan.proto.scan.v1.NeuronStimulation;
import org.abscan.proto.scan.v1.StimulationProgress;
import org.abscan.proto.scan.v1.StreamNSFRequest;
import org.abscan.proto.scan.v1.StreamNSFResponse;
import org.abscan.proto.scan.v1.TriggerProgress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** nsf and trigger against a fake ScanService. */
class AnalysisCommandsTest {
  @TempDir
  Path dir;

  private final FakeScanService scans = new FakeScanService();
  private InProcessDaemon daemon;
  private CliRunner cli;
  private Path model;
  private Path seeds;

  @BeforeEach
  void start() throws Exception {
    daemon = new InProcessDaemon(scans);
    cli = new CliRunner(daemon, dir).embedded();
    model = Fixtures.modelFile(dir, 100);
    seeds = Fixtures.seedFolder(dir, 2, 1);
  }

  @AfterEach
  void stop() {
    daemon.close();
  }

  @Test
  void nsfPrintsEachNeuronAndWritesJsonLines() throws Exception {
    scans.nsfResponses = List.of(
        StreamNSFResponse.newBuilder().setProgress(StimulationProgress.newBuilder().setLayer("conv2d_2")
            .setNeuronsDone(1).setNeuronsTotal(2).setAllNeuronsDone(1).setAllNeuronsTotal(2)).build(),
        StreamNSFResponse.newBuilder().setNsf(Fixtures.nsf(3, 2)).build(),
        StreamNSFResponse.newBuilder().setNsf(Fixtures.nsf(7, 0)).build());
    Path json = dir.resolve("nsf.jsonl");

    CliRunner.Result result = cli.run("nsf", model.toString(), "--seeds", seeds.toString(), "--layer", "conv2d_2",
        "--neurons", "3,7", "--samples", "9", "--json", json.toString());

    assertEquals(ExitCodes.OK, result.exitCode(), result::toString);
    assertEquals(List.of("conv2d_2 neuron 3: top label 2, score 2.5000", "conv2d_2 neuron 7: top label 0, score 2.5000"),
        result.out().lines().toList());
    List<String> lines = Files.readAllLines(json);
    assertEquals(2, lines.size());
    NeuronStimulation.Builder parsed = NeuronStimulation.newBuilder();
    JsonFormat.parser().merge(lines.get(1), parsed);
    assertEquals(Fixtures.nsf(7, 0), parsed.build());
    assertTrue(lines.get(1).contains("\"topLabel\":0"), lines.get(1));
    StreamNSFRequest request = scans.only(StreamNSFRequest.class);
    assertEquals(List.of("conv2d_2"), request.getParameters().getLayersList());
    assertEquals(List.of(3, 7), request.getNeuronsList());
    assertEquals(9, request.getParameters().getSamples());
    assertTrue(result.err().contains("stimulating 1/2 (50%), layer conv2d_2 1/2"), result::toString);
  }

  @Test
  void nsfNeedsALayer() {
    assertEquals(ExitCodes.USAGE, cli.run("nsf", model.toString(), "--seeds", seeds.toString()).exitCode());
  }

  @Test
  void triggerWritesItsImages() throws Exception {
    scans.triggerResponses = List.of(
        GenerateTriggerResponse.newBuilder().setProgress(TriggerProgress.newBuilder().setTrigger("pixel")
            .setStep(10).setMaxSteps(20)).build(),
        GenerateTriggerResponse.newBuilder().setResult(Fixtures.candidate(7, 0, 0.95f)).build());
    Path out = dir.resolve("trigger");

    CliRunner.Result result = cli.run("trigger", model.toString(), "--seeds", seeds.toString(), "--layer", "conv2d_2",
        "--neuron", "7", "--target", "0", "--trigger", "pixel", "--re-steps", "20", "--out", out.toString());

    assertEquals(ExitCodes.OK, result.exitCode(), result::toString);
    assertTrue(result.out().contains("conv2d_2 neuron 7 pixel trigger -> label 0: REASR 0.950"), result::toString);
    for (String name : List.of("mask.png", "pattern.png", "stamped-1.png")) {
      assertArrayEquals(Fixtures.png().toByteArray(), Files.readAllBytes(out.resolve(name)), name);
    }
    GenerateTriggerRequest request = scans.only(GenerateTriggerRequest.class);
    assertEquals(List.of(7), request.getNeuronsList());
    assertTrue(request.hasTargetLabel());
    assertEquals(0, request.getTargetLabel());
    assertEquals(20, request.getParameters().getReSteps());
  }

  @Test
  void triggerWithoutTargetLeavesItUnsetAndUsesADefaultDirectory() {
    scans.triggerResponses = List.of(
        GenerateTriggerResponse.newBuilder().setResult(Fixtures.candidate(3, 2, 0.1f)).build());

    CliRunner.Result result = cli.run("trigger", model.toString(), "--seeds", seeds.toString(), "--layer", "conv2d/2",
        "--neuron", "3,4", "--trigger", "multi-neuron");

    assertEquals(ExitCodes.OK, result.exitCode(), result::toString);
    GenerateTriggerRequest request = scans.only(GenerateTriggerRequest.class);
    assertFalse(request.hasTargetLabel());
    assertEquals(List.of(3, 4), request.getNeuronsList());
    assertTrue(Files.exists(dir.resolve("trigger-conv2d_2-3_4/mask.png")), result::toString);
  }
}
