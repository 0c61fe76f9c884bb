package org.abscan.server.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.abscan.spi.AbscanException;
import org.abscan.spi.ErrorCategory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Untrusted server paths: links are followed before the containment check, whatever part of the path they are. */
class ServerPathsSymlinkTest {
  @TempDir Path temp;

  private static void assertRefused(ServerPaths paths, String raw) {
    AbscanException e = assertThrows(AbscanException.class, () -> paths.resolve(raw, "model.server_path"));
    assertEquals(ErrorCategory.INVALID_ARGUMENT, e.category());
    assertEquals("model.server_path", e.violations().get(0).subject());
  }

  @Test
  void aDirectoryLinkOrALinkToTheRootItselfCannotLeadOutside() throws Exception {
    Path root = Files.createDirectories(temp.resolve("root"));
    Path secrets = Files.createDirectories(temp.resolve("secrets"));
    Files.writeString(secrets.resolve("key.h5"), "not a model");
    Files.createSymbolicLink(root.resolve("linked"), secrets);
    Files.createSymbolicLink(root.resolve("up"), temp);
    ServerPaths paths = new ServerPaths(List.of(root));

    assertRefused(paths, "linked/key.h5");
    assertRefused(paths, "up/secrets/key.h5");
    assertRefused(paths, root + "/linked/key.h5");
    assertRefused(paths, root + "/../secrets/key.h5");
    assertRefused(paths, "linked"); // a seed folder is a path too
  }

  @Test
  void aLinkThatStaysInsideIsResolvedToItsRealPath() throws Exception {
    Path root = Files.createDirectories(temp.resolve("root"));
    Path real = Files.writeString(Files.createDirectories(root.resolve("models")).resolve("m.h5"), "x");
    Files.createSymbolicLink(root.resolve("alias.h5"), real);
    Path resolved = new ServerPaths(List.of(root)).resolve("alias.h5", "model.server_path");
    assertEquals(real.toRealPath(), resolved);
    assertTrue(resolved.startsWith(root.toRealPath()));
  }

  @Test
  void aRootThatIsItselfALinkStillContainsOnlyItsTarget() throws Exception {
    Path target = Files.createDirectories(temp.resolve("target"));
    Files.writeString(target.resolve("m.h5"), "x");
    Files.writeString(temp.resolve("beside.h5"), "x");
    Path rootLink = Files.createSymbolicLink(temp.resolve("root-link"), target);
    ServerPaths paths = new ServerPaths(List.of(rootLink));
    assertEquals(target.resolve("m.h5").toRealPath(), paths.resolve("m.h5", "model.server_path"));
    assertRefused(paths, "../beside.h5");
  }
}
