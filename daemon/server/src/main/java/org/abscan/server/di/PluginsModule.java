package org.abscan.server.di;

import dagger.Module;
import dagger.Provides;
import javax.inject.Singleton;
import org.abscan.engine.TriggerApplierRegistry;
import org.abscan.server.config.DaemonConfig;
import org.abscan.server.models.ModelLoaders;
import org.abscan.server.plugins.PluginManager;
import org.abscan.server.plugins.PluginTriggerApplierRegistry;

/** Plugins found at startup, and the registries the engine and the model resolver use. */
@Module
public final class PluginsModule {
  private PluginsModule() {}

  @Provides
  @Singleton
  static PluginManager pluginManager(DaemonConfig config) {
    return PluginManager.load(PluginManager.class.getClassLoader(), config.pluginDirs());
  }

  @Provides
  @Singleton
  static TriggerApplierRegistry triggerApplierRegistry(PluginManager plugins, DaemonConfig config) {
    return new PluginTriggerApplierRegistry(plugins, config.dataDir().resolve("plugin-scratch"));
  }

  @Provides
  @Singleton
  static ModelLoaders modelLoaders(PluginManager plugins, DaemonConfig config) {
    return new ModelLoaders(plugins, config.dataDir().resolve("plugin-scratch"));
  }
}
