package org.abscan.cli.testing;

import io.grpc.stub.StreamObserver;
import java.util.List;
import org.abscan.proto.plugin.v1.ListPluginsRequest;
import org.abscan.proto.plugin.v1.ListPluginsResponse;
import org.abscan.proto.plugin.v1.PluginInfo;
import org.abscan.proto.plugin.v1.PluginServiceGrpc;

/** PluginService fake with a fixed list. */
public final class FakePluginService extends PluginServiceGrpc.PluginServiceImplBase {
  private final List<PluginInfo> plugins;

  public FakePluginService(List<PluginInfo> plugins) {
    this.plugins = List.copyOf(plugins);
  }

  @Override
  public void listPlugins(ListPluginsRequest request, StreamObserver<ListPluginsResponse> response) {
    response.onNext(ListPluginsResponse.newBuilder().addAllPlugins(plugins).build());
    response.onCompleted();
  }
}
