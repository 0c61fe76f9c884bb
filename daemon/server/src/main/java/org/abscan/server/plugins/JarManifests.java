package org.abscan.server.plugins;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.Optional;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/** Reads the main attributes of the jar a class was loaded from. */
final class JarManifests {
  /** Manifest attribute naming the SPI version a plugin was built against. */
  static final String SPI_VERSION_ATTRIBUTE = "Abscan-Spi-Version";

  private static final Logger LOG = LogManager.getLogger(JarManifests.class);

  private JarManifests() {}

  /** The manifest's main attributes, or empty when the class is not from a jar (e.g. target/classes). */
  static Optional<Attributes> mainAttributes(Class<?> type) {
    CodeSource codeSource = type.getProtectionDomain().getCodeSource();
    if (codeSource == null || codeSource.getLocation() == null) {
      return Optional.empty();
    }
    try {
      Path location = Path.of(codeSource.getLocation().toURI());
      if (!Files.isRegularFile(location)) {
        return Optional.empty();
      }
      try (JarFile jar = new JarFile(location.toFile())) {
        Manifest manifest = jar.getManifest();
        return manifest == null ? Optional.empty() : Optional.of(manifest.getMainAttributes());
      }
    } catch (IOException | URISyntaxException | IllegalArgumentException e) {
      LOG.warn("cannot read the manifest of {}: {}", codeSource.getLocation(), e.toString());
      return Optional.empty();
    }
  }
}
