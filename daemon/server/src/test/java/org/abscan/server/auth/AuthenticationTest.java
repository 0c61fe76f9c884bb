package org.abscan.server.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.rpc.ErrorInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.stub.StreamObserver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.abscan.proto.plugin.v1.ListPluginsRequest;
import org.abscan.proto.plugin.v1.PluginServiceGrpc;
import org.abscan.proto.scan.v1.ListScansRequest;
import org.abscan.server.testing.GrpcCleanup;
import org.abscan.server.testing.TestDaemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class AuthenticationTest {
  @RegisterExtension final GrpcCleanup cleanup = new GrpcCleanup();
  @TempDir Path temp;

  private TestDaemon daemonWithTokens(String tokens) throws Exception {
    Path file = Files.writeString(temp.resolve("tokens"), tokens);
    return new TestDaemon(cleanup, temp, c -> c.withAccess(c.access().withAuthTokensFile(file)));
  }

  private static void assertUnauthenticated(Runnable call) {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call::run);
    assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode());
    assertEquals("UNAUTHENTICATED", TestDaemon.detail(e, ErrorInfo.class).orElseThrow().getReason());
  }

  @Test
  void everyCallButHealthNeedsAKnownToken() throws Exception {
    TestDaemon daemon = daemonWithTokens("# tenants\nalpha-token alice\n\nbeta-token bob # second\nsolo-token\n");

    assertUnauthenticated(() -> daemon.scans.listScans(ListScansRequest.getDefaultInstance()));
    assertUnauthenticated(() -> daemon.as("wrong").scans.listScans(ListScansRequest.getDefaultInstance()));
    assertUnauthenticated(() -> PluginServiceGrpc.newBlockingStub(daemon.channel)
        .listPlugins(ListPluginsRequest.getDefaultInstance()));
    assertEquals(HealthCheckResponse.ServingStatus.SERVING, HealthGrpc.newBlockingStub(daemon.channel)
        .check(HealthCheckRequest.getDefaultInstance()).getStatus(), "health needs no token");

    daemon.as("alpha-token").scans.listScans(ListScansRequest.getDefaultInstance());
    daemon.as("solo-token").scans.listScans(ListScansRequest.getDefaultInstance());
  }

  @Test
  void reflectionIsNotExempt() throws Exception {
    TestDaemon daemon = daemonWithTokens("alpha-token alice\n");
    CompletableFuture<Throwable> failure = new CompletableFuture<>();
    StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc.newStub(daemon.channel)
        .serverReflectionInfo(new StreamObserver<>() {
          @Override
          public void onNext(ServerReflectionResponse value) {
            failure.complete(null);
          }

          @Override
          public void onError(Throwable t) {
            failure.complete(t);
          }

          @Override
          public void onCompleted() {
            failure.complete(null);
          }
        });
    requests.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
    requests.onCompleted();
    Throwable t = failure.get(10, TimeUnit.SECONDS);
    assertEquals(Status.Code.UNAUTHENTICATED, Status.fromThrowable(t).getCode());
  }

  @Test
  void theTokenFileIsReloadedWhenItChanges() throws Exception {
    TestDaemon daemon = daemonWithTokens("alpha-token alice\n");
    daemon.as("alpha-token").scans.listScans(ListScansRequest.getDefaultInstance());

    Path file = temp.resolve("tokens");
    Files.writeString(file, "gamma-token carol\n");
    // A coarse file-system clock could leave the time unchanged within one tick; the size differs anyway.
    Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() + 2_000));

    assertUnauthenticated(() -> daemon.as("alpha-token").scans.listScans(ListScansRequest.getDefaultInstance()));
    daemon.as("gamma-token").scans.listScans(ListScansRequest.getDefaultInstance());
  }

  @Test
  void anUnreadableReloadKeepsThePreviousTokens() throws Exception {
    Path file = Files.writeString(temp.resolve("t"), "alpha-token alice\n");
    TokenFile tokens = new TokenFile(file);
    Files.delete(file);
    assertEquals("alice", tokens.tenantOf("alpha-token").orElseThrow());
    assertEquals(java.util.Optional.empty(), tokens.tenantOf("alpha"));
  }

  @Test
  void aMalformedLineIsSkippedAndAMissingFileFailsStartup() throws Exception {
    Path file = Files.writeString(temp.resolve("t"), "a b c\nok-token t1\nlone\n");
    TokenFile tokens = new TokenFile(file);
    assertEquals(java.util.Optional.empty(), tokens.tenantOf("a"));
    assertEquals("t1", tokens.tenantOf("ok-token").orElseThrow());
    assertEquals(TokenFile.DEFAULT_TENANT, tokens.tenantOf("lone").orElseThrow());
    assertThrows(IllegalArgumentException.class, () -> new TokenFile(temp.resolve("absent")));
  }
}
