package org.abscan.cli.testing;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.Duration;
import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import com.google.rpc.PreconditionFailure;
import com.google.rpc.RetryInfo;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.imageio.ImageIO;
import org.abscan.proto.scan.v1.Candidate;
import org.abscan.proto.scan.v1.LabelCurve;
import org.abscan.proto.scan.v1.NeuronStimulation;
import org.abscan.proto.scan.v1.ScanParameters;
import org.abscan.proto.scan.v1.ScanReport;
import org.abscan.proto.scan.v1.Timings;
import org.abscan.proto.scan.v1.TriggerImages;
import org.abscan.proto.scan.v1.Verdict;

/** Canned reports, images, errors and files for the CLI tests. */
public final class Fixtures {
  private Fixtures() {}

  /** A real 4x4 PNG. */
  public static ByteString png() {
    BufferedImage image = new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB);
    image.setRGB(3, 3, 0xffffff);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return ByteString.copyFrom(bytes.toByteArray());
  }

  public static Candidate candidate(int neuron, int target, float reasr) {
    return Candidate.newBuilder()
        .setLayer("conv2d_2").setNeuron(neuron).setTargetLabel(target).setElevationScore(3.5f)
        .setPeakValue(12f).setReasr(reasr).setReasrTrain(reasr).setTrigger("pixel").setTriggerKind("pixel")
        .setMaskSize(0.04f).setWithinSizeBound(true).setRaisesNeuron(true).setSteps(300)
        .setImages(TriggerImages.newBuilder().setMaskPng(png()).setPatternPng(png()).addStampedPng(png()))
        .build();
  }

  public static NeuronStimulation nsf(int neuron, int topLabel) {
    NeuronStimulation.Builder nsf = NeuronStimulation.newBuilder()
        .setLayer("conv2d_2").setNeuron(neuron).setImageIndex(-1).setTopLabel(topLabel).setScore(2.5f)
        .addValues(0f).addValues(5f).addValues(10f);
    for (int label = 0; label < 3; label++) {
      float slope = label == topLabel ? 2f : -0.5f;
      nsf.addLabels(LabelCurve.newBuilder().setLabel(label)
          .addLogits(0f).addLogits(5 * slope).addLogits(10 * slope));
    }
    return nsf.build();
  }

  /** Trojaned, target label 0 (a zero that proto3 JSON would drop without default-value printing). */
  public static ScanReport trojanedReport() {
    return ScanReport.newBuilder()
        .setScanId("scan-1").setVerdict(Verdict.VERDICT_TROJANED).setTargetLabel(0).setMaxReasr(0.97f)
        .setBestCandidate(0).addCandidates(candidate(7, 0, 0.97f)).addCandidates(candidate(3, 2, 0.2f))
        .addNsfSummaries(nsf(7, 0)).addNsfSummaries(nsf(3, 2)).addBaselineReasrs(0.1f)
        .setParameters(ScanParameters.newBuilder().setThreshold(0.88f).setTopK(10).addTriggers("pixel"))
        .setModelSha256("44b23837").setModelFormat("keras-h5").setNumLabels(10).setSeedImages(50)
        .setNeuronsAnalysed(560).setTimings(Timings.newBuilder().setTotalSeconds(42.5))
        .build();
  }

  public static ScanReport benignReport() {
    return ScanReport.newBuilder()
        .setScanId("scan-2").setVerdict(Verdict.VERDICT_BENIGN).setMaxReasr(0f).setBestCandidate(-1)
        .setParameters(ScanParameters.newBuilder().setThreshold(0.88f))
        .build();
  }

  public static StatusRuntimeException badRequest(String field, String description) {
    return StatusProto.toStatusRuntimeException(com.google.rpc.Status.newBuilder()
        .setCode(Code.INVALID_ARGUMENT_VALUE).setMessage("invalid scan request")
        .addDetails(Any.pack(BadRequest.newBuilder().addFieldViolations(
            BadRequest.FieldViolation.newBuilder().setField(field).setDescription(description)).build()))
        .build());
  }

  public static StatusRuntimeException preconditionFailure(String subject, String description) {
    return StatusProto.toStatusRuntimeException(com.google.rpc.Status.newBuilder()
        .setCode(Code.FAILED_PRECONDITION_VALUE).setMessage("model refused")
        .addDetails(Any.pack(PreconditionFailure.newBuilder().addViolations(
            PreconditionFailure.Violation.newBuilder().setType("OP").setSubject(subject)
                .setDescription(description)).build()))
        .build());
  }

  public static StatusRuntimeException queueFull(long retrySeconds) {
    return StatusProto.toStatusRuntimeException(com.google.rpc.Status.newBuilder()
        .setCode(Code.RESOURCE_EXHAUSTED_VALUE).setMessage("scan queue full")
        .addDetails(Any.pack(RetryInfo.newBuilder()
            .setRetryDelay(Duration.newBuilder().setSeconds(retrySeconds)).build()))
        .build());
  }

  /** A seed folder {@code <label>/<file>} with {@code perLabel} tiny PNGs for labels 0..labels-1. */
  public static Path seedFolder(Path root, int labels, int perLabel) throws IOException {
    Path seeds = root.resolve("seeds");
    for (int label = 0; label < labels; label++) {
      Path dir = Files.createDirectories(seeds.resolve(String.valueOf(label)));
      for (int i = 0; i < perLabel; i++) {
        Files.write(dir.resolve("img_" + i + ".png"), png().toByteArray());
      }
    }
    return seeds;
  }

  public static Path modelFile(Path root, int bytes) throws IOException {
    byte[] content = new byte[bytes];
    new java.util.Random(7).nextBytes(content);
    return Files.write(root.resolve("model.h5"), content);
  }

  public static String sha256(byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
