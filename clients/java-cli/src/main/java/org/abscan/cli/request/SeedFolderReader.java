package org.abscan.cli.request;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.abscan.cli.CliFailure;
import org.abscan.cli.ExitCodes;
import org.abscan.proto.common.v1.SeedImage;

/**
 * Reads a local ImageFolder ({@code <label>/<file>}) into encoded seed images for a remote daemon. Images
 * are sent as they are on disk; the daemon decodes them, so the CLI needs no image codecs.
 */
public final class SeedFolderReader {
  private static final Set<String> IMAGE_SUFFIXES = Set.of("png", "jpg", "jpeg", "ppm", "pgm");

  private SeedFolderReader() {}

  public static List<SeedImage> read(Path folder) {
    if (!Files.isDirectory(folder)) {
      throw new CliFailure(ExitCodes.USAGE, "--seeds: not a directory: " + folder);
    }
    List<SeedImage> images = new ArrayList<>();
    try {
      for (Path labelDir : sortedChildren(folder)) {
        if (!Files.isDirectory(labelDir)) {
          continue;
        }
        int label = parseLabel(labelDir);
        for (Path file : sortedChildren(labelDir)) {
          if (Files.isRegularFile(file) && isImage(file)) {
            images.add(SeedImage.newBuilder()
                .setData(ByteString.copyFrom(Files.readAllBytes(file)))
                .setLabel(label)
                .setName(labelDir.getFileName() + "/" + file.getFileName())
                .build());
          }
        }
      }
    } catch (IOException e) {
      throw new CliFailure(ExitCodes.USAGE, "--seeds: cannot read " + folder + ": " + e.getMessage(), e);
    }
    if (images.isEmpty()) {
      throw new CliFailure(ExitCodes.USAGE,
          "--seeds: no images in " + folder + " (expected <label>/<file>.png|jpg|ppm|pgm)");
    }
    return images;
  }

  private static int parseLabel(Path labelDir) {
    String name = labelDir.getFileName().toString();
    try {
      return Integer.parseInt(name);
    } catch (NumberFormatException e) {
      throw new CliFailure(ExitCodes.USAGE,
          "--seeds: sub-directories must be integer labels, found '" + name + "' in " + labelDir.getParent());
    }
  }

  private static boolean isImage(Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot > 0 && IMAGE_SUFFIXES.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
  }

  private static List<Path> sortedChildren(Path dir) throws IOException {
    try (Stream<Path> children = Files.list(dir)) {
      return children.sorted().toList();
    }
  }
}
