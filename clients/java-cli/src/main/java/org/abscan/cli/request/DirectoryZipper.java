package org.abscan.cli.request;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Zips a model directory (a SavedModel) for upload. Entries are sorted and carry a fixed time, so zipping the
 * same directory twice gives the same bytes and therefore the same model id.
 */
final class DirectoryZipper {
  private DirectoryZipper() {}

  /** Writes the zip to a new temporary file; the caller deletes it. */
  static Path zipToTempFile(Path directory) throws IOException {
    Path zip = Files.createTempFile("abscan-upload-", ".zip");
    try (OutputStream out = Files.newOutputStream(zip)) {
      zip(directory, out);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(zip);
      throw e;
    }
    return zip;
  }

  static void zip(Path directory, OutputStream out) throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(directory)) {
      files = walk.filter(Files::isRegularFile).sorted().toList();
    }
    try (ZipOutputStream zip = new ZipOutputStream(out)) {
      for (Path file : files) {
        ZipEntry entry = new ZipEntry(directory.relativize(file).toString().replace('\\', '/'));
        entry.setTime(0L);
        zip.putNextEntry(entry);
        Files.copy(file, zip);
        zip.closeEntry();
      }
    }
  }
}
