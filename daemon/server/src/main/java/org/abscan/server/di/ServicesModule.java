package org.abscan.server.di;

import dagger.Binds;
import dagger.Module;
import dagger.multibindings.IntoSet;
import io.grpc.BindableService;
import org.abscan.server.services.ModelServiceImpl;
import org.abscan.server.services.PluginServiceImpl;
import org.abscan.server.services.ScanServiceImpl;

/** The abscan gRPC services (health and reflection are added by the server itself). */
@Module
public interface ServicesModule {
  @Binds
  @IntoSet
  BindableService scanService(ScanServiceImpl service);

  @Binds
  @IntoSet
  BindableService modelService(ModelServiceImpl service);

  @Binds
  @IntoSet
  BindableService pluginService(PluginServiceImpl service);
}
