package org.abscan.engine.stimulation;

import java.util.ArrayList;
import java.util.List;

/**
 * The original ABS code's sampling: values {@code i * samp_k * max_act / n} for {@code i = 0..n-1}, the same
 * for every image and every neuron of a layer ({@code max_act}: the layer's largest observed activation).
 */
final class GridSampling extends NeuronSampling {
  private final List<Float> grid;
  private boolean proposed;

  GridSampling(int neuron, int images, int labels, int samples, float sampleK, float maxActivation) {
    super(neuron, images, labels, new float[images], Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY);
    grid = new ArrayList<>(samples);
    for (int i = 0; i < samples; i++) {
      grid.add(i * sampleK * maxActivation / samples);
    }
  }

  @Override
  public List<Float> propose() {
    if (proposed) {
      return List.of();
    }
    proposed = true;
    List<Float> distinct = grid.stream().distinct().toList();
    addPoints(distinct);
    return distinct;
  }
}
