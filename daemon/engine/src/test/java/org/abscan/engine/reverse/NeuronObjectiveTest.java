package org.abscan.engine.reverse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.abscan.engine.SeedImages;
import org.abscan.engine.graph.InputPreprocessor;
import org.abscan.engine.testing.TinyModel;
import org.abscan.proto.common.v1.Preprocessing;
import org.abscan.spi.model.ModelGraph;
import org.abscan.spi.trigger.NeuronCandidate;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The neuron terms computed per layer on the selected triggers' rows only equal f1 and f2 computed by hand
 * from the layer outputs, for triggers on two layers selected in a shuffled order.
 */
class NeuronObjectiveTest {
  private static final int N = 2;
  private static final int SIZE = 6;

  @Test
  void perLayerRowsGiveTheTermsOfTheDefinition() {
    TinyModel model = TinyModel.random(5, SIZE, 1, 3, 8, 4);
    SeedImages clean = images(new Random(1), N);
    List<NeuronCandidate> candidates = List.of(new NeuronCandidate("conv1", 0, 1, 1f),
        new NeuronCandidate("dense1", 2, 1, 1f), new NeuronCandidate("conv1", 1, 2, 1f),
        new NeuronCandidate("dense1", 5, 3, 1f));
    List<TriggerGroup> groups = new ArrayList<>();
    for (int i = 0; i < candidates.size(); i++) {
      groups.add(TriggerGroup.of(List.of(i), candidates));
    }
    InputPreprocessor identity = InputPreprocessor.create(Preprocessing.getDefaultInstance(), model.spec().input());
    CleanReference reference =
        CleanReference.compute(model, identity, clean, List.of("conv1", "dense1"), "");
    int[] selected = {3, 0, 2};
    SeedImages stamped = images(new Random(2), selected.length * N);

    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> x = tf.placeholder(TFloat32.class);
      Placeholder<TInt32> chosen = tf.placeholder(TInt32.class);
      ModelGraph built = model.build(tf, tf.reshape(x, tf.constant(new int[] {-1, SIZE, SIZE, 1})), Map.of());
      NeuronObjective objective = NeuronObjective.build(tf, model.spec(), built, groups, N, reference, chosen);
      Session.Runner runner = s.runner();
      List<Tensor> feeds = new ArrayList<>();
      for (Map.Entry<String, int[]> e : objective.rowsOf(selected, groups).entrySet()) {
        TInt32 rows = TInt32.vectorOf(e.getValue());
        TFloat32 placement = TFloat32.tensorOf(Shape.of(selected.length, e.getValue().length),
            DataBuffers.of(NeuronObjective.placementOf(e.getValue(), selected.length)));
        feeds.add(rows);
        feeds.add(placement);
        runner.feed(objective.rows().get(e.getKey()), rows).feed(objective.placement().get(e.getKey()), placement);
      }
      try (TFloat32 in = TFloat32.tensorOf(Shape.of(stamped.count(), SIZE, SIZE, 1),
              DataBuffers.of(stamped.pixels()));
          TInt32 sel = TInt32.vectorOf(selected);
          Result r = runner.feed(x, in).feed(chosen, sel).fetch(objective.activation())
              .fetch(objective.neuronTerm()).fetch(objective.othersTerm()).fetch(built.layer("conv1"))
              .fetch(built.layer("dense1")).run()) {
        float[] activation = Tensors.floats((TFloat32) r.get(0));
        float[] neuronTerm = Tensors.floats((TFloat32) r.get(1));
        float[] othersTerm = Tensors.floats((TFloat32) r.get(2));
        Map<String, float[]> outputs = Map.of("conv1", Tensors.floats((TFloat32) r.get(3)),
            "dense1", Tensors.floats((TFloat32) r.get(4)));
        float[] expectedAct = new float[selected.length];
        float[] expectedOthers = new float[selected.length];
        for (int k = 0; k < selected.length; k++) {
          TriggerGroup group = groups.get(selected[k]);
          int channels = model.spec().layer(group.layer()).orElseThrow().neurons();
          float[] out = outputs.get(group.layer());
          float[] base = reference.activations().get(group.layer());
          int perImage = base.length / N;
          double[] sum = new double[channels];
          double[] change = new double[channels];
          for (int j = 0; j < N; j++) {
            for (int p = 0; p < perImage; p++) {
              float v = out[(k * N + j) * perImage + p];
              sum[p % channels] += v; // channels last in both layers
              change[p % channels] += Math.abs(v - base[j * perImage + p]);
            }
          }
          double cells = N * perImage / (double) channels;
          int neuron = group.neurons()[0];
          expectedAct[k] = (float) (sum[neuron] / cells);
          double others = 0;
          for (int c = 0; c < channels; c++) {
            others += c == neuron ? 0 : change[c] / cells / (channels - 1);
          }
          expectedOthers[k] = (float) (others / reference.layerScales().get(group.layer()));
        }
        assertArrayEquals(expectedAct, activation, 1e-4f);
        assertArrayEquals(expectedOthers, othersTerm, 1e-4f);
        for (int k = 0; k < selected.length; k++) {
          String layer = groups.get(selected[k]).layer();
          assertEquals(activation[k] / reference.layerScales().get(layer), neuronTerm[k], 1e-4f);
        }
      } finally {
        feeds.forEach(Tensor::close);
      }
    }
  }

  private static SeedImages images(Random random, int count) {
    float[] pixels = new float[count * SIZE * SIZE];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = random.nextFloat();
    }
    int[] labels = new int[count];
    List<String> names = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      names.add("x" + i);
    }
    return new SeedImages(pixels, count, SIZE, SIZE, 1, labels, names);
  }
}
