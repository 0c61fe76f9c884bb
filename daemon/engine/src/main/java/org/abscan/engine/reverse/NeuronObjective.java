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
import org.tensorflow.types.TInt32;

/**
 * Lines 8-12 of Algorithm 2 for all triggers at once. For trigger t on layer L: f1 = the mean activation of
 * its neuron(s) over the feature map and the images (summed over a group's neurons, Appendix F); f2 = the
 * mean absolute change of L's other neurons against the clean images. Each layer's output is computed once
 * for the whole [T*n] batch; per-trigger selection matrices [T, C] pick the neurons, with zero rows for
 * triggers of other layers, so one graph serves candidates from any mix of layers. Only the selected (still
 * active) triggers are computed; the constants are gathered to match.
 *
 * @param activation [T]: f1 in the layer's own units (for progress reports)
 * @param neuronTerm [T]: f1 divided by the layer's clean magnitude
 * @param othersTerm [T]: f2 divided by the layer's clean magnitude
 */
record NeuronObjective(
    Operand<TFloat32> activation, Operand<TFloat32> neuronTerm, Operand<TFloat32> othersTerm) {

  /**
   * @param stamped the model on the stamped images of the selected triggers, [A*n, ...]
   * @param selected [A] indices of those triggers
   */
  static NeuronObjective build(Ops tf, ModelSpec spec, ModelGraph stamped, List<TriggerGroup> groups,
      int images, CleanReference clean, Operand<TInt32> selected) {
    int t = groups.size();
    Set<String> layers = new LinkedHashSet<>();
    groups.forEach(g -> layers.add(g.layer()));
    List<Operand<TFloat32>> activations = new ArrayList<>();
    List<Operand<TFloat32>> neuronTerms = new ArrayList<>();
    List<Operand<TFloat32>> otherTerms = new ArrayList<>();
    for (String name : layers) {
      LayerSpec layer = spec.layer(name).orElseThrow();
      int c = layer.neurons();
      float[] select = new float[t * c];
      float[] others = new float[t * c];
      for (int i = 0; i < t; i++) {
        TriggerGroup group = groups.get(i);
        if (!group.layer().equals(name)) {
          continue;
        }
        for (int n : group.neurons()) {
          select[i * c + n] = 1f;
        }
        int picked = (int) java.util.Arrays.stream(group.neurons()).distinct().count();
        float share = c > picked ? 1f / (c - picked) : 0f;
        for (int k = 0; k < c; k++) {
          others[i * c + k] = select[i * c + k] == 0f ? share : 0f;
        }
      }
      long[] layerShape = layer.shape();
      long[] batched = new long[layerShape.length + 2];
      batched[0] = -1;
      batched[1] = images;
      System.arraycopy(layerShape, 0, batched, 2, layerShape.length);
      Operand<TFloat32> out = tf.reshape(stamped.layer(name), tf.constant(batched));
      int[] reduce = reductionAxes(batched.length, layer.channelAxis() + 2);
      Operand<TFloat32> meanAct = tf.math.mean(out, tf.constant(reduce));
      long[] cleanShape = batched.clone();
      cleanShape[0] = 1;
      Operand<TFloat32> cleanOut = tf.constant(Shape.of(cleanShape), DataBuffers.of(clean.activations().get(name)));
      Operand<TFloat32> meanChange = tf.math.mean(tf.math.abs(tf.math.sub(out, cleanOut)), tf.constant(reduce));
      Operand<TInt32> axis0 = tf.constant(0);
      Operand<TFloat32> selectC = tf.gather(tf.constant(Shape.of(t, c), DataBuffers.of(select)), selected, axis0);
      Operand<TFloat32> othersC = tf.gather(tf.constant(Shape.of(t, c), DataBuffers.of(others)), selected, axis0);
      Operand<TFloat32> act = tf.reduceSum(tf.math.mul(meanAct, selectC), tf.constant(1));
      Operand<TFloat32> change = tf.reduceSum(tf.math.mul(meanChange, othersC), tf.constant(1));
      Operand<TFloat32> inverseScale = tf.constant(1f / clean.layerScales().get(name));
      activations.add(act);
      neuronTerms.add(tf.math.mul(act, inverseScale));
      otherTerms.add(tf.math.mul(change, inverseScale));
    }
    return new NeuronObjective(sum(tf, activations), sum(tf, neuronTerms), sum(tf, otherTerms));
  }

  /** Every axis of a rank-{@code rank} tensor except the trigger axis 0 and {@code channelAxis}. */
  private static int[] reductionAxes(int rank, int channelAxis) {
    int[] axes = new int[rank - 2];
    int k = 0;
    for (int a = 1; a < rank; a++) {
      if (a != channelAxis) {
        axes[k++] = a;
      }
    }
    return axes;
  }

  private static Operand<TFloat32> sum(Ops tf, List<Operand<TFloat32>> terms) {
    return terms.size() == 1 ? terms.get(0) : tf.math.addN(terms);
  }
}
