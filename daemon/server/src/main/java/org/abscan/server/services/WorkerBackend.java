package org.abscan.server.services;

import io.grpc.Context;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import javax.inject.Inject;
import org.abscan.proto.common.v1.ModelRef;
import org.abscan.proto.model.v1.DescribeModelResponse;
import org.abscan.proto.scan.v1.GenerateTriggerRequest;
import org.abscan.proto.scan.v1.GenerateTriggerResponse;
import org.abscan.proto.scan.v1.ScanRequest;
import org.abscan.proto.scan.v1.StreamNSFRequest;
import org.abscan.proto.scan.v1.StreamNSFResponse;
import org.abscan.proto.worker.v1.DescribeModelTask;
import org.abscan.proto.worker.v1.GenerateTriggerTask;
import org.abscan.proto.worker.v1.ModelFile;
import org.abscan.proto.worker.v1.RunRequest;
import org.abscan.proto.worker.v1.ScanTask;
import org.abscan.proto.worker.v1.StreamNsfTask;
import org.abscan.server.config.DaemonConfig;
import org.abscan.server.errors.StatusMapper;
import org.abscan.server.models.ModelLocation;
import org.abscan.server.models.ModelResolver;
import org.abscan.server.services.InputPreparer.LocatedInput;
import org.abscan.server.worker.WorkerCall;
import org.abscan.server.worker.WorkerMessages;
import org.abscan.server.worker.WorkerPool;

/**
 * The engine in supervised worker processes. The daemon resolves paths (contained in the roots), checks what
 * needs no model and decodes the seeds (pure Java, bounded); the worker parses the model and runs TensorFlow.
 * So a model's own errors (malformed, refused by the op allow-list, a layer it lacks, seeds of the wrong size)
 * surface when the task runs: a scan is accepted and then fails with the same status and details as
 * in-process; StreamNSF, GenerateTrigger and DescribeModel fail as calls, as before.
 */
public final class WorkerBackend implements ScanBackend {
  private final InputPreparer preparer;
  private final WorkerPool pool;
  private final WorkerCall call;
  private final InteractiveExecutor interactive;
  private final ModelResolver resolver;

  @Inject
  WorkerBackend(InputPreparer preparer, WorkerPool pool, InteractiveExecutor interactive, ModelResolver resolver,
      DaemonConfig config) {
    this.preparer = preparer;
    this.pool = pool;
    this.call = new WorkerCall(pool, config.worker());
    this.interactive = interactive;
    this.resolver = resolver;
  }

  @Override
  public PreparedScan prepareScan(ScanRequest request) {
    LocatedInput input = preparer.locate(request.getModel(), request.getSeeds(), request.getParameters(),
        request.hasModel());
    RunRequest task = RunRequest.newBuilder().setScan(ScanTask.newBuilder()
        .setModel(modelFile(input.location()))
        .addAllSeeds(WorkerMessages.toProto(input.seeds()))
        .setRequest(request.toBuilder().clearModel().clearSeeds())).build();
    return new PreparedScan(input.location().sha256(), new WorkerScanWork(call, task));
  }

  @Override
  public void streamNsf(StreamNSFRequest request, ServerCallStreamObserver<StreamNSFResponse> responses) {
    LocatedInput input = preparer.locate(request.getModel(), request.getSeeds(), request.getParameters(),
        request.hasModel());
    RunRequest task = RunRequest.newBuilder().setStreamNsf(StreamNsfTask.newBuilder()
        .setModel(modelFile(input.location()))
        .addAllSeeds(WorkerMessages.toProto(input.seeds()))
        .setRequest(request.toBuilder().clearModel().clearSeeds())).build();
    interactive.execute(() -> runCall(responses, () -> {
      call.run(task, response -> {
        if (response.hasNsf()) {
          responses.onNext(response.getNsf());
        }
      }, responses::isCancelled);
      responses.onCompleted();
    }));
  }

  @Override
  public void generateTrigger(GenerateTriggerRequest request,
      ServerCallStreamObserver<GenerateTriggerResponse> responses) {
    LocatedInput input = preparer.locate(request.getModel(), request.getSeeds(), request.getParameters(),
        request.hasModel());
    RunRequest task = RunRequest.newBuilder().setGenerateTrigger(GenerateTriggerTask.newBuilder()
        .setModel(modelFile(input.location()))
        .addAllSeeds(WorkerMessages.toProto(input.seeds()))
        .setRequest(request.toBuilder().clearModel().clearSeeds())).build();
    interactive.execute(() -> runCall(responses, () -> {
      call.run(task, response -> {
        if (response.hasTriggerProgress()) {
          responses.onNext(GenerateTriggerResponse.newBuilder().setProgress(response.getTriggerProgress()).build());
        } else if (response.hasTriggerResult()) {
          responses.onNext(GenerateTriggerResponse.newBuilder().setResult(response.getTriggerResult()).build());
        }
      }, responses::isCancelled);
      responses.onCompleted();
    }));
  }

  @Override
  public void describe(ModelRef ref, StreamObserver<DescribeModelResponse> responses) {
    ModelLocation location = resolver.locate(ref, "model");
    RunRequest task = RunRequest.newBuilder().setDescribeModel(DescribeModelTask.newBuilder()
        .setModel(modelFile(location))).build();
    // Waiting for a free worker must not hold a gRPC thread; the caller's deadline or cancel ends the wait.
    Context context = Context.current();
    interactive.execute(() -> runCall(responses, () -> {
      call.run(task, response -> {
        if (response.hasModelDescription()) {
          responses.onNext(DescribeModelResponse.newBuilder().setDescription(response.getModelDescription())
              .build());
        }
      }, context::isCancelled);
      responses.onCompleted();
    }));
  }

  private static void runCall(StreamObserver<?> responses, Runnable body) {
    try {
      body.run();
    } catch (RuntimeException e) {
      responses.onError(StatusMapper.toStatusException(e));
    }
  }

  private static ModelFile modelFile(ModelLocation location) {
    return ModelFile.newBuilder().setPath(location.path().toString()).setFormat(location.format())
        .setSha256(location.sha256()).build();
  }

  public WorkerPool pool() {
    return pool;
  }

  /** Stops the worker processes (after the scheduler has stopped its scans). */
  @Override
  public void close() {
    pool.close();
  }
}
