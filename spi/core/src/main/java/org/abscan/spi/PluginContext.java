package org.abscan.spi;

import java.nio.file.Path;

/** What the host offers a plugin factory when it creates an instance. JDK types only. */
public interface PluginContext {
  /** The SPI version of the host, e.g. "1.0". */
  String spiVersion();

  /** Logger for the plugin; the host routes it to its own logging. */
  System.Logger logger(String name);

  /** A scratch directory the plugin may write to (deleted by the host when it stops). */
  Path scratchDirectory();
}
