package org.abscan.plugins.keras;

import java.util.Arrays;

/**
 * One weight array read from the file, row-major as Keras stores it.
 *
 * @param name the weight's short name ("kernel", "bias", "gamma", "moving_mean", ...)
 * @param shape its dimensions
 * @param values its elements, converted to float
 */
record Weight(String name, long[] shape, float[] values) {
  Weight {
    shape = shape.clone();
  }

  @Override
  public long[] shape() {
    return shape.clone();
  }

  long size() {
    return values.length;
  }

  @Override
  public String toString() {
    return name + Arrays.toString(shape);
  }
}
