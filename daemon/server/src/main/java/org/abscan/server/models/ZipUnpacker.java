package org.abscan.server.models;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import org.abscan.spi.AbscanException;
import org.abscan.spi.ErrorCategory;

/**
 * Unpacks an uploaded SavedModel archive. The archive is untrusted: entries may not leave the target directory
 * (no "../", no absolute names), and the number of entries and the unpacked bytes are bounded (zip bombs).
 */
final class ZipUnpacker {
  static final int MAX_ENTRIES = 10_000;

  private ZipUnpacker() {}

  /**
   * @param maxBytes bound on the total unpacked size
   * @return the model directory: {@code target}, or its only sub-directory when the archive wraps one
   */
  static Path unpack(Path zip, Path target, long maxBytes) throws IOException {
    Files.createDirectories(target);
    long total = 0;
    int entries = 0;
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
      ZipEntry entry;
      byte[] buffer = new byte[64 * 1024];
      while ((entry = in.getNextEntry()) != null) {
        if (++entries > MAX_ENTRIES) {
          throw malformed("archive has more than " + MAX_ENTRIES + " entries");
        }
        Path out = target.resolve(entry.getName()).normalize();
        if (!out.startsWith(target) || out.equals(target)) {
          throw malformed("archive entry '" + entry.getName() + "' escapes the model directory");
        }
        if (entry.isDirectory()) {
          Files.createDirectories(out);
          continue;
        }
        Files.createDirectories(out.getParent());
        try (OutputStream os = Files.newOutputStream(out)) {
          int n;
          while ((n = in.read(buffer)) > 0) {
            total += n;
            if (total > maxBytes) {
              throw new AbscanException(ErrorCategory.LIMIT_EXCEEDED,
                  "unpacked archive exceeds " + maxBytes + " bytes",
                  List.of(new AbscanException.Violation("chunk", "unpacked size over " + maxBytes)));
            }
            os.write(buffer, 0, n);
          }
        }
      }
    } catch (ZipException e) {
      throw malformed("not a valid zip archive: " + e.getMessage());
    }
    if (entries == 0) {
      throw malformed("the zip archive is empty");
    }
    try (var children = Files.list(target)) {
      List<Path> top = children.toList();
      return top.size() == 1 && Files.isDirectory(top.get(0)) ? top.get(0) : target;
    }
  }

  private static AbscanException malformed(String message) {
    return new AbscanException(ErrorCategory.MALFORMED_MODEL, message,
        List.of(new AbscanException.Violation("chunk", message)));
  }

}
