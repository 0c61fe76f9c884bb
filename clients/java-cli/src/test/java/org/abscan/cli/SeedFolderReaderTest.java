package org.abscan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.abscan.cli.request.SeedFolderReader;
import org.abscan.cli.testing.Fixtures;
import org.abscan.proto.common.v1.SeedImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SeedFolderReaderTest {
  @TempDir
  Path dir;

  @Test
  void readsLabelsFromDirectoryNamesAndSkipsNonImages() throws Exception {
    Path seeds = Fixtures.seedFolder(dir, 2, 2);
    Files.writeString(seeds.resolve("1/notes.txt"), "not an image");
    Files.writeString(seeds.resolve("README"), "top-level file");

    List<SeedImage> images = SeedFolderReader.read(seeds);

    assertEquals(List.of("0/img_0.png", "0/img_1.png", "1/img_0.png", "1/img_1.png"),
        images.stream().map(SeedImage::getName).toList());
    assertEquals(List.of(0, 0, 1, 1), images.stream().map(SeedImage::getLabel).toList());
    assertEquals(Files.size(seeds.resolve("1/img_1.png")), images.get(3).getData().size());
  }

  @Test
  void aNonIntegerLabelDirectoryIsAUsageError() throws Exception {
    Files.createDirectories(dir.resolve("seeds/cat"));
    CliFailure failure = assertThrows(CliFailure.class, () -> SeedFolderReader.read(dir.resolve("seeds")));
    assertEquals(ExitCodes.USAGE, failure.exitCode());
    assertTrue(failure.getMessage().contains("'cat'"), failure.getMessage());
  }

  @Test
  void anEmptyFolderIsAUsageError() throws Exception {
    Files.createDirectories(dir.resolve("seeds/0"));
    CliFailure failure = assertThrows(CliFailure.class, () -> SeedFolderReader.read(dir.resolve("seeds")));
    assertEquals(ExitCodes.USAGE, failure.exitCode());
    assertTrue(failure.getMessage().contains("no images"), failure.getMessage());
  }
}
