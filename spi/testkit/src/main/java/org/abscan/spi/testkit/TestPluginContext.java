package org.abscan.spi.testkit;

import java.nio.file.Path;
import org.abscan.spi.PluginContext;
import org.abscan.spi.SpiVersion;

/** The {@link PluginContext} the contract tests create plugins with: JDK logging and a given scratch dir. */
public record TestPluginContext(Path scratchDirectory) implements PluginContext {
  @Override
  public String spiVersion() {
    return SpiVersion.current();
  }

  @Override
  public System.Logger logger(String name) {
    return System.getLogger(name);
  }
}
