package org.abscan.server.plugins;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/**
 * The class loader of one third-party plugin directory (the shape of Trino's PluginClassLoader).
 *
 * <p>Classes of a small allow-list of shared packages (the JDK, the SPI, TensorFlow and its JavaCPP runtime,
 * protobuf, the Log4j API) come from the host, parent-first: the plugin must see the very same {@code Plugin}
 * and {@code Ops} classes as the daemon, and TensorFlow's native library can load only once per JVM. Every
 * other class comes from the plugin's own jars, child-first, and never from the daemon's classpath, so a plugin
 * can bundle its own Guava or Jackson without clashing with the daemon's.
 */
public final class PluginClassLoader extends URLClassLoader {
  /** Package prefixes served by the host. */
  public static final List<String> SHARED_PACKAGES = List.of(
      "java.",
      "javax.",
      "org.abscan.spi.",
      "org.tensorflow.",
      "org.bytedeco.",
      "com.google.protobuf.",
      "org.apache.logging.log4j.");

  static {
    ClassLoader.registerAsParallelCapable();
  }

  private final ClassLoader host;
  private final String source;

  /**
   * @param jars the plugin's jars
   * @param host where shared packages come from (the daemon's own class loader)
   * @param source the plugin directory, for diagnostics
   */
  public PluginClassLoader(List<URL> jars, ClassLoader host, String source) {
    // The platform loader as parent: JDK modules beyond java.* (e.g. jdk.*) stay visible, the app classpath not.
    super("plugin:" + source, jars.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
    this.host = host;
    this.source = source;
  }

  public String source() {
    return source;
  }

  @Override
  protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
    synchronized (getClassLoadingLock(name)) {
      Class<?> loaded = findLoadedClass(name);
      if (loaded == null) {
        if (isShared(name)) {
          loaded = host.loadClass(name);
        } else {
          try {
            loaded = findClass(name);
          } catch (ClassNotFoundException notInPlugin) {
            loaded = getParent().loadClass(name);
          }
        }
      }
      if (resolve) {
        resolveClass(loaded);
      }
      return loaded;
    }
  }

  @Override
  public URL getResource(String name) {
    if (isShared(resourceToClassName(name))) {
      return host.getResource(name);
    }
    URL own = findResource(name);
    return own != null ? own : getParent().getResource(name);
  }

  @Override
  public Enumeration<URL> getResources(String name) throws IOException {
    List<URL> urls = new ArrayList<>(Collections.list(findResources(name)));
    if (isShared(resourceToClassName(name))) {
      urls.addAll(Collections.list(host.getResources(name)));
    } else {
      urls.addAll(Collections.list(getParent().getResources(name)));
    }
    return Collections.enumeration(urls);
  }

  static boolean isShared(String className) {
    for (String prefix : SHARED_PACKAGES) {
      if (className.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  private static String resourceToClassName(String resource) {
    return resource.replace('/', '.');
  }
}
