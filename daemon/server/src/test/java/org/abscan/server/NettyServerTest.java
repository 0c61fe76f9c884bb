package org.abscan.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.MethodDescriptorProto;
import com.google.protobuf.DescriptorProtos.ServiceDescriptorProto;
import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.abscan.server.config.DaemonConfig;
import org.abscan.server.di.DaemonComponent;
import org.abscan.server.grpc.DaemonServer;
import org.abscan.server.testing.GrpcCleanup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The production graph on a real netty server (loopback, port 0): health and reflection. */
class NettyServerTest {
  @RegisterExtension final GrpcCleanup cleanup = new GrpcCleanup();
  @TempDir Path temp;

  @Test
  void servesHealthAndReflectionOnAFreePort() throws Exception {
    DaemonConfig config = DaemonConfig.defaults().withPort(0).withDataDir(temp).withWorkers(1);
    DaemonServer server = cleanup.register(DaemonComponent.create(config).server());
    InetSocketAddress bound = server.startNetty();
    assertTrue(bound.getPort() > 0);
    ManagedChannel channel = cleanup.register(
        NettyChannelBuilder.forAddress("127.0.0.1", bound.getPort()).usePlaintext().build());

    HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
    for (String service : List.of("", "abscan.scan.v1.ScanService", "abscan.model.v1.ModelService",
        "abscan.plugin.v1.PluginService")) {
      assertEquals(ServingStatus.SERVING,
          health.check(HealthCheckRequest.newBuilder().setService(service).build()).getStatus(), service);
    }

    List<String> services = new ArrayList<>();
    for (ServiceResponse s : reflect(channel, ServerReflectionRequest.newBuilder().setListServices("").build())
        .getListServicesResponse().getServiceList()) {
      services.add(s.getName());
    }
    assertTrue(services.containsAll(List.of("abscan.scan.v1.ScanService", "abscan.model.v1.ModelService",
        "abscan.plugin.v1.PluginService", "grpc.health.v1.Health")), services.toString());

    ServerReflectionResponse file = reflect(channel,
        ServerReflectionRequest.newBuilder().setFileContainingSymbol("abscan.scan.v1.ScanService").build());
    List<String> methods = new ArrayList<>();
    for (var bytes : file.getFileDescriptorResponse().getFileDescriptorProtoList()) {
      for (ServiceDescriptorProto service : FileDescriptorProto.parseFrom(bytes).getServiceList()) {
        if (service.getName().equals("ScanService")) {
          service.getMethodList().stream().map(MethodDescriptorProto::getName).forEach(methods::add);
        }
      }
    }
    assertTrue(methods.containsAll(List.of("Scan", "StreamNSF", "GenerateTrigger")), methods.toString());

  }

  private static ServerReflectionResponse reflect(ManagedChannel channel, ServerReflectionRequest request)
      throws Exception {
    CompletableFuture<ServerReflectionResponse> response = new CompletableFuture<>();
    StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc.newStub(channel)
        .serverReflectionInfo(new StreamObserver<>() {
          @Override
          public void onNext(ServerReflectionResponse value) {
            response.complete(value);
          }

          @Override
          public void onError(Throwable t) {
            response.completeExceptionally(t);
          }

          @Override
          public void onCompleted() {}
        });
    requests.onNext(request);
    ServerReflectionResponse result = response.get(10, TimeUnit.SECONDS);
    requests.onCompleted();
    return result;
  }
}
