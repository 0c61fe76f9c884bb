package org.abscan.engine.stimulation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.abscan.engine.Cancellation;
import org.abscan.engine.SeedImages;
import org.abscan.engine.graph.InputPreprocessor;
import org.abscan.engine.testing.TestSeeds;
import org.abscan.engine.testing.TinyModel;
import org.abscan.proto.common.v1.Preprocessing;
import org.abscan.proto.scan.v1.Sampling;
import org.abscan.spi.model.LayerSpec;
import org.apache.logging.log4j.LogManager;
import org.junit.jupiter.api.Test;

/**
 * Every neuron of an MNIST-sized model (50 seeds, every candidate layer) is analysed, with the graph reused
 * across rounds of grid and adaptive sampling. It logs each round's time for developers; speed figures are
 * the benchmark's (bench/run, docs/benchmarks.md), never asserted here.
 */
class MnistSizedStimulationTest {
  @Test
  void gridStimulationOfAnMnistSizedModel() {
    TinyModel model = TinyModel.mnistLike(1);
    SeedImages seeds = TestSeeds.random(2, 50, 28, 1, 10);
    List<LayerSpec> layers = model.spec().candidateLayers();
    try (StimulationGraph graph = new StimulationGraph(model,
        InputPreprocessor.create(Preprocessing.getDefaultInstance(), model.spec().input()), layers, "")) {
      for (int round = 0; round < 4; round++) {
        long start = System.nanoTime();
        Sampling sampling = round < 3 ? Sampling.SAMPLING_GRID : Sampling.SAMPLING_ADAPTIVE;
        StimulationAnalysis analysis = new StimulationAnalysis(graph,
            new StimulationSettings(sampling, 5, 8f, 0), Cancellation.NEVER);
        int[] count = {0};
        for (LayerSpec layer : layers) {
          long t = System.nanoTime();
          try (LayerBase base = graph.runBase(layer.name(), seeds)) {
            analysis.analyse(base, java.util.stream.IntStream.range(0, layer.neurons()).toArray(),
                seeds.labels(), n -> count[0]++, (d, tot) -> { });
          }
          LogManager.getLogger(MnistSizedStimulationTest.class).info("round {} layer {}: {} ms", round,
              layer.name(), (System.nanoTime() - t) / 1_000_000);
        }
        LogManager.getLogger(MnistSizedStimulationTest.class).info("round {} {}: {} neurons, {} rows in {} ms", round,
            sampling, count[0], analysis.rowsRun(), (System.nanoTime() - start) / 1_000_000);
        assertEquals(16 + 32 + 512, count[0]);
      }
    }
  }
}
