package org.abscan.server.plugins;

/**
 * A factory a plugin contributed, with its provenance.
 *
 * @param name the factory's name (format or trigger name in requests)
 * @param description one line for listings
 * @param factory the {@code ModelLoaderFactory} or {@code TriggerApplierFactory}
 * @param pluginClass the {@code org.abscan.spi.Plugin} implementation that offered it
 */
public record RegisteredFactory<T>(
    String name, String description, T factory, String pluginClass, PluginOrigin origin) {
  /** "builtin (com.x.Plugin)" or "/plugins/foo (com.x.Plugin)": how conflicts are reported. */
  public String describeSource() {
    return origin.source() + " (" + pluginClass + ")";
  }
}
