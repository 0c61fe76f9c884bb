package org.abscan.server.di;

import dagger.Module;
import dagger.Provides;
import java.time.Clock;
import javax.inject.Singleton;
import org.abscan.server.config.DaemonConfig;
import org.abscan.server.models.ModelLoaders;
import org.abscan.server.models.ModelResolver;
import org.abscan.server.models.TenantModelStores;
import org.abscan.server.models.ServerPaths;
import org.abscan.server.seeds.SeedLimits;
import org.abscan.server.seeds.SeedLoader;

/** Uploaded models, model resolution and seed decoding. */
@Module
public final class ModelsModule {
  private ModelsModule() {}

  @Provides
  @Singleton
  static TenantModelStores modelStores(DaemonConfig config, Clock clock) {
    return new TenantModelStores(config.dataDir(), clock);
  }

  @Provides
  @Singleton
  static ModelResolver modelResolver(TenantModelStores store, ServerPaths paths, ModelLoaders loaders) {
    return new ModelResolver(store, paths, loaders);
  }

  @Provides
  @Singleton
  static SeedLoader seedLoader(ServerPaths paths, SeedLimits limits) {
    return new SeedLoader(paths, limits);
  }
}
