package org.abscan.server.plugins;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.abscan.spi.PluginContext;
import org.abscan.spi.SpiVersion;

/**
 * What the daemon offers plugin factories. Plugin loggers go through {@link System.Logger}, which the daemon
 * routes to Log4j2 through the JUL bridge.
 */
public final class HostPluginContext implements PluginContext {
  private final Path scratch;

  /** @param scratch a directory private to one factory; created on first use */
  public HostPluginContext(Path scratch) {
    this.scratch = scratch;
  }

  @Override
  public String spiVersion() {
    return SpiVersion.current();
  }

  @Override
  public System.Logger logger(String name) {
    return System.getLogger(name);
  }

  @Override
  public Path scratchDirectory() {
    try {
      return Files.createDirectories(scratch);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create plugin scratch directory " + scratch, e);
    }
  }
}
