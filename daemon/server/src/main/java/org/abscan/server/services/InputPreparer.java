package org.abscan.server.services;

import java.util.List;
import javax.inject.Inject;
import org.abscan.engine.SeedImages;
import org.abscan.engine.TriggerApplierRegistry;
import org.abscan.proto.common.v1.ModelRef;
import org.abscan.proto.common.v1.SeedSet;
import org.abscan.proto.scan.v1.ScanParameters;
import org.abscan.server.models.ModelLocation;
import org.abscan.server.models.ModelResolver;
import org.abscan.server.models.ResolvedModel;
import org.abscan.server.seeds.DecodedSeed;
import org.abscan.server.seeds.SeedLoader;
import org.abscan.spi.AbscanException;
import org.abscan.spi.ErrorCategory;
import org.abscan.spi.model.LoadedModel;

/**
 * The shared first half of Scan, StreamNSF and GenerateTrigger: validate parameters, resolve and load the
 * model, decode the seeds at its input size. Everything that can be wrong with a request fails here, before a
 * job exists.
 */
final class InputPreparer {
  private final ModelResolver models;
  private final SeedLoader seeds;
  private final TriggerApplierRegistry triggers;

  @Inject
  InputPreparer(ModelResolver models, SeedLoader seeds, TriggerApplierRegistry triggers) {
    this.models = models;
    this.seeds = seeds;
    this.triggers = triggers;
  }

  TriggerApplierRegistry triggers() {
    return triggers;
  }

  PreparedInput prepare(ModelRef ref, SeedSet seedSet, ScanParameters parameters, boolean hasModel) {
    checkRequest(parameters, hasModel);
    ResolvedModel resolved = models.resolve(ref, "model");
    LoadedModel model = models.load(resolved);
    try {
      new ParameterValidator("parameters")
          .checkLayers(parameters.getLayersList(), model.spec(), "parameters.layers")
          .throwIfInvalid();
      SeedImages images = seeds.load(seedSet, model.spec().input(), "seeds");
      return new PreparedInput(resolved, model, images);
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
  }

  /**
   * The daemon's half when a worker process parses the model: the checks that need no model, the model file,
   * and the decoded seeds. The worker makes the rest of {@link #prepare}'s checks.
   */
  LocatedInput locate(ModelRef ref, SeedSet seedSet, ScanParameters parameters, boolean hasModel) {
    checkRequest(parameters, hasModel);
    ModelLocation location = models.locate(ref, "model");
    return new LocatedInput(location, seeds.decode(seedSet, "seeds"));
  }

  private void checkRequest(ScanParameters parameters, boolean hasModel) {
    if (!hasModel) {
      throw modelRequired();
    }
    new ParameterValidator("parameters").check(parameters, triggers.names()).throwIfInvalid();
  }

  static AbscanException modelRequired() {
    return new AbscanException(ErrorCategory.INVALID_ARGUMENT, "model is required",
        List.of(new AbscanException.Violation("model", "set model_id or server_path")));
  }

  /** A request's model file (not parsed) and its decoded seeds (not yet fitted to the model). */
  record LocatedInput(ModelLocation location, List<DecodedSeed> seeds) {}
}
