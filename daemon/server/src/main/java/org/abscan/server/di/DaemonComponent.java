package org.abscan.server.di;

import dagger.BindsInstance;
import dagger.Component;
import javax.inject.Singleton;
import org.abscan.server.config.DaemonConfig;

/** The daemon's object graph: one module per feature, the configuration as the only input. */
@Singleton
@Component(modules = {
    ClockModule.class,
    ConfigModule.class,
    AuthModule.class,
    PluginsModule.class,
    EngineModule.class,
    ModelsModule.class,
    JobsModule.class,
    WorkersModule.class,
    ServicesModule.class,
    GrpcServerModule.class,
})
public interface DaemonComponent extends DaemonGraph {
  @Component.Factory
  interface Factory {
    DaemonComponent create(@BindsInstance DaemonConfig config);
  }

  static DaemonComponent create(DaemonConfig config) {
    return DaggerDaemonComponent.factory().create(config);
  }
}
