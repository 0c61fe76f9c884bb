package org.abscan.engine.stimulation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.abscan.engine.Cancellation;
import org.abscan.engine.SeedImages;
import org.abscan.engine.graph.InputPreprocessor;
import org.abscan.engine.testing.TestSeeds;
import org.abscan.engine.testing.TinyModel;
import org.abscan.proto.common.v1.Preprocessing;
import org.abscan.proto.scan.v1.Sampling;
import org.abscan.spi.model.LayerSpec;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/** NSF samples against brute force: feeding the modified layer tensor of one image at a time. */
class StimulationAnalysisTest {
  private static final int SIZE = 6;
  private static final int LABELS = 4;

  private TinyModel model = TinyModel.random(7, SIZE, 2, 3, 8, LABELS);
  private final SeedImages seeds = TestSeeds.random(11, 6, SIZE, 2, LABELS);

  @Test
  void gridSamplesMatchBruteForceOnConvAndDenseLayers() {
    for (String layer : List.of("conv1", "dense1")) {
      for (boolean shortcut : new boolean[] {false, true}) {
        // batch_rows 7 forces many runs with a partial last one.
        gridMatchesBruteForce(layer, new StimulationSettings(Sampling.SAMPLING_GRID, 5, 8f, 7, shortcut));
      }
    }
  }

  @Test
  void linearShortcutSkipsTheAffineLayersAfterTheStimulatedOne() {
    LayerSpec conv = model.spec().layer("conv1").orElseThrow();
    try (StimulationGraph graph = new StimulationGraph(model, preprocessor(), List.of(conv), "");
        LayerBase base = graph.runBase("conv1", seeds)) {
      // conv1 -> flatten (affine) -> dense1 (relu): the shortcut starts after flatten.
      assertTrue(graph.prepareShortcut(base, 64));
      graph.releaseShortcut(base);
    }
  }

  private void gridMatchesBruteForce(String layer, StimulationSettings settings) {
    {
      List<NeuronNsf> nsfs = analyse(layer, settings);
      LayerSpec spec = model.spec().layer(layer).orElseThrow();
      assertEquals(spec.neurons(), nsfs.size(), "every neuron analysed");
      assertMatchesBruteForce(layer, nsfs);
      for (NeuronNsf nsf : nsfs) {
        assertEquals(5, nsf.samples());
      }
    }
  }

  @Test
  void layersInsideAResidualBlockAreStimulatedWithTheirSkipConnection() {
    // block_conv's successors read conv1 through the skip: the stimulated rows must recompute it per image.
    model = TinyModel.residual(7, SIZE, 2, 3, 8, LABELS);
    for (String layer : List.of("conv1", "block_conv", "block_proj", "block_add", "dense1")) {
      for (boolean shortcut : new boolean[] {false, true}) {
        gridMatchesBruteForce(layer, new StimulationSettings(Sampling.SAMPLING_GRID, 5, 8f, 7, shortcut));
      }
    }
    // The shortcut's rows carry their seed image too, so it serves a layer inside the block.
    LayerSpec conv = model.spec().layer("block_conv").orElseThrow();
    try (StimulationGraph graph = new StimulationGraph(model, preprocessor(), List.of(conv), "");
        LayerBase base = graph.runBase("block_conv", seeds)) {
      assertTrue(graph.prepareShortcut(base, 64), "a linear shortcut through block_proj");
      graph.releaseShortcut(base);
    }
  }

  @Test
  void adaptiveSamplesMatchBruteForceAndRespectTheBudget() {
    List<NeuronNsf> nsfs = analyse("dense1",
        new StimulationSettings(Sampling.SAMPLING_ADAPTIVE, 3, 8f, 0));
    assertEquals(8, nsfs.size());
    assertMatchesBruteForce("dense1", nsfs);
    for (NeuronNsf nsf : nsfs) {
      assertTrue(nsf.samples() >= 4 && nsf.samples() <= 6 * 3 + 8, "samples " + nsf.samples());
    }
  }

  private List<NeuronNsf> analyse(String layer, StimulationSettings settings) {
    LayerSpec spec = model.spec().layer(layer).orElseThrow();
    List<NeuronNsf> out = new ArrayList<>();
    List<int[]> progress = new ArrayList<>();
    try (StimulationGraph graph = new StimulationGraph(model, preprocessor(), List.of(spec), "");
        LayerBase base = graph.runBase(layer, seeds)) {
      int[] neurons = new int[spec.neurons()];
      for (int i = 0; i < neurons.length; i++) {
        neurons[i] = i;
      }
      new StimulationAnalysis(graph, settings, Cancellation.NEVER)
          .analyse(base, neurons, seeds.labels(), out::add, (d, t) -> progress.add(new int[] {d, t}));
    }
    assertEquals(spec.neurons(), progress.get(progress.size() - 1)[0]);
    return out;
  }

  private InputPreprocessor preprocessor() {
    return InputPreprocessor.create(Preprocessing.getDefaultInstance(), model.spec().input());
  }

  /** For each neuron, image and sample: set the neuron in a plain feed of the layer tensor, compare logits. */
  private void assertMatchesBruteForce(String layer, List<NeuronNsf> nsfs) {
    LayerSpec spec = model.spec().layer(layer).orElseThrow();
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> images = tf.placeholder(TFloat32.class,
          Placeholder.shape(Shape.of(-1, SIZE, SIZE, 2)));
      var built = model.build(tf, images, Map.of());
      Operand<TFloat32> activation = built.layer(layer);
      float[] acts;
      try (TFloat32 in = TFloat32.tensorOf(Shape.of(seeds.count(), SIZE, SIZE, 2),
              DataBuffers.of(seeds.pixels()));
          Result r = s.runner().feed(images, in).fetch(activation).run()) {
        TFloat32 a = (TFloat32) r.get(0);
        acts = new float[(int) a.size()];
        a.asRawTensor().data().asFloats().read(acts);
      }
      int perImage = acts.length / seeds.count();
      long[] shape = spec.shape();
      long[] one = new long[shape.length + 1];
      one[0] = 1;
      System.arraycopy(shape, 0, one, 1, shape.length);
      int neurons = spec.neurons();
      int compared = 0;
      for (NeuronNsf nsf : nsfs) {
        for (int j = 0; j < seeds.count(); j++) {
          for (int k = 0; k < nsf.samples(); k++) {
            float[] row = new float[perImage];
            System.arraycopy(acts, j * perImage, row, 0, perImage);
            // channel axis is last for both layers (NHWC conv, dense)
            for (int e = nsf.neuron(); e < perImage; e += neurons) {
              row[e] = nsf.value(j, k);
            }
            // The image is fed too: a skip connection around the layer still reads what came before it.
            float[] image = new float[SIZE * SIZE * 2];
            System.arraycopy(seeds.pixels(), j * image.length, image, 0, image.length);
            try (TFloat32 fed = TFloat32.tensorOf(Shape.of(one), DataBuffers.of(row));
                TFloat32 in = TFloat32.tensorOf(Shape.of(1, SIZE, SIZE, 2), DataBuffers.of(image));
                Result r = s.runner().feed(activation, fed).feed(images, in).fetch(built.logits()).run()) {
              float[] logits = new float[LABELS];
              ((TFloat32) r.get(0)).asRawTensor().data().asFloats().read(logits);
              for (int l = 0; l < LABELS; l++) {
                assertEquals(logits[l], nsf.logit(j, k, l), 1e-4f + 1e-5f * Math.abs(logits[l]),
                    layer + " neuron " + nsf.neuron() + " image " + j + " sample " + k + " label " + l);
              }
              compared++;
            }
          }
        }
      }
      assertTrue(compared > 0);
    }
  }
}
