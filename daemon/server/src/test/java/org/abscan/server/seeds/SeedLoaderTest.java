package org.abscan.server.seeds;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.abscan.engine.SeedImages;
import org.abscan.proto.common.v1.SeedImage;
import org.abscan.proto.common.v1.SeedSet;
import org.abscan.server.models.ServerPaths;
import org.abscan.spi.AbscanException;
import org.abscan.spi.ErrorCategory;
import org.abscan.spi.model.InputSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SeedLoaderTest {
  @TempDir Path temp;

  private static final InputSpec RGB_2x2 = new InputSpec("in", 2, 2, 3, InputSpec.Layout.NHWC);
  private static final InputSpec GREY_2x2 = new InputSpec("in", 2, 2, 1, InputSpec.Layout.NHWC);

  private SeedLoader loader() {
    return new SeedLoader(new ServerPaths(List.of(temp)), new SeedLimits(10, 64));
  }

  private static SeedSet inline(byte[]... images) {
    SeedSet.Builder seeds = SeedSet.newBuilder();
    for (int i = 0; i < images.length; i++) {
      seeds.addImages(SeedImage.newBuilder().setData(ByteString.copyFrom(images[i])).setLabel(i));
    }
    return seeds.build();
  }

  private static byte[] pnm(String header, int... samples) {
    byte[] head = header.getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[head.length + samples.length];
    System.arraycopy(head, 0, out, 0, head.length);
    for (int i = 0; i < samples.length; i++) {
      out[head.length + i] = (byte) samples[i];
    }
    return out;
  }

  @Test
  void ppmBecomesNhwcInZeroOne() {
    byte[] ppm = pnm("P6\n# a comment\n2 2\n255\n", 255, 0, 0, 0, 255, 0, 0, 0, 255, 51, 102, 204);
    SeedImages images = loader().load(inline(ppm), RGB_2x2, "seeds");
    assertArrayEquals(new float[] {1, 0, 0, 0, 1, 0, 0, 0, 1, 0.2f, 0.4f, 0.8f}, images.pixels(), 1e-6f);
  }

  @Test
  void greyAndRgbAreConvertedToTheModelsChannels() throws Exception {
    byte[] pgm = pnm("P5 2 2 255\n", 0, 51, 102, 255);
    SeedImages asRgb = loader().load(inline(pgm), RGB_2x2, "seeds");
    assertArrayEquals(new float[] {0, 0, 0, 0.2f, 0.2f, 0.2f, 0.4f, 0.4f, 0.4f, 1, 1, 1}, asRgb.pixels(), 1e-6f);

    BufferedImage red = new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB);
    for (int p = 0; p < 4; p++) {
      red.setRGB(p % 2, p / 2, 0xff0000);
    }
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    ImageIO.write(red, "png", png);
    SeedImages asGrey = loader().load(inline(png.toByteArray()), GREY_2x2, "seeds");
    assertEquals(0.299f, asGrey.pixels()[0], 1e-3f, "luminance of pure red");

    BufferedImage greyPng = new BufferedImage(2, 2, BufferedImage.TYPE_BYTE_GRAY);
    greyPng.getRaster().setSamples(0, 0, 2, 2, 0, new int[] {0, 51, 102, 255});
    ByteArrayOutputStream greyBytes = new ByteArrayOutputStream();
    ImageIO.write(greyPng, "png", greyBytes);
    assertArrayEquals(new float[] {0, 0.2f, 0.4f, 1},
        loader().load(inline(greyBytes.toByteArray()), GREY_2x2, "seeds").pixels(), 1e-6f,
        "8-bit grey PNG values are taken as stored");
  }

  @Test
  void malformedAndOversizedImagesNameTheirField() {
    AbscanException truncated = assertThrows(AbscanException.class,
        () -> loader().load(inline(pnm("P5 2 2 255\n", 1, 2, 3, 4), pnm("P6 2 2 255\n", 1, 2)), RGB_2x2,
            "seeds"));
    assertEquals(ErrorCategory.INVALID_ARGUMENT, truncated.category());
    assertEquals("seeds.images[1]", truncated.violations().get(0).subject());
    assertTrue(truncated.getMessage().contains("truncated"), truncated.getMessage());

    AbscanException huge = assertThrows(AbscanException.class,
        () -> loader().load(inline(pnm("P5 100000 100000 255\n")), RGB_2x2, "seeds"));
    assertTrue(huge.getMessage().contains("outside 1..64"), huge.getMessage());

    AbscanException tooMany = assertThrows(AbscanException.class,
        () -> loader().load(inline(new byte[11][1]), RGB_2x2, "seeds"));
    assertEquals(ErrorCategory.LIMIT_EXCEEDED, tooMany.category());
  }

  @Test
  void aServerFolderIsReadAsLabelSlashFile() throws Exception {
    Path folder = temp.resolve("seeds");
    Files.createDirectories(folder.resolve("0"));
    Files.createDirectories(folder.resolve("3"));
    Files.write(folder.resolve("0/a.pgm"), pnm("P5 2 2 255\n", 0, 0, 0, 0));
    Files.write(folder.resolve("3/b.pgm"), pnm("P5 2 2 255\n", 255, 255, 255, 255));
    SeedImages images = loader().load(SeedSet.newBuilder().setServerFolder("seeds").build(), GREY_2x2, "seeds");
    assertEquals(2, images.count());
    assertArrayEquals(new int[] {0, 3}, images.labels());
    assertEquals(List.of("0/a.pgm", "3/b.pgm"), images.names());

    Files.createDirectories(folder.resolve("cats"));
    AbscanException e = assertThrows(AbscanException.class,
        () -> loader().load(SeedSet.newBuilder().setServerFolder("seeds").build(), GREY_2x2, "seeds"));
    assertEquals("seeds.server_folder", e.violations().get(0).subject());
  }
}
