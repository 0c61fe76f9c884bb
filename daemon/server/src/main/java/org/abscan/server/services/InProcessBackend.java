package org.abscan.server.services;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.OptionalInt;
import javax.inject.Inject;
import org.abscan.engine.NsfInput;
import org.abscan.engine.ScanEngine;
import org.abscan.engine.TriggerInput;
import org.abscan.proto.common.v1.ModelRef;
import org.abscan.proto.model.v1.DescribeModelResponse;
import org.abscan.proto.scan.v1.GenerateTriggerRequest;
import org.abscan.proto.scan.v1.GenerateTriggerResponse;
import org.abscan.proto.scan.v1.ScanRequest;
import org.abscan.proto.scan.v1.StreamNSFRequest;
import org.abscan.proto.scan.v1.StreamNSFResponse;
import org.abscan.server.errors.StatusMapper;
import org.abscan.server.models.ModelDescriptions;
import org.abscan.server.models.ModelResolver;
import org.abscan.server.models.ResolvedModel;
import org.abscan.spi.model.LoadedModel;

/**
 * The engine in the daemon's own JVM: models are loaded on the calling gRPC thread (so load errors are call
 * errors before a job exists), scans run on the scheduler's threads, StreamNSF/GenerateTrigger on the
 * interactive pool. No isolation: a model that aborts the JVM takes the daemon with it.
 */
public final class InProcessBackend implements ScanBackend {
  private final InputPreparer preparer;
  private final ScanEngine engine;
  private final InteractiveExecutor interactive;
  private final ModelResolver resolver;

  @Inject
  InProcessBackend(InputPreparer preparer, ScanEngine engine, InteractiveExecutor interactive,
      ModelResolver resolver) {
    this.preparer = preparer;
    this.engine = engine;
    this.interactive = interactive;
    this.resolver = resolver;
  }

  @Override
  public PreparedScan prepareScan(ScanRequest request) {
    PreparedInput input = preparer.prepare(request.getModel(), request.getSeeds(), request.getParameters(),
        request.hasModel());
    return new PreparedScan(input.resolved().sha256(), new EngineScanWork(engine, input, request));
  }

  @Override
  public void streamNsf(StreamNSFRequest request, ServerCallStreamObserver<StreamNSFResponse> call) {
    PreparedInput input = preparer.prepare(request.getModel(), request.getSeeds(), request.getParameters(),
        request.hasModel());
    runInteractive(input, call, () -> {
      engine.stimulate(new NsfInput(input.model(), input.seeds(), request.getPreprocessing(),
          request.getParameters(), request.getNeuronsList(), request.getPerImage()), call::onNext,
          call::isCancelled);
      call.onCompleted();
    });
  }

  @Override
  public void generateTrigger(GenerateTriggerRequest request,
      ServerCallStreamObserver<GenerateTriggerResponse> call) {
    PreparedInput input = preparer.prepare(request.getModel(), request.getSeeds(), request.getParameters(),
        request.hasModel());
    try {
      TriggerRequestValidator.validate(request, preparer.triggers().names(), input.model().spec());
    } catch (RuntimeException e) {
      input.close();
      throw e;
    }
    TriggerInput triggerInput = new TriggerInput(input.model(), input.seeds(), request.getPreprocessing(),
        request.getParameters(), request.getLayer(), request.getNeuronsList(),
        request.hasTargetLabel() ? OptionalInt.of(request.getTargetLabel()) : OptionalInt.empty(),
        TriggerRequestValidator.triggerName(request));
    runInteractive(input, call, () -> {
      var result = engine.generateTrigger(triggerInput,
          progress -> call.onNext(GenerateTriggerResponse.newBuilder().setProgress(progress).build()),
          call::isCancelled);
      call.onNext(GenerateTriggerResponse.newBuilder().setResult(result).build());
      call.onCompleted();
    });
  }

  @Override
  public void describe(ModelRef ref, StreamObserver<DescribeModelResponse> responses) {
    ResolvedModel resolved = resolver.resolve(ref, "model");
    try (LoadedModel model = resolver.load(resolved)) {
      responses.onNext(DescribeModelResponse.newBuilder()
          .setDescription(ModelDescriptions.describe(resolved.sha256(), resolved.format(), model.spec())).build());
    }
    responses.onCompleted();
  }

  private void runInteractive(PreparedInput input, ServerCallStreamObserver<?> call, Runnable body) {
    try {
      interactive.execute(() -> {
        try (input) {
          body.run();
        } catch (RuntimeException e) {
          call.onError(StatusMapper.toStatusException(e));
        }
      });
    } catch (RuntimeException rejected) {
      input.close();
      throw rejected;
    }
  }
}
