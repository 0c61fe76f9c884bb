package org.abscan.server.seeds;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.imageio.ImageIO;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.statistics.Statistics;

/**
 * Fuzzing of the seed image decoder (PNG and JPEG through ImageIO, PPM/PGM by our parser) with jqwik: whatever
 * the bytes, decoding returns an image within the dimension cap or throws IllegalArgumentException (which the
 * server reports as INVALID_ARGUMENT) — never another exception, an Error, or a long stall. Inputs: valid
 * images with 1 to 8 bytes overwritten at random offsets, truncated at a random length, PNM headers with random
 * (also huge or negative) dimensions and max values over short bodies, and raw random bytes. Hundreds of tries
 * each so the CI run stays short; fixed seeds, so every build tries the same inputs. Also BMP, GIF and TIFF (ImageIO
 * reads them, so the decoder does) and header edits of the width/height fields of PNG, JPEG, BMP and GIF.
 */
@Tag("fuzz")
class SeedDecoderFuzzTest {
  private static final int MAX_DIMENSION = 256;
  private static final long MAX_MILLIS = 2_000;
  private static final List<byte[]> VALID = List.of(encode("png", 16, 12), encode("jpg", 16, 12),
      encode("png", 200, 3), pnm("P6", 5, 4, 255, 5 * 4 * 3), pnm("P5", 7, 3, 255, 7 * 3),
      // ImageIO also reads these, so the decoder does too: they are part of the attack surface.
      encode("bmp", 16, 12), encode("gif", 16, 12), encode("tiff", 16, 12));
  /** Boundary values a lying dimension field carries. */
  private static final List<Long> LIES = List.of(0L, 1L, 0x7FFFL, 0x8000L, 0xFFFFL, 4_097L, 65_536L,
      0x7FFF_FFFFL, 0x8000_0000L, 0xFFFF_FFFFL);

  private static byte[] encode(String format, int w, int h) {
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        image.setRGB(x, y, (x * 13) << 16 | (y * 29) << 8 | (x ^ y));
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, format, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static byte[] pnm(String magic, long w, long h, long max, int bodyBytes) {
    byte[] header = (magic + "\n" + w + " " + h + "\n" + max + "\n").getBytes(StandardCharsets.US_ASCII);
    byte[] all = new byte[header.length + Math.max(0, bodyBytes)];
    System.arraycopy(header, 0, all, 0, header.length);
    for (int i = header.length; i < all.length; i++) {
      all[i] = (byte) (i * 7);
    }
    return all;
  }

  /** Decodes and checks the contract; returns normally for both outcomes the contract allows. */
  private static void decodeWithinContract(byte[] data) {
    long start = System.nanoTime();
    try {
      DecodedImage image = SeedDecoder.decode(data, MAX_DIMENSION);
      assertTrue(image.width() >= 1 && image.width() <= MAX_DIMENSION, "width " + image.width());
      assertTrue(image.height() >= 1 && image.height() <= MAX_DIMENSION, "height " + image.height());
      Statistics.label("outcome").collect("decoded");
    } catch (IllegalArgumentException expected) {
      // refused with a reason: the contract
      Statistics.label("outcome").collect("refused");
    }
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertTrue(millis < MAX_MILLIS, "decoding took " + millis + " ms");
  }

  @Provide
  Arbitrary<byte[]> mutatedValidImages() {
    return Combinators.combine(Arbitraries.of(VALID), Arbitraries.integers().between(1, 8),
        Arbitraries.longs()).as((valid, flips, seed) -> {
          byte[] copy = valid.clone();
          java.util.Random random = new java.util.Random(seed);
          for (int i = 0; i < flips; i++) {
            copy[random.nextInt(copy.length)] = (byte) random.nextInt(256);
          }
          return copy;
        });
  }

  @Property(tries = 1000, seed = "20261121")
  void mutatedImagesDecodeOrAreRefused(@ForAll("mutatedValidImages") byte[] data) {
    decodeWithinContract(data);
  }

  @Property(tries = 500, seed = "20261122")
  void truncatedImagesDecodeOrAreRefused(@ForAll @IntRange(min = 0, max = 7) int which,
      @ForAll @IntRange(min = 1, max = 2_000) int keep) {
    byte[] valid = VALID.get(which % VALID.size());
    decodeWithinContract(java.util.Arrays.copyOf(valid, Math.min(keep, valid.length)));
  }

  @Property(tries = 600, seed = "20261123")
  void pnmHeadersWithAnyDimensionsNeverAllocateBeyondTheCap(
      @ForAll("magic") String magic, @ForAll("dimension") long w, @ForAll("dimension") long h,
      @ForAll("dimension") long max, @ForAll @IntRange(min = 0, max = 4_000) int body) {
    decodeWithinContract(pnm(magic, w, h, max, body));
  }

  @Provide
  Arbitrary<String> magic() {
    return Arbitraries.of("P5", "P6");
  }

  @Provide
  Arbitrary<Long> dimension() {
    return Arbitraries.oneOf(Arbitraries.longs().between(-5, 300),
        Arbitraries.of(0L, 65_535L, 65_536L, (long) Integer.MAX_VALUE, 1L << 40, Long.MAX_VALUE));
  }

  @Property(tries = 300, seed = "20261124")
  void randomBytesAreRefused(@ForAll @Size(min = 1, max = 512) byte[] data) {
    decodeWithinContract(data);
  }

  /**
   * Header edits: the width or height field of a PNG (IHDR), BMP (info header), GIF (screen and image
   * descriptor) or JPEG (SOF0) set to a boundary value, so a decoder that trusts the header before the cap or
   * sizes a buffer from it shows up.
   */
  @Property(tries = 600, seed = "20261125")
  void headerDimensionsThatLieAreCappedOrRefused(@ForAll @IntRange(min = 0, max = 6) int field,
      @ForAll("lies") long value) {
    byte[] png = VALID.get(0).clone();
    byte[] jpg = VALID.get(1).clone();
    byte[] bmp = VALID.get(5).clone();
    byte[] gif = VALID.get(6).clone();
    int sof = indexOf(jpg, (byte) 0xFF, (byte) 0xC0);
    int descriptor = indexOf(gif, (byte) 0x2C, (byte) 0);
    switch (field) {
      case 0 -> decodeWithinContract(put(png, 16, value, 4, true));
      case 1 -> decodeWithinContract(put(png, 20, value, 4, true));
      case 2 -> decodeWithinContract(put(jpg, sof + 5 + 2 * (int) (value & 1), value, 2, true));
      case 3 -> decodeWithinContract(put(bmp, 18, value, 4, false));
      case 4 -> decodeWithinContract(put(bmp, 22, value, 4, false));
      case 5 -> decodeWithinContract(put(gif, 6 + 2 * (int) (value & 1), value, 2, false));
      default -> decodeWithinContract(put(gif, descriptor + 5 + 2 * (int) (value & 1), value, 2, false));
    }
  }

  @Provide
  Arbitrary<Long> lies() {
    return Arbitraries.of(LIES);
  }

  private static byte[] put(byte[] data, int at, long value, int width, boolean bigEndian) {
    for (int i = 0; i < width; i++) {
      data[at + i] = (byte) (value >>> (8 * (bigEndian ? width - 1 - i : i)));
    }
    return data;
  }

  private static int indexOf(byte[] data, byte first, byte second) {
    for (int i = 0; i + 1 < data.length; i++) {
      if (data[i] == first && data[i + 1] == second) {
        return i;
      }
    }
    throw new IllegalStateException("marker not found in a fixture image");
  }
}
