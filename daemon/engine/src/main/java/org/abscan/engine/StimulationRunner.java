package org.abscan.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.abscan.engine.graph.InputPreprocessor;
import org.abscan.engine.stimulation.LayerBase;
import org.abscan.engine.stimulation.NeuronNsf;
import org.abscan.engine.stimulation.StimulationAnalysis;
import org.abscan.engine.stimulation.StimulationGraph;
import org.abscan.engine.stimulation.StimulationSettings;
import org.abscan.proto.scan.v1.ScanParameters;
import org.abscan.proto.scan.v1.StimulationProgress;
import org.abscan.spi.AbscanException;
import org.abscan.spi.AbscanException.Violation;
import org.abscan.spi.ErrorCategory;
import org.abscan.spi.model.LayerSpec;
import org.abscan.spi.model.LoadedModel;
import org.abscan.spi.model.ModelSpec;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/** Runs stimulation analysis over a list of layers: one graph, one base run and one analysis per layer. */
final class StimulationRunner {
  private static final Logger LOG = LogManager.getLogger(StimulationRunner.class);

  /** Chooses the neurons of a layer to analyse. */
  @FunctionalInterface
  interface NeuronChoice {
    int[] neurons(LayerSpec layer);
  }

  private StimulationRunner() {}

  /**
   * The layers named in {@code parameters.layers}, or the model's candidate layers.
   *
   * @throws AbscanException INVALID_ARGUMENT naming parameters.layers for an unknown layer
   */
  static List<LayerSpec> layers(ModelSpec spec, ScanParameters parameters) {
    if (parameters.getLayersCount() == 0) {
      return spec.candidateLayers();
    }
    List<LayerSpec> layers = new ArrayList<>();
    List<Violation> violations = new ArrayList<>();
    for (String name : parameters.getLayersList()) {
      spec.layer(name).ifPresentOrElse(layers::add, () -> violations.add(new Violation("parameters.layers",
          "the model has no layer \"" + name + "\"; its layers: "
              + spec.layers().stream().map(LayerSpec::name).toList())));
    }
    if (!violations.isEmpty()) {
      throw new AbscanException(ErrorCategory.INVALID_ARGUMENT, "unknown layer", violations);
    }
    return layers;
  }

  static int[] allNeurons(LayerSpec layer) {
    int[] all = new int[layer.neurons()];
    for (int i = 0; i < all.length; i++) {
      all[i] = i;
    }
    return all;
  }

  /** Analyses every chosen neuron; returns the number analysed. */
  static int run(LoadedModel model, InputPreprocessor preprocessor, SeedImages seeds,
      ScanParameters parameters, List<LayerSpec> layers, NeuronChoice choice,
      BiConsumer<NeuronNsf, LayerBase> out, java.util.function.Consumer<StimulationProgress> progress,
      Cancellation cancellation) {
    StimulationSettings settings = new StimulationSettings(parameters.getSampling(),
        parameters.getSamples(), parameters.getSampleK(), parameters.getBatchRows());
    int total = 0;
    for (LayerSpec layer : layers) {
      total += choice.neurons(layer).length;
    }
    int allTotal = total;
    int[] allDone = {0};
    cancellation.check();
    try (StimulationGraph graph =
        new StimulationGraph(model, preprocessor, layers, parameters.getDevice())) {
      StimulationAnalysis analysis = new StimulationAnalysis(graph, settings, cancellation);
      for (LayerSpec layer : layers) {
        int[] neurons = choice.neurons(layer);
        if (neurons.length == 0) {
          continue;
        }
        cancellation.check();
        long start = System.nanoTime();
        int before = allDone[0];
        try (LayerBase base = graph.runBase(layer.name(), seeds)) {
          analysis.analyse(base, neurons, seeds.labels(), nsf -> out.accept(nsf, base), (done, of) -> {
            allDone[0] = before + done;
            progress.accept(StimulationProgress.newBuilder()
                .setLayer(layer.name())
                .setNeuronsDone(done)
                .setNeuronsTotal(of)
                .setAllNeuronsDone(allDone[0])
                .setAllNeuronsTotal(allTotal)
                .build());
          });
        }
        LOG.info("stimulated layer {} ({} neurons) in {} ms, {} rows so far", layer.name(), neurons.length,
            (System.nanoTime() - start) / 1_000_000, analysis.rowsRun());
      }
    }
    return allDone[0];
  }
}
