package org.abscan.server.di;

import dagger.Module;
import dagger.Provides;
import javax.inject.Singleton;
import org.abscan.server.config.DaemonConfig;
import org.abscan.server.models.ServerPaths;
import org.abscan.server.seeds.SeedLimits;

/** Values derived from the configuration that several features share. */
@Module
public final class ConfigModule {
  private ConfigModule() {}

  @Provides
  @Singleton
  static ServerPaths serverPaths(DaemonConfig config) {
    return new ServerPaths(config.modelRoots());
  }

  @Provides
  static SeedLimits seedLimits(DaemonConfig config) {
    return new SeedLimits(config.access().maxSeeds(), config.access().maxImageDimension());
  }
}
