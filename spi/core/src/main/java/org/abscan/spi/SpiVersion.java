package org.abscan.spi;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The SPI's version, read from the {@code spi-version.properties} resource stamped at build time. */
public final class SpiVersion {
  private static final String CURRENT = load();

  private SpiVersion() {}

  /** "MAJOR.MINOR": a plugin built against the same major runs on this host. */
  public static String current() {
    return CURRENT;
  }

  /** True if a plugin built against {@code pluginSpiVersion} can run on this host. */
  public static boolean isCompatible(String pluginSpiVersion) {
    return major(pluginSpiVersion).equals(major(CURRENT));
  }

  private static String major(String version) {
    int dot = version.indexOf('.');
    return dot < 0 ? version : version.substring(0, dot);
  }

  private static String load() {
    try (InputStream in = SpiVersion.class.getResourceAsStream("spi-version.properties")) {
      if (in == null) {
        throw new IllegalStateException("spi-version.properties missing from the SPI jar");
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("spi.version");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
