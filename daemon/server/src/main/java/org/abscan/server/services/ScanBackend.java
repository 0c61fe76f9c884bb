package org.abscan.server.services;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import org.abscan.proto.common.v1.ModelRef;
import org.abscan.proto.model.v1.DescribeModelResponse;
import org.abscan.proto.scan.v1.GenerateTriggerRequest;
import org.abscan.proto.scan.v1.GenerateTriggerResponse;
import org.abscan.proto.scan.v1.ScanRequest;
import org.abscan.proto.scan.v1.StreamNSFRequest;
import org.abscan.proto.scan.v1.StreamNSFResponse;
import org.abscan.server.jobs.ScanWork;

/**
 * Where models are parsed and the engine runs: in the daemon's JVM ({@link InProcessBackend}, {@code --workers
 * 0} and the CLI's embedded daemon) or in supervised worker processes ({@link WorkerBackend}). The services
 * validate nothing model-specific themselves; they hand requests here.
 */
public interface ScanBackend extends AutoCloseable {
  /** A scan ready to queue. */
  record PreparedScan(String modelSha256, ScanWork work) {}

  /**
   * Checks what can be checked before a job exists and binds the rest into the work.
   *
   * @throws org.abscan.spi.AbscanException for a bad request
   */
  PreparedScan prepareScan(ScanRequest request);

  /** Runs StreamNSF for the call; failures close the call (after validation failures are thrown). */
  void streamNsf(StreamNSFRequest request, ServerCallStreamObserver<StreamNSFResponse> call);

  void generateTrigger(GenerateTriggerRequest request, ServerCallStreamObserver<GenerateTriggerResponse> call);

  /**
   * Answers DescribeModel: what the loader sees in the model. Resolution failures are thrown; later ones close
   * {@code responses}.
   */
  void describe(ModelRef ref, StreamObserver<DescribeModelResponse> responses);

  @Override
  default void close() {}
}
