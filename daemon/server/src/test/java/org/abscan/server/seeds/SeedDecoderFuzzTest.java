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
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Fuzzing of the seed image decoder (PNG and JPEG through ImageIO, PPM/PGM by our parser) with jqwik: whatever
 * the bytes, decoding returns an image within the dimension cap or throws IllegalArgumentException (which the
 * server reports as INVALID_ARGUMENT) — never another exception, an Error, or a long stall. Inputs: valid
 * images with 1 to 8 bytes overwritten at random offsets, truncated at a random length, PNM headers with random
 * (also huge or negative) dimensions and max values over short bodies, and raw random bytes. A few hundred tries
 * each so the CI run stays short.
 */
class SeedDecoderFuzzTest {
  private static final int MAX_DIMENSION = 256;
  private static final long MAX_MILLIS = 2_000;
  private static final List<byte[]> VALID = List.of(encode("png", 16, 12), encode("jpg", 16, 12),
      encode("png", 200, 3), pnm("P6", 5, 4, 255, 5 * 4 * 3), pnm("P5", 7, 3, 255, 7 * 3));

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
    } catch (IllegalArgumentException expected) {
      // refused with a reason: the contract
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

  @Property(tries = 400)
  void mutatedImagesDecodeOrAreRefused(@ForAll("mutatedValidImages") byte[] data) {
    decodeWithinContract(data);
  }

  @Property(tries = 200)
  void truncatedImagesDecodeOrAreRefused(@ForAll @IntRange(min = 0, max = 4) int which,
      @ForAll @IntRange(min = 1, max = 2_000) int keep) {
    byte[] valid = VALID.get(which);
    decodeWithinContract(java.util.Arrays.copyOf(valid, Math.min(keep, valid.length)));
  }

  @Property(tries = 300)
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

  @Property(tries = 300)
  void randomBytesAreRefused(@ForAll @Size(min = 1, max = 512) byte[] data) {
    decodeWithinContract(data);
  }
}
