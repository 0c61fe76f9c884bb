package org.abscan.engine.reverse;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.abscan.engine.SeedImages;
import org.abscan.engine.graph.InputPreprocessor;
import org.abscan.engine.graph.TensorFlowRuntime;
import org.abscan.spi.model.LayerSpec;
import org.abscan.spi.model.LoadedModel;
import org.abscan.spi.model.ModelGraph;
import org.abscan.spi.model.ModelSpec;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * What the optimisation images look like to the model before any trigger: the activations of each layer a
 * trigger targets (f2 compares against them) and the magnitudes that make the loss scale-free. Computed once,
 * in a graph of its own, then baked into the trigger graph as constants.
 *
 * @param activations layer name to its clean output, [n, ...layer shape] row-major
 * @param layerScales layer name to the mean absolute clean activation (floored)
 * @param logitScale mean absolute clean logit (floored)
 */
record CleanReference(
    Map<String, float[]> activations, Map<String, Float> layerScales, float logitScale) {

  static CleanReference compute(
      LoadedModel model, InputPreprocessor preprocessor, SeedImages images, List<String> layers, String device) {
    try (Graph g = new Graph(); Session s = new Session(g, TensorFlowRuntime.sessionConfig(device))) {
      Ops tf = TensorFlowRuntime.onDevice(Ops.create(g), device);
      Operand<TFloat32> x = tf.constant(
          Shape.of(images.count(), images.height(), images.width(), images.channels()),
          DataBuffers.of(images.pixels()));
      ModelGraph built = model.build(tf, preprocessor.toModelInput(tf, x), Map.of());
      Session.Runner runner = s.runner();
      List<String> names = new ArrayList<>(layers);
      for (String layer : names) {
        runner.fetch(built.layer(layer));
      }
      runner.fetch(built.logits());
      try (Result r = runner.run()) {
        Map<String, float[]> activations = new LinkedHashMap<>();
        Map<String, Float> scales = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
          float[] values = Tensors.floats((TFloat32) r.get(i));
          activations.put(names.get(i), values);
          scales.put(names.get(i), meanAbs(values));
        }
        float logitScale = meanAbs(Tensors.floats((TFloat32) r.get(names.size())));
        return new CleanReference(activations, scales, logitScale);
      }
    }
  }

  /**
   * Each trigger's neuron activation on each clean optimisation image, as {@link TriggerNeuronActivation} measures
   * it on other images (mean over the feature map, summed over a group's neurons): [T, n] row-major, from
   * {@link #activations} without running the model again.
   */
  float[] triggerActivations(ModelSpec spec, List<TriggerGroup> groups, int images) {
    float[] out = new float[groups.size() * images];
    Map<String, float[]> means = new LinkedHashMap<>();
    for (int i = 0; i < groups.size(); i++) {
      TriggerGroup g = groups.get(i);
      LayerSpec layer = spec.layer(g.layer()).orElseThrow();
      float[] perNeuron = means.computeIfAbsent(g.layer(), name -> neuronMeans(layer, images));
      int c = layer.neurons();
      for (int j = 0; j < images; j++) {
        for (int n : g.neurons()) {
          out[i * images + j] += perNeuron[j * c + n];
        }
      }
    }
    return out;
  }

  /** [n, C]: each neuron's mean over its feature map, per image, of {@code layer}'s clean output. */
  private float[] neuronMeans(LayerSpec layer, int images) {
    float[] values = activations.get(layer.name());
    int c = layer.neurons();
    int perImage = values.length / images;
    long[] shape = layer.shape();
    int stride = 1; // elements between neighbouring neurons: the product of the axes after the channel axis
    for (int a = layer.channelAxis() + 1; a < shape.length; a++) {
      stride *= (int) shape[a];
    }
    double[] sums = new double[images * c];
    for (int j = 0; j < images; j++) {
      for (int q = 0; q < perImage; q++) {
        sums[j * c + (q / stride) % c] += values[j * perImage + q];
      }
    }
    float[] out = new float[images * c];
    int perNeuron = perImage / c;
    for (int k = 0; k < out.length; k++) {
      out[k] = (float) (sums[k] / perNeuron);
    }
    return out;
  }

  private static float meanAbs(float[] values) {
    double sum = 0;
    for (float v : values) {
      sum += Math.abs(v);
    }
    float mean = values.length == 0 ? 0f : (float) (sum / values.length);
    return Math.max(mean, ReverseSettings.SCALE_FLOOR);
  }
}
