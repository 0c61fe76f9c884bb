package org.abscan.server.testing;

import dagger.BindsInstance;
import dagger.Component;
import javax.inject.Singleton;
import org.abscan.server.config.DaemonConfig;
import org.abscan.server.di.AuthModule;
import org.abscan.server.di.ClockModule;
import org.abscan.server.di.ConfigModule;
import org.abscan.server.di.DaemonGraph;
import org.abscan.server.di.GrpcServerModule;
import org.abscan.server.di.JobsModule;
import org.abscan.server.di.ModelsModule;
import org.abscan.server.di.PluginsModule;
import org.abscan.server.di.ServicesModule;
import org.abscan.server.di.WorkersModule;

/** The production graph with the engine swapped for {@link FakeScanEngine}. */
@Singleton
@Component(modules = {
    ClockModule.class,
    ConfigModule.class,
    AuthModule.class,
    PluginsModule.class,
    FakeEngineModule.class,
    ModelsModule.class,
    JobsModule.class,
    WorkersModule.class,
    ServicesModule.class,
    GrpcServerModule.class,
})
public interface TestDaemonComponent extends DaemonGraph {
  @Component.Factory
  interface Factory {
    TestDaemonComponent create(@BindsInstance DaemonConfig config, FakeEngineModule engine);
  }

  static TestDaemonComponent create(DaemonConfig config, FakeScanEngine engine) {
    return DaggerTestDaemonComponent.factory().create(config, new FakeEngineModule(engine));
  }
}
