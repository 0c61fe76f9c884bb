package org.abscan.server.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.abscan.server.errors.NotFoundException;
import org.abscan.spi.AbscanException;
import org.abscan.spi.ErrorCategory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerPathsTest {
  @TempDir Path dir;

  @Test
  void rootReachedThroughALinkAcceptsPathsGivenThroughTheLink() throws IOException {
    Path realRoot = Files.createDirectories(dir.resolve("real/models"));
    Path model = Files.writeString(realRoot.resolve("m.h5"), "x");
    Path link = Files.createSymbolicLink(dir.resolve("shared"), dir.resolve("real"));
    ServerPaths paths = new ServerPaths(List.of(link.resolve("models")));

    Path resolved = paths.resolve(link.resolve("models/m.h5").toString(), "model.server_path");

    assertEquals(model.toRealPath(), resolved);
    assertEquals(model.toRealPath(), paths.resolve("m.h5", "model.server_path"), "relative to the root");
  }

  @Test
  void linkInsideARootPointingOutsideIsRefused() throws IOException {
    Path root = Files.createDirectories(dir.resolve("root"));
    Path outside = Files.writeString(dir.resolve("secret.txt"), "s");
    Files.createSymbolicLink(root.resolve("escape.h5"), outside);
    ServerPaths paths = new ServerPaths(List.of(root));

    AbscanException e = assertThrows(AbscanException.class,
        () -> paths.resolve(root.resolve("escape.h5").toString(), "model.server_path"));

    assertEquals(ErrorCategory.INVALID_ARGUMENT, e.category());
    assertEquals("model.server_path", e.violations().get(0).subject());
    assertTrue(e.getMessage().contains("resolves outside"), e.getMessage());
  }

  @Test
  void pathOutsideEveryRootIsInvalidAndMissingInsideIsNotFound() throws IOException {
    Path root = Files.createDirectories(dir.resolve("root"));
    ServerPaths paths = new ServerPaths(List.of(root));

    AbscanException outside = assertThrows(AbscanException.class,
        () -> paths.resolve("/etc/passwd", "model.server_path"));
    assertEquals(ErrorCategory.INVALID_ARGUMENT, outside.category());
    assertThrows(NotFoundException.class,
        () -> paths.resolve(root.resolve("absent.h5").toString(), "model.server_path"));
    assertThrows(AbscanException.class,
        () -> paths.resolve(root.resolve("../root/../../etc/passwd").toString(), "model.server_path"));
  }
}
