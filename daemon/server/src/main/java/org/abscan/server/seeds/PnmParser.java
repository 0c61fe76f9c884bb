package org.abscan.server.seeds;

/**
 * Binary PGM (P5) and PPM (P6) with 8-bit samples. Bounded: the header is checked against the dimension cap and
 * the data length before anything is allocated.
 */
final class PnmParser {
  private final byte[] data;
  private int pos;

  private PnmParser(byte[] data) {
    this.data = data;
  }

  static boolean looksLikePnm(byte[] data) {
    return data.length >= 2 && data[0] == 'P' && (data[1] == '5' || data[1] == '6');
  }

  /** @throws IllegalArgumentException with a message for the user when malformed or over the cap */
  static DecodedImage parse(byte[] data, int maxDimension) {
    PnmParser parser = new PnmParser(data);
    int channels = data[1] == '6' ? 3 : 1;
    parser.pos = 2;
    int width = parser.nextInt();
    int height = parser.nextInt();
    int maxValue = parser.nextInt();
    if (width <= 0 || height <= 0 || width > maxDimension || height > maxDimension) {
      throw new IllegalArgumentException(
          "PNM dimensions " + width + "x" + height + " outside 1.." + maxDimension);
    }
    if (maxValue <= 0 || maxValue > 255) {
      throw new IllegalArgumentException("only 8-bit PNM is supported (maxval " + maxValue + ")");
    }
    parser.pos++; // the single whitespace byte after maxval
    long needed = (long) width * height * channels;
    if (data.length - parser.pos < needed) {
      throw new IllegalArgumentException("PNM data truncated: need " + needed + " bytes, have "
          + Math.max(0, data.length - parser.pos));
    }
    int[] rgb = new int[width * height];
    for (int i = 0; i < rgb.length; i++) {
      int r;
      int g;
      int b;
      if (channels == 3) {
        r = scale(data[parser.pos++], maxValue);
        g = scale(data[parser.pos++], maxValue);
        b = scale(data[parser.pos++], maxValue);
      } else {
        r = g = b = scale(data[parser.pos++], maxValue);
      }
      rgb[i] = (r << 16) | (g << 8) | b;
    }
    return new DecodedImage(width, height, channels == 1, rgb);
  }

  private static int scale(byte sample, int maxValue) {
    return (sample & 0xff) * 255 / maxValue;
  }

  private int nextInt() {
    skipWhitespaceAndComments();
    int start = pos;
    long value = 0;
    while (pos < data.length && data[pos] >= '0' && data[pos] <= '9') {
      value = value * 10 + (data[pos] - '0');
      if (value > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("PNM header number too large");
      }
      pos++;
    }
    if (pos == start) {
      throw new IllegalArgumentException("malformed PNM header");
    }
    return (int) value;
  }

  private void skipWhitespaceAndComments() {
    while (pos < data.length) {
      byte b = data[pos];
      if (b == '#') {
        while (pos < data.length && data[pos] != '\n') {
          pos++;
        }
      } else if (b == ' ' || b == '\t' || b == '\n' || b == '\r') {
        pos++;
      } else {
        return;
      }
    }
  }
}
