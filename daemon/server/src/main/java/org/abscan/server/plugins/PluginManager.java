package org.abscan.server.plugins;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.Function;
import java.util.jar.Attributes;
import java.util.stream.Stream;
import org.abscan.spi.Plugin;
import org.abscan.spi.SpiVersion;
import org.abscan.spi.model.ModelLoaderFactory;
import org.abscan.spi.trigger.TriggerApplierFactory;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Finds every plugin once, at startup: built-in ones on the daemon's classpath, then one per sub-directory of
 * each plugin directory, each in its own {@link PluginClassLoader}. Two factories of one kind with the same name
 * are a startup error naming both sources: requests name factories, so a silent winner would be a surprise.
 */
public final class PluginManager {
  private static final Logger LOG = LogManager.getLogger(PluginManager.class);

  private final Map<String, RegisteredFactory<ModelLoaderFactory>> modelLoaders = new LinkedHashMap<>();
  private final Map<String, RegisteredFactory<TriggerApplierFactory>> triggerAppliers =
      new LinkedHashMap<>();
  private final List<PluginClassLoader> classLoaders = new ArrayList<>();

  private PluginManager() {}

  /**
   * @param hostLoader the loader built-in plugins are found in and shared packages come from
   * @throws IllegalStateException on duplicate factory names
   */
  public static PluginManager load(ClassLoader hostLoader, List<Path> pluginDirs) {
    PluginManager manager = new PluginManager();
    manager.loadBuiltin(hostLoader);
    for (Path dir : pluginDirs) {
      manager.loadDirectory(hostLoader, dir);
    }
    LOG.info("plugins: model loaders {}, trigger appliers {}",
        manager.modelLoaders.keySet(), manager.triggerAppliers.keySet());
    return manager;
  }

  /** Model loader factories by format name, built-in first. */
  public Map<String, RegisteredFactory<ModelLoaderFactory>> modelLoaders() {
    return java.util.Collections.unmodifiableMap(modelLoaders);
  }

  /** Trigger applier factories by trigger name, built-in first. */
  public Map<String, RegisteredFactory<TriggerApplierFactory>> triggerAppliers() {
    return java.util.Collections.unmodifiableMap(triggerAppliers);
  }

  private void loadBuiltin(ClassLoader hostLoader) {
    ServiceLoader.load(Plugin.class, hostLoader).stream().forEach(provider -> {
      Plugin plugin = provider.get();
      String version = JarManifests.mainAttributes(provider.type())
          .map(a -> a.getValue(Attributes.Name.IMPLEMENTATION_VERSION))
          .orElse(null);
      register(plugin, new PluginOrigin(PluginOrigin.BUILTIN, orUnknown(version), SpiVersion.current()));
    });
  }

  private void loadDirectory(ClassLoader hostLoader, Path pluginDir) {
    if (!Files.isDirectory(pluginDir)) {
      LOG.warn("plugin directory {} does not exist; skipped", pluginDir);
      return;
    }
    for (Path dir : list(pluginDir, Files::isDirectory)) {
      List<Path> jars = list(dir, p -> p.getFileName().toString().endsWith(".jar"));
      if (jars.isEmpty()) {
        LOG.warn("plugin {} has no jars; skipped", dir);
        continue;
      }
      PluginClassLoader loader = new PluginClassLoader(toUrls(jars), hostLoader, dir.toString());
      int found = 0;
      for (ServiceLoader.Provider<Plugin> provider : ServiceLoader.load(Plugin.class, loader).stream().toList()) {
        // The loader also sees the host's service files for shared packages; keep only the plugin's own.
        if (provider.type().getClassLoader() != loader) {
          continue;
        }
        found++;
        Attributes manifest = JarManifests.mainAttributes(provider.type()).orElse(new Attributes());
        String spiVersion = manifest.getValue(JarManifests.SPI_VERSION_ATTRIBUTE);
        if (spiVersion != null && !SpiVersion.isCompatible(spiVersion)) {
          LOG.error("plugin {} in {} was built against SPI {}, incompatible with this daemon's SPI {}; skipped",
              provider.type().getName(), dir, spiVersion, SpiVersion.current());
          continue;
        }
        String version = manifest.getValue(Attributes.Name.IMPLEMENTATION_VERSION);
        register(provider.get(), new PluginOrigin(dir.toString(), orUnknown(version),
            spiVersion == null ? SpiVersion.current() : spiVersion));
      }
      if (found == 0) {
        LOG.warn("plugin {} has no META-INF/services/{} provider; skipped", dir, Plugin.class.getName());
      }
      classLoaders.add(loader);
    }
  }

  private void register(Plugin plugin, PluginOrigin origin) {
    String pluginClass = plugin.getClass().getName();
    for (ModelLoaderFactory factory : plugin.getModelLoaderFactories()) {
      add(modelLoaders, "model loader",
          new RegisteredFactory<>(factory.name(), factory.description(), factory, pluginClass, origin));
    }
    for (TriggerApplierFactory factory : plugin.getTriggerApplierFactories()) {
      add(triggerAppliers, "trigger applier",
          new RegisteredFactory<>(factory.name(), factory.description(), factory, pluginClass, origin));
    }
  }

  private static <T> void add(
      Map<String, RegisteredFactory<T>> into, String kind, RegisteredFactory<T> factory) {
    RegisteredFactory<T> previous = into.putIfAbsent(factory.name(), factory);
    if (previous != null) {
      throw new IllegalStateException("duplicate " + kind + " '" + factory.name() + "': provided by "
          + previous.describeSource() + " and by " + factory.describeSource());
    }
    LOG.debug("{} '{}' from {}", kind, factory.name(), factory.describeSource());
  }

  private static List<Path> list(Path dir, java.util.function.Predicate<Path> filter) {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.filter(filter).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list plugin directory " + dir, e);
    }
  }

  private static List<URL> toUrls(List<Path> jars) {
    Function<Path, URL> toUrl = p -> {
      try {
        return p.toUri().toURL();
      } catch (MalformedURLException e) {
        throw new IllegalArgumentException(e);
      }
    };
    return jars.stream().map(toUrl).toList();
  }

  private static String orUnknown(String version) {
    return version == null || version.isBlank() ? "unknown" : version;
  }
}
