package org.abscan.engine.reverse;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.abscan.spi.model.LayerSpec;
import org.abscan.spi.model.ModelGraph;
import org.abscan.spi.model.ModelSpec;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Per trigger and image, the activation of the trigger's neuron(s) — f1 of Algorithm 2 for one image: the mean
 * over the feature map, summed over a group's neurons — on images the model was built on, for the evaluation
 * half of {@link TriggerGraph}. Built on stamped images ([T*m] rows, trigger-major) it says how far each trigger
 * drives its own neuron; built on clean images ([m] rows) it says how far benign images already drive it, which
 * {@link FeaturePresenceTally} compares.
 */
final class TriggerNeuronActivation {
  private TriggerNeuronActivation() {}

  /**
   * @param built the model on {@code copies * m} images, copy-major ({@code copies} = T for stamped images, 1
   *     for clean ones)
   * @return [T, m]
   */
  static Operand<TFloat32> build(Ops tf, ModelSpec spec, ModelGraph built, List<TriggerGroup> groups, int copies) {
    int t = groups.size();
    Set<String> layers = new LinkedHashSet<>();
    groups.forEach(g -> layers.add(g.layer()));
    List<Operand<TFloat32>> perLayer = new ArrayList<>();
    for (String name : layers) {
      LayerSpec layer = spec.layer(name).orElseThrow();
      int c = layer.neurons();
      float[] select = NeuronObjective.selection(groups, name, c);
      long[] batched = NeuronObjective.batchedShape(layer, copies, -1);
      int[] spatial = NeuronObjective.axesFrom(2, batched.length, layer.channelAxis() + 2);
      Operand<TFloat32> out = tf.reshape(built.layer(name), tf.constant(batched));
      // [copies, m, C] after averaging the feature map; a dense layer has no spatial axes to average.
      Operand<TFloat32> perNeuron = spatial.length == 0 ? out : tf.math.mean(out, tf.constant(spatial));
      Operand<TFloat32> selectC = tf.constant(Shape.of(t, 1, c), DataBuffers.of(select));
      perLayer.add(tf.reduceSum(tf.math.mul(perNeuron, selectC), tf.constant(2)));
    }
    return perLayer.size() == 1 ? perLayer.get(0) : tf.math.addN(perLayer);
  }
}
