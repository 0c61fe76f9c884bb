package org.abscan.spi.model;

import java.util.Arrays;

/**
 * An addressable layer output.
 *
 * @param name unique layer name
 * @param kind e.g. "Conv2D", "Dense", "Conv2D/relu" (the post-activation half of a fused layer)
 * @param shape output shape without the batch dimension
 * @param channelAxis axis of {@code shape} (0-based, batch excluded) that indexes neurons: a conv channel is one
 *     neuron; for a 1-D dense output it is 0
 * @param candidate whether ABS analyses this layer by default (conv/dense activations, not the logits)
 */
public record LayerSpec(String name, String kind, long[] shape, int channelAxis, boolean candidate) {
  public LayerSpec {
    shape = shape.clone();
    if (channelAxis < 0 || channelAxis >= shape.length) {
      throw new IllegalArgumentException(
          "channelAxis " + channelAxis + " outside shape " + Arrays.toString(shape));
    }
  }

  /** Number of neurons: the size of the channel axis. */
  public int neurons() {
    return (int) shape[channelAxis];
  }

  /** Elements of one neuron's feature map (1 for dense layers). */
  public long elementsPerNeuron() {
    long total = 1;
    for (int i = 0; i < shape.length; i++) {
      if (i != channelAxis) {
        total *= shape[i];
      }
    }
    return total;
  }

  @Override
  public long[] shape() {
    return shape.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LayerSpec l
        && name.equals(l.name)
        && kind.equals(l.kind)
        && Arrays.equals(shape, l.shape)
        && channelAxis == l.channelAxis
        && candidate == l.candidate;
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + Arrays.hashCode(shape);
  }

  @Override
  public String toString() {
    return name + "(" + kind + " " + Arrays.toString(shape) + ")";
  }
}
