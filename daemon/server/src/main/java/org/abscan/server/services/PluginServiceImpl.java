package org.abscan.server.services;

import io.grpc.stub.StreamObserver;
import javax.inject.Inject;
import org.abscan.proto.plugin.v1.ListPluginsRequest;
import org.abscan.proto.plugin.v1.ListPluginsResponse;
import org.abscan.proto.plugin.v1.PluginInfo;
import org.abscan.proto.plugin.v1.PluginKind;
import org.abscan.proto.plugin.v1.PluginServiceGrpc;
import org.abscan.server.errors.StatusMapper;
import org.abscan.server.plugins.PluginManager;
import org.abscan.server.plugins.RegisteredFactory;

/** abscan.plugin.v1.PluginService: every loader and trigger applier, built-in ones first. */
public final class PluginServiceImpl extends PluginServiceGrpc.PluginServiceImplBase {
  private final PluginManager plugins;

  @Inject
  PluginServiceImpl(PluginManager plugins) {
    this.plugins = plugins;
  }

  @Override
  public void listPlugins(ListPluginsRequest request, StreamObserver<ListPluginsResponse> responses) {
    try {
      ListPluginsResponse.Builder response = ListPluginsResponse.newBuilder();
      // Built-in first, then by directory; registration order already is that order within each kind.
      for (boolean builtin : new boolean[] {true, false}) {
        for (RegisteredFactory<?> f : plugins.modelLoaders().values()) {
          if (f.origin().builtin() == builtin) {
            response.addPlugins(info(f, PluginKind.PLUGIN_KIND_MODEL_LOADER));
          }
        }
        for (RegisteredFactory<?> f : plugins.triggerAppliers().values()) {
          if (f.origin().builtin() == builtin) {
            response.addPlugins(info(f, PluginKind.PLUGIN_KIND_TRIGGER_APPLIER));
          }
        }
      }
      responses.onNext(response.build());
      responses.onCompleted();
    } catch (RuntimeException e) {
      responses.onError(StatusMapper.toStatusException(e));
    }
  }

  private static PluginInfo info(RegisteredFactory<?> factory, PluginKind kind) {
    return PluginInfo.newBuilder()
        .setName(factory.name())
        .setKind(kind)
        .setPluginVersion(factory.origin().pluginVersion())
        .setSpiVersion(factory.origin().spiVersion())
        .setDescription(factory.description())
        .setSource(factory.origin().source())
        .build();
  }
}
