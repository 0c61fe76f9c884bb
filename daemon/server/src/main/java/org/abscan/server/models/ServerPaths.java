package org.abscan.server.models;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.abscan.server.errors.NotFoundException;
import org.abscan.spi.AbscanException;
import org.abscan.spi.ErrorCategory;

/**
 * Resolves client-given server paths and keeps them inside the configured model roots. Symbolic links are
 * followed before the check ({@link Path#toRealPath}), so a link inside a root cannot point outside it.
 */
public final class ServerPaths {
  /** Roots with symbolic links resolved: where a resolved path must end up. */
  private final List<Path> roots;
  /**
   * Roots as configured and as resolved. A request path is only looked at on disk when it lies lexically
   * under one of these (so paths elsewhere are never probed); a root reached through a link ("../shared" being
   * a link) still counts as given.
   */
  private final List<Path> lexicalRoots;

  public ServerPaths(List<Path> configuredRoots) {
    List<Path> real = new ArrayList<>();
    List<Path> lexical = new ArrayList<>();
    for (Path root : configuredRoots) {
      lexical.add(root.toAbsolutePath().normalize());
      try {
        real.add(root.toRealPath());
      } catch (IOException e) {
        // A root that does not exist yet cannot contain anything; keep it normalised for the check.
        real.add(root.toAbsolutePath().normalize());
      }
    }
    this.roots = List.copyOf(real);
    lexical.addAll(real);
    this.lexicalRoots = List.copyOf(lexical);
  }

  /**
   * @param raw an absolute path, or one relative to a model root
   * @param field the request field, named in errors
   * @throws AbscanException INVALID_ARGUMENT when the path is outside every root or the server has none
   * @throws NotFoundException when it does not exist
   */
  public Path resolve(String raw, String field) {
    if (roots.isEmpty()) {
      throw invalid(field, "the server has no model roots configured; upload the model instead");
    }
    Path given;
    try {
      given = Path.of(raw);
    } catch (InvalidPathException e) {
      throw invalid(field, "not a valid path: " + e.getReason());
    }
    List<Path> candidates = given.isAbsolute()
        ? List.of(given.normalize())
        : lexicalRoots.stream().map(r -> r.resolve(given).normalize()).toList();
    for (Path candidate : candidates) {
      if (!insideLexicalRoot(candidate)) {
        continue;
      }
      if (!Files.exists(candidate)) {
        continue;
      }
      Path real;
      try {
        real = candidate.toRealPath();
      } catch (NoSuchFileException e) {
        continue;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      if (!insideRoot(real)) {
        throw invalid(field, "'" + raw + "' resolves outside the server's model roots");
      }
      return real;
    }
    if (candidates.stream().noneMatch(this::insideLexicalRoot)) {
      throw invalid(field, "'" + raw + "' is outside the server's model roots");
    }
    throw new NotFoundException("path", raw);
  }

  private boolean insideRoot(Path path) {
    return roots.stream().anyMatch(path::startsWith);
  }

  private boolean insideLexicalRoot(Path path) {
    return lexicalRoots.stream().anyMatch(path::startsWith);
  }

  private static AbscanException invalid(String field, String message) {
    return new AbscanException(ErrorCategory.INVALID_ARGUMENT, message,
        List.of(new AbscanException.Violation(field, message)));
  }
}
