package org.abscan.server.plugins;

/**
 * Where a plugin came from and what it declares.
 *
 * @param source "builtin" or the plugin directory
 * @param pluginVersion the jar manifest's Implementation-Version, or "unknown"
 * @param spiVersion the manifest's Abscan-Spi-Version, or the host's SPI version when absent
 */
public record PluginOrigin(String source, String pluginVersion, String spiVersion) {
  public static final String BUILTIN = "builtin";

  public boolean builtin() {
    return BUILTIN.equals(source);
  }
}
