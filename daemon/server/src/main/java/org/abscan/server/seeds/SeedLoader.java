package org.abscan.server.seeds;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.abscan.engine.SeedImages;
import org.abscan.proto.common.v1.SeedImage;
import org.abscan.proto.common.v1.SeedSet;
import org.abscan.server.models.ServerPaths;
import org.abscan.spi.AbscanException;
import org.abscan.spi.ErrorCategory;
import org.abscan.spi.model.InputSpec;

/**
 * Turns a request's {@link SeedSet} into {@link SeedImages} at the model's input size (in two halves,
 * {@link #decode} and {@link #fit}, so a worker process can do the second): images sent inline, or
 * a server folder {@code <label>/<file>} inside the model roots. Channels are adapted (RGB to grey by
 * luminance, grey to RGB by repetition); a size mismatch is the caller's error, not something to resample.
 * Every problem names its field ({@code seeds.images[3].data}) or file.
 */
public final class SeedLoader {
  private final ServerPaths paths;
  private final SeedLimits limits;

  public SeedLoader(ServerPaths paths, SeedLimits limits) {
    this.paths = paths;
    this.limits = limits;
  }

  /** Decodes and fits in one go (the in-process engine). @param field the request field ("seeds") */
  public SeedImages load(SeedSet seeds, InputSpec input, String field) {
    return fit(decode(seeds, field), input);
  }

  /**
   * The daemon's half when models are parsed in worker processes: reads and decodes every image (bounded by the
   * seed limits) without knowing the model's input size.
   *
   * @param field the request field holding the seed set ("seeds")
   */
  public List<DecodedSeed> decode(SeedSet seeds, String field) {
    List<Source> sources = new ArrayList<>();
    if (!seeds.getServerFolder().isEmpty()) {
      if (seeds.getImagesCount() > 0) {
        throw invalid(field, "set images or server_folder, not both");
      }
      sources.addAll(fromFolder(seeds.getServerFolder(), field + ".server_folder"));
    } else {
      for (int i = 0; i < seeds.getImagesCount(); i++) {
        SeedImage image = seeds.getImages(i);
        String name = image.getName().isEmpty() ? "image " + i : image.getName();
        sources.add(new Source(field + ".images[" + i + "]", name, image.getLabel(),
            () -> image.getData().toByteArray()));
      }
    }
    if (sources.isEmpty()) {
      throw invalid(field, "no seed images: send images or name a server_folder");
    }
    if (sources.size() > limits.maxImages()) {
      throw new AbscanException(ErrorCategory.LIMIT_EXCEEDED,
          sources.size() + " seed images exceed the limit of " + limits.maxImages(),
          List.of(new AbscanException.Violation(field, "at most " + limits.maxImages() + " images")));
    }
    List<DecodedSeed> decoded = new ArrayList<>(sources.size());
    for (Source source : sources) {
      if (source.label() < 0) {
        throw invalid(source.field() + ".label", "label must be non-negative, got " + source.label());
      }
      try {
        decoded.add(new DecodedSeed(source.field(), source.name(), source.label(),
            SeedDecoder.decode(source.bytes().get(), limits.maxDimension())));
      } catch (IllegalArgumentException e) {
        throw invalid(source.field(), source.name() + ": " + e.getMessage());
      }
    }
    return decoded;
  }

  /**
   * The model's half: decoded seeds at the model's input size, channels adapted. Runs where the model was
   * parsed (the daemon in-process, else the worker).
   */
  public static SeedImages fit(List<DecodedSeed> decoded, InputSpec input) {
    int h = input.height();
    int w = input.width();
    int c = input.channels();
    if (c != 1 && c != 3) {
      throw invalid("model", "models with " + c + " input channels cannot take 8-bit images");
    }
    float[] pixels = new float[Math.multiplyExact(decoded.size(), Math.multiplyExact(h * w, c))];
    int[] labels = new int[decoded.size()];
    List<String> names = new ArrayList<>();
    for (int i = 0; i < decoded.size(); i++) {
      DecodedSeed seed = decoded.get(i);
      DecodedImage image = seed.image();
      if (image.width() != w || image.height() != h) {
        throw invalid(seed.field(), seed.name() + " is " + image.width() + "x" + image.height()
            + " but the model takes " + w + "x" + h);
      }
      write(image, c, pixels, i * h * w * c);
      labels[i] = seed.label();
      names.add(seed.name());
    }
    return new SeedImages(pixels, decoded.size(), h, w, c, labels, names);
  }

  private static void write(DecodedImage image, int channels, float[] into, int offset) {
    int[] rgb = image.rgb();
    for (int p = 0; p < rgb.length; p++) {
      int r = (rgb[p] >> 16) & 0xff;
      int g = (rgb[p] >> 8) & 0xff;
      int b = rgb[p] & 0xff;
      if (channels == 1) {
        float grey = image.grey() ? r : 0.299f * r + 0.587f * g + 0.114f * b;
        into[offset + p] = grey / 255f;
      } else {
        into[offset + 3 * p] = r / 255f;
        into[offset + 3 * p + 1] = g / 255f;
        into[offset + 3 * p + 2] = b / 255f;
      }
    }
  }

  private List<Source> fromFolder(String raw, String field) {
    Path folder = paths.resolve(raw, field);
    if (!Files.isDirectory(folder)) {
      throw invalid(field, "'" + raw + "' is not a directory");
    }
    List<Source> sources = new ArrayList<>();
    for (Path labelDir : list(folder)) {
      if (!Files.isDirectory(labelDir)) {
        continue;
      }
      int label;
      try {
        label = Integer.parseInt(labelDir.getFileName().toString());
      } catch (NumberFormatException e) {
        throw invalid(field, "sub-directory '" + labelDir.getFileName()
            + "' is not a label number (expected <label>/<file>)");
      }
      for (Path file : list(labelDir)) {
        if (!Files.isRegularFile(file)) {
          continue;
        }
        String name = folder.relativize(file).toString();
        sources.add(new Source(field + ":" + name, name, label, () -> read(file, field + ":" + name)));
        if (sources.size() > limits.maxImages()) {
          return sources;
        }
      }
    }
    return sources;
  }

  /** Largest seed file read from a server folder; an 8-bit 4096x4096 RGB PPM is 48 MiB. */
  static final long MAX_FILE_BYTES = 64L << 20;

  private static byte[] read(Path file, String field) {
    try {
      if (Files.size(file) > MAX_FILE_BYTES) {
        throw invalid(field, "file is larger than " + MAX_FILE_BYTES + " bytes");
      }
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<Path> list(Path dir) {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static AbscanException invalid(String field, String message) {
    return new AbscanException(ErrorCategory.INVALID_ARGUMENT, message,
        List.of(new AbscanException.Violation(field, message)));
  }

  private record Source(String field, String name, int label,
      java.util.function.Supplier<byte[]> bytes) {}
}
