package org.abscan.engine.reverse;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.abscan.spi.model.LayerSpec;
import org.abscan.spi.model.ModelGraph;
import org.abscan.spi.model.ModelSpec;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Lines 8-12 of Algorithm 2 for all triggers at once. For trigger t on layer L: f1 = the mean activation of
 * its neuron(s) over the feature map and the images (summed over a group's neurons, Appendix F); f2 = the
 * mean absolute change of L's other neurons against the clean images. The model runs once for the whole
 * [A*n] batch of the selected (still active) triggers; each layer's terms are then computed only on the rows
 * of the selected triggers that target it (fed per step, {@link #rows}), with per-trigger selection matrices
 * [T, C] picking the neurons, and placed back at their triggers' positions among the selected ones
 * ({@link #placement}). Computing f2 for every row on every layer cost a fifth of a pixel step, most of it on
 * the wide convolution layers few candidates sit on.
 *
 * @param activation [A]: f1 in the layer's own units (for progress reports)
 * @param neuronTerm [A]: f1 divided by the layer's clean magnitude
 * @param othersTerm [A]: f2 divided by the layer's clean magnitude
 * @param rows per layer, fed each step: [A_L] positions, among the selected triggers, of those on the layer
 * @param placement per layer, fed each step: [A, A_L] one-hot, 1 at (position, k) for the k-th of those rows
 */
record NeuronObjective(
    Operand<TFloat32> activation, Operand<TFloat32> neuronTerm, Operand<TFloat32> othersTerm,
    Map<String, Placeholder<TInt32>> rows, Map<String, Placeholder<TFloat32>> placement) {

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
    Map<String, Placeholder<TInt32>> rowsByLayer = new LinkedHashMap<>();
    Map<String, Placeholder<TFloat32>> placementByLayer = new LinkedHashMap<>();
    int index = 0;
    for (String name : layers) {
      LayerSpec layer = spec.layer(name).orElseThrow();
      int c = layer.neurons();
      float[] select = selection(groups, name, c);
      float[] others = new float[t * c];
      for (int i = 0; i < t; i++) {
        TriggerGroup group = groups.get(i);
        if (!group.layer().equals(name)) {
          continue;
        }
        int picked = (int) java.util.Arrays.stream(group.neurons()).distinct().count();
        float share = c > picked ? 1f / (c - picked) : 0f;
        for (int k = 0; k < c; k++) {
          others[i * c + k] = select[i * c + k] == 0f ? share : 0f;
        }
      }
      long[] batched = batchedShape(layer, -1, images);
      Operand<TInt32> axis0 = tf.constant(0);
      Placeholder<TInt32> rows = tf.withName("layer_rows_" + index).placeholder(TInt32.class,
          Placeholder.shape(Shape.of(Shape.UNKNOWN_SIZE)));
      Placeholder<TFloat32> placement = tf.withName("layer_placement_" + index++).placeholder(TFloat32.class,
          Placeholder.shape(Shape.of(Shape.UNKNOWN_SIZE, Shape.UNKNOWN_SIZE)));
      rowsByLayer.put(name, rows);
      placementByLayer.put(name, placement);
      Operand<TFloat32> out =
          tf.gather(tf.reshape(stamped.layer(name), tf.constant(batched)), rows, axis0);
      Operand<TInt32> triggers = tf.gather(selected, rows, axis0);
      int[] reduce = axesFrom(1, batched.length, layer.channelAxis() + 2);
      Operand<TFloat32> meanAct = tf.math.mean(out, tf.constant(reduce));
      long[] cleanShape = batched.clone();
      cleanShape[0] = 1;
      Operand<TFloat32> cleanOut = tf.constant(Shape.of(cleanShape), DataBuffers.of(clean.activations().get(name)));
      Operand<TFloat32> meanChange = tf.math.mean(tf.math.abs(tf.math.sub(out, cleanOut)), tf.constant(reduce));
      Operand<TFloat32> selectC = tf.gather(tf.constant(Shape.of(t, c), DataBuffers.of(select)), triggers, axis0);
      Operand<TFloat32> othersC = tf.gather(tf.constant(Shape.of(t, c), DataBuffers.of(others)), triggers, axis0);
      Operand<TFloat32> act = place(tf, placement, tf.reduceSum(tf.math.mul(meanAct, selectC), tf.constant(1)));
      Operand<TFloat32> change =
          place(tf, placement, tf.reduceSum(tf.math.mul(meanChange, othersC), tf.constant(1)));
      Operand<TFloat32> inverseScale = tf.constant(1f / clean.layerScales().get(name));
      activations.add(act);
      neuronTerms.add(tf.math.mul(act, inverseScale));
      otherTerms.add(tf.math.mul(change, inverseScale));
    }
    return new NeuronObjective(sum(tf, activations), sum(tf, neuronTerms), sum(tf, otherTerms),
        rowsByLayer, placementByLayer);
  }

  /** [A_L] values of one layer's rows to [A] (zeros for the other layers' triggers): placement x values. */
  private static Operand<TFloat32> place(Ops tf, Operand<TFloat32> placement, Operand<TFloat32> values) {
    Operand<TFloat32> column = tf.expandDims(values, tf.constant(1));
    return tf.squeeze(tf.linalg.matMul(placement, column), org.tensorflow.op.core.Squeeze.axis(List.of(1L)));
  }

  /**
   * The feeds of {@link #rows} and {@link #placement} for one step: per layer, the positions among
   * {@code selected} of the triggers on that layer.
   */
  Map<String, int[]> rowsOf(int[] selected, List<TriggerGroup> groups) {
    Map<String, int[]> out = new LinkedHashMap<>();
    for (String layer : rows.keySet()) {
      out.put(layer, java.util.stream.IntStream.range(0, selected.length)
          .filter(k -> groups.get(selected[k]).layer().equals(layer)).toArray());
    }
    return out;
  }

  /** [A, A_L] one-hot placement of a layer's rows among {@code selectedCount} selected triggers. */
  static float[] placementOf(int[] layerRows, int selectedCount) {
    float[] m = new float[selectedCount * layerRows.length];
    for (int k = 0; k < layerRows.length; k++) {
      m[layerRows[k] * layerRows.length + k] = 1f;
    }
    return m;
  }

  /** [T, C] row-major: 1 at (i, n) for each neuron n of trigger i's group when that group is on {@code layer}. */
  static float[] selection(List<TriggerGroup> groups, String layer, int c) {
    float[] select = new float[groups.size() * c];
    for (int i = 0; i < groups.size(); i++) {
      if (groups.get(i).layer().equals(layer)) {
        for (int n : groups.get(i).neurons()) {
          select[i * c + n] = 1f;
        }
      }
    }
    return select;
  }

  /** The layer's output shape with two leading axes, e.g. [triggers, images, H, W, C]. */
  static long[] batchedShape(LayerSpec layer, long first, long second) {
    long[] shape = layer.shape();
    long[] batched = new long[shape.length + 2];
    batched[0] = first;
    batched[1] = second;
    System.arraycopy(shape, 0, batched, 2, shape.length);
    return batched;
  }

  /** The axes {@code from}..{@code rank}-1 of a tensor, {@code channelAxis} left out. */
  static int[] axesFrom(int from, int rank, int channelAxis) {
    return java.util.stream.IntStream.range(from, rank).filter(a -> a != channelAxis).toArray();
  }

  private static Operand<TFloat32> sum(Ops tf, List<Operand<TFloat32>> terms) {
    return terms.size() == 1 ? terms.get(0) : tf.math.addN(terms);
  }
}
