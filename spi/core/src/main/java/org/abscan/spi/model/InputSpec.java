package org.abscan.spi.model;

/**
 * The model's input image tensor (batch dimension excluded).
 *
 * @param name tensor or layer name in the source model
 * @param layout how {@link LoadedModel#build}'s input is laid out
 */
public record InputSpec(String name, int height, int width, int channels, Layout layout) {
  public InputSpec {
    if (height <= 0 || width <= 0 || channels <= 0) {
      throw new IllegalArgumentException(
          "input dimensions must be positive: " + height + "x" + width + "x" + channels);
    }
  }

  public enum Layout {
    NHWC,
    NCHW
  }

  /** The 4-D shape with batch size {@code batch}, in this layout. */
  public long[] shape(long batch) {
    return layout == Layout.NHWC
        ? new long[] {batch, height, width, channels}
        : new long[] {batch, channels, height, width};
  }
}
