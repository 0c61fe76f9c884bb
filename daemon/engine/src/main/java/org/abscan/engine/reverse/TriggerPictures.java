package org.abscan.engine.reverse;

import com.google.protobuf.ByteString;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/** PNG encoding of [H, W, C] images in [0, 1] (C of 1: grey; 3: RGB) for trigger reports. */
final class TriggerPictures {
  private TriggerPictures() {}

  /**
   * @param values the whole tensor, row-major
   * @param offset where the image starts in {@code values}
   */
  static ByteString png(float[] values, int offset, int height, int width, int channels) {
    boolean grey = channels == 1;
    BufferedImage image = new BufferedImage(width, height,
        grey ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int base = offset + (y * width + x) * channels;
        if (grey) {
          int v = toByte(values[base]);
          image.getRaster().setSample(x, y, 0, v);
        } else {
          int r = toByte(values[base]);
          int g = toByte(values[base + Math.min(1, channels - 1)]);
          int b = toByte(values[base + Math.min(2, channels - 1)]);
          image.setRGB(x, y, (r << 16) | (g << 8) | b);
        }
      }
    }
    try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      ImageIO.write(image, "png", out);
      return ByteString.copyFrom(out.toByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int toByte(float v) {
    float clamped = Float.isFinite(v) ? Math.max(0f, Math.min(1f, v)) : 0f;
    return Math.round(clamped * 255f);
  }
}
