package org.abscan.engine.stimulation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.abscan.engine.Cancellation;
import org.abscan.engine.SeedImages;
import org.abscan.engine.graph.InputPreprocessor;
import org.abscan.engine.testing.PlantedModels;
import org.abscan.engine.testing.TinyModel;
import org.abscan.proto.common.v1.Preprocessing;
import org.abscan.proto.scan.v1.Sampling;
import org.junit.jupiter.api.Test;

class AdaptiveSamplingTest {
  private static final float START = 2.0f;
  private static final float HALF_WIDTH = 0.1f;
  private static final float SCALE = 20f;

  @Test
  void adaptiveSamplingFindsANarrowPeakTheGridMisses() {
    TinyModel model = PlantedModels.narrowPeak(START, HALF_WIDTH, SCALE);
    float peak = SCALE * HALF_WIDTH;

    NeuronNsf grid = analyse(model, new StimulationSettings(Sampling.SAMPLING_GRID, 5, 8f, 0));
    NeuronNsf adaptive = analyse(model, new StimulationSettings(Sampling.SAMPLING_ADAPTIVE, 5, 8f, 0));

    // Grid values 0, 1.6, 3.2, 4.8, 6.4 all miss [2.0, 2.2].
    assertEquals(0f, grid.elevation(1), 1e-5f, "the grid should miss the peak");
    assertTrue(adaptive.elevation(1) > 0.5f * peak,
        "adaptive elevation " + adaptive.elevation(1) + " of a peak of " + peak);
    assertEquals(1, adaptive.topLabel());
    float v = adaptive.peakValue();
    assertTrue(v > START && v < START + 2 * HALF_WIDTH, "peak value " + v);
  }

  private static NeuronNsf analyse(TinyModel model, StimulationSettings settings) {
    // Pixel values 0.2 .. 1.0: the hidden neuron's observed values; labels alternate.
    int n = 6;
    float[] pixels = new float[n];
    int[] labels = new int[n];
    List<String> names = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      pixels[i] = 0.2f + 0.8f * i / (n - 1);
      labels[i] = i % 2;
      names.add("img" + i);
    }
    SeedImages seeds = new SeedImages(pixels, n, 1, 1, 1, labels, names);
    var hidden = model.spec().layer("hidden").orElseThrow();
    List<NeuronNsf> out = new ArrayList<>();
    try (StimulationGraph graph = new StimulationGraph(model,
            InputPreprocessor.create(Preprocessing.getDefaultInstance(), model.spec().input()),
            List.of(hidden), "");
        LayerBase base = graph.runBase("hidden", seeds)) {
      new StimulationAnalysis(graph, settings, Cancellation.NEVER)
          .analyse(base, new int[] {0}, labels, out::add, (d, t) -> { });
    }
    assertEquals(1, out.size());
    return out.get(0);
  }
}
