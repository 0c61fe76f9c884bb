package org.abscan.engine.stimulation;

import org.abscan.spi.model.LayerSpec;
import org.tensorflow.types.TFloat32;

/**
 * What the unmodified seed images produce at one layer.
 *
 * @param activations the layer's output for every seed image, [images, ...layer shape], kept native
 * @param seedImages the seed images themselves, [images, height, width, channels], kept native for layers
 *     whose downstream still reads the model input (skip connections)
 * @param observed per image and neuron the neuron's activation (a conv channel's maximum), images * neurons
 * @param baseLogits per image the model's logits, images * numLabels
 */
public record LayerBase(
    LayerSpec spec,
    TFloat32 activations,
    TFloat32 seedImages,
    float[] observed,
    float[] baseLogits,
    int images,
    int numLabels)
    implements AutoCloseable {

  public float observed(int image, int neuron) {
    return observed[image * spec.neurons() + neuron];
  }

  public float baseLogit(int image, int label) {
    return baseLogits[image * numLabels + label];
  }

  /** The layer's largest observed activation over all seeds (max_act of the original ABS code). */
  public float maxActivation() {
    float max = Float.NEGATIVE_INFINITY;
    for (float v : observed) {
      max = Math.max(max, v);
    }
    return max;
  }

  /** The smallest observed activation: the lower end of adaptive sampling when a layer can go negative. */
  public float minActivation() {
    float min = Float.POSITIVE_INFINITY;
    for (float v : observed) {
      min = Math.min(min, v);
    }
    return min;
  }

  @Override
  public void close() {
    activations.close();
    seedImages.close();
  }
}
