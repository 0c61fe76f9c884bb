package org.abscan.server.seeds;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes one seed image: PNG or JPEG through {@code javax.imageio}, binary PPM/PGM with {@link PnmParser}. The
 * dimensions are read from the header and checked before the pixels are decoded (decompression bombs).
 */
final class SeedDecoder {
  private SeedDecoder() {}

  private static DecodedImage rgbOf(BufferedImage image) {
    int width = image.getWidth();
    int[] rgb = image.getRGB(0, 0, width, image.getHeight(), null, 0, width);
    for (int i = 0; i < rgb.length; i++) {
      rgb[i] &= 0xffffff;
    }
    return new DecodedImage(width, image.getHeight(), false, rgb);
  }

  // getRGB would pass 8-bit grey through a linear-to-sRGB conversion; the raster holds the stored values.
  private static DecodedImage greyOf(BufferedImage image) {
    int width = image.getWidth();
    int height = image.getHeight();
    int[] samples = image.getRaster().getSamples(0, 0, width, height, 0, (int[]) null);
    int[] rgb = new int[samples.length];
    for (int i = 0; i < samples.length; i++) {
      int v = samples[i] & 0xff;
      rgb[i] = (v << 16) | (v << 8) | v;
    }
    return new DecodedImage(width, height, true, rgb);
  }

  /** @throws IllegalArgumentException with a user-facing reason when the bytes are not a usable image */
  static DecodedImage decode(byte[] data, int maxDimension) {
    if (data.length == 0) {
      throw new IllegalArgumentException("empty image");
    }
    if (PnmParser.looksLikePnm(data)) {
      return PnmParser.parse(data, maxDimension);
    }
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(data))) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        throw new IllegalArgumentException("not a PNG, JPEG, PPM or PGM image");
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        int width = reader.getWidth(0);
        int height = reader.getHeight(0);
        if (width <= 0 || height <= 0 || width > maxDimension || height > maxDimension) {
          throw new IllegalArgumentException(
              "image dimensions " + width + "x" + height + " outside 1.." + maxDimension);
        }
        BufferedImage image = reader.read(0);
        return image.getType() == BufferedImage.TYPE_BYTE_GRAY ? greyOf(image) : rgbOf(image);
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof IllegalArgumentException iae) {
        throw iae;
      }
      throw new IllegalArgumentException("malformed image: " + e.getMessage(), e);
    }
  }
}
