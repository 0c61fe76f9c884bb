package org.abscan.plugins.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.abscan.spi.AbscanException;
import org.abscan.spi.ErrorCategory;
import org.abscan.spi.model.LoadOptions;
import org.abscan.spi.model.ModelLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Corrupted bytes anywhere in a real file: the loader either loads it or says MALFORMED/LIMIT, never worse. */
class KerasH5FuzzTest {
  private static final int MUTANTS = 300;
  @TempDir Path tempDir;

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void corruptedFilesFailCleanly() throws IOException {
    ModelLoader loader = new KerasH5LoaderFactory().create(Map.of(), null);
    byte[] original = Files.readAllBytes(Fixtures.path("functional_reshape.h5"));
    Random random = new Random(1234);
    // A 64 MiB budget keeps a corrupted size field from asking for gigabytes.
    LoadOptions options = new LoadOptions(Map.of(), 64L << 20);
    for (int mutant = 0; mutant < MUTANTS; mutant++) {
      byte[] bytes = original.clone();
      int flips = 1 + random.nextInt(8);
      for (int i = 0; i < flips; i++) {
        bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
      }
      Path file = tempDir.resolve("mutant.h5");
      Files.write(file, bytes);
      try {
        loader.accepts(file);
        loader.load(file, options).close();
      } catch (AbscanException e) {
        if (e.category() != ErrorCategory.MALFORMED_MODEL && e.category() != ErrorCategory.LIMIT_EXCEEDED
            && e.category() != ErrorCategory.UNSUPPORTED_MODEL) {
          assertEquals(ErrorCategory.MALFORMED_MODEL, e.category(), "mutant " + mutant + ": " + e.getMessage());
        }
      } catch (Exception | Error e) {
        fail("mutant " + mutant + " (" + flips + " bytes changed) escaped as " + e, e);
      }
    }
  }
}
