package org.abscan.server.worker;

import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.Consumer;
import org.abscan.engine.Cancellation;
import org.abscan.engine.NsfInput;
import org.abscan.engine.ScanEngine;
import org.abscan.engine.ScanInput;
import org.abscan.engine.SeedImages;
import org.abscan.engine.TriggerApplierRegistry;
import org.abscan.engine.TriggerInput;
import org.abscan.proto.scan.v1.GenerateTriggerRequest;
import org.abscan.proto.scan.v1.ScanParameters;
import org.abscan.proto.scan.v1.ScanReport;
import org.abscan.proto.scan.v1.ScanRequest;
import org.abscan.proto.scan.v1.StreamNSFRequest;
import org.abscan.proto.worker.v1.DecodedSeed;
import org.abscan.proto.worker.v1.GenerateTriggerTask;
import org.abscan.proto.worker.v1.ModelFile;
import org.abscan.proto.worker.v1.RunRequest;
import org.abscan.proto.worker.v1.RunResponse;
import org.abscan.proto.worker.v1.ScanTask;
import org.abscan.proto.worker.v1.StreamNsfTask;
import org.abscan.proto.worker.v1.TaskDone;
import org.abscan.server.models.ModelDescriptions;
import org.abscan.server.models.ModelLoaders;
import org.abscan.server.seeds.SeedLoader;
import org.abscan.server.services.ParameterValidator;
import org.abscan.server.services.TriggerRequestValidator;
import org.abscan.spi.AbscanException;
import org.abscan.spi.ErrorCategory;
import org.abscan.spi.model.LoadedModel;

/**
 * The worker's half of Scan, StreamNSF, GenerateTrigger and DescribeModel: everything that touches the untrusted
 * model (parsing it, checks against its layers and input size, TensorFlow), with the same checks and messages as
 * the in-process daemon. Results go to {@code out}; failures are thrown.
 */
final class WorkerTasks {
  private final ModelLoaders loaders;
  private final ScanEngine engine;
  private final TriggerApplierRegistry triggers;

  WorkerTasks(ModelLoaders loaders, ScanEngine engine, TriggerApplierRegistry triggers) {
    this.loaders = loaders;
    this.engine = engine;
    this.triggers = triggers;
  }

  void run(RunRequest task, Consumer<RunResponse> out, Cancellation cancellation) {
    switch (task.getKindCase()) {
      case SCAN -> scan(task.getScan(), out, cancellation);
      case STREAM_NSF -> streamNsf(task.getStreamNsf(), out, cancellation);
      case GENERATE_TRIGGER -> generateTrigger(task.getGenerateTrigger(), out, cancellation);
      case DESCRIBE_MODEL -> {
        ModelFile file = task.getDescribeModel().getModel();
        Loaded loaded = load(file);
        try (LoadedModel model = loaded.model()) {
          out.accept(RunResponse.newBuilder().setModelDescription(
              ModelDescriptions.describe(file.getSha256(), loaded.format(), model.spec())).build());
        }
      }
      default -> throw new AbscanException(ErrorCategory.INTERNAL, "not a task: " + task.getKindCase());
    }
  }

  private void scan(ScanTask task, Consumer<RunResponse> out, Cancellation cancellation) {
    ScanRequest request = task.getRequest();
    Loaded loaded = load(task.getModel());
    try (LoadedModel model = loaded.model()) {
      SeedImages seeds = fit(model, request.getParameters(), task.getSeedsList());
      ScanReport report = engine.scan(new ScanInput(model, seeds, request.getPreprocessing(),
          request.getParameters(), task.getModel().getSha256(), loaded.format()),
          event -> out.accept(RunResponse.newBuilder().setScanEvent(event).build()), cancellation);
      out.accept(RunResponse.newBuilder().setScanReport(report).build());
    }
  }

  private void streamNsf(StreamNsfTask task, Consumer<RunResponse> out, Cancellation cancellation) {
    StreamNSFRequest request = task.getRequest();
    Loaded loaded = load(task.getModel());
    try (LoadedModel model = loaded.model()) {
      SeedImages seeds = fit(model, request.getParameters(), task.getSeedsList());
      engine.stimulate(new NsfInput(model, seeds, request.getPreprocessing(), request.getParameters(),
          request.getNeuronsList(), request.getPerImage()),
          nsf -> out.accept(RunResponse.newBuilder().setNsf(nsf).build()), cancellation);
      out.accept(RunResponse.newBuilder().setDone(TaskDone.getDefaultInstance()).build());
    }
  }

  private void generateTrigger(GenerateTriggerTask task, Consumer<RunResponse> out, Cancellation cancellation) {
    GenerateTriggerRequest request = task.getRequest();
    Loaded loaded = load(task.getModel());
    try (LoadedModel model = loaded.model()) {
      SeedImages seeds = fit(model, request.getParameters(), task.getSeedsList());
      TriggerRequestValidator.validate(request, triggers.names(), model.spec());
      var result = engine.generateTrigger(new TriggerInput(model, seeds, request.getPreprocessing(),
          request.getParameters(), request.getLayer(), request.getNeuronsList(),
          request.hasTargetLabel() ? OptionalInt.of(request.getTargetLabel()) : OptionalInt.empty(),
          TriggerRequestValidator.triggerName(request)),
          progress -> out.accept(RunResponse.newBuilder().setTriggerProgress(progress).build()), cancellation);
      out.accept(RunResponse.newBuilder().setTriggerResult(result).build());
    }
  }

  /** The checks the in-process daemon makes after loading: layers exist, seeds fit the input. */
  private static SeedImages fit(LoadedModel model, ScanParameters parameters, List<DecodedSeed> seeds) {
    new ParameterValidator("parameters")
        .checkLayers(parameters.getLayersList(), model.spec(), "parameters.layers")
        .throwIfInvalid();
    return SeedLoader.fit(WorkerMessages.fromProto(seeds), model.spec().input());
  }

  private Loaded load(ModelFile file) {
    ModelLoaders.NamedLoader loader = loaders.choose(Path.of(file.getPath()), file.getFormat(), "model");
    return new Loaded(loader.format(), ModelLoaders.load(loader.loader(), Path.of(file.getPath())));
  }

  private record Loaded(String format, LoadedModel model) {}
}
