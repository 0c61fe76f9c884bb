package org.abscan.server.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.abscan.proto.model.v1.ListModelsRequest;
import org.abscan.proto.model.v1.ModelServiceGrpc;
import org.abscan.server.config.DaemonConfig;
import org.abscan.server.di.DaemonComponent;
import org.abscan.server.grpc.DaemonServer;
import org.abscan.server.testing.GrpcCleanup;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** TLS on netty with client certificates: a verified certificate is an identity, its CN the tenant. */
class MutualTlsTest {
  @RegisterExtension final GrpcCleanup cleanup = new GrpcCleanup();
  @TempDir Path temp;

  private void openssl(String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("openssl"));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).directory(temp.toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new AssertionError("openssl " + String.join(" ", args) + " failed: " + output);
    }
  }

  private void issue(String name, String cn, String extensions) throws Exception {
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", name + ".key", "-out", name + ".csr", "-subj",
        "/CN=" + cn);
    Files.writeString(temp.resolve(name + ".ext"), extensions);
    openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
        "-out", name + ".pem", "-days", "1", "-extfile", name + ".ext");
  }

  @BeforeEach
  void certificates() throws Exception {
    boolean haveOpenssl;
    try {
      haveOpenssl = new ProcessBuilder("openssl", "version").start().waitFor() == 0;
    } catch (java.io.IOException e) {
      haveOpenssl = false;
    }
    Assumptions.assumeTrue(haveOpenssl, "openssl absent: cannot make test certificates");
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "1",
        "-subj", "/CN=abscan-test-ca");
    issue("server", "localhost", "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
    issue("alice", "alice", "extendedKeyUsage=clientAuth\n");
  }

  private ManagedChannel channel(int port, boolean withClientCertificate) throws Exception {
    SslContextBuilder ssl = GrpcSslContexts.forClient().trustManager(temp.resolve("ca.pem").toFile());
    if (withClientCertificate) {
      ssl.keyManager(temp.resolve("alice.pem").toFile(), temp.resolve("alice.key").toFile());
    }
    return cleanup.register(NettyChannelBuilder.forAddress("127.0.0.1", port).overrideAuthority("localhost")
        .sslContext(ssl.build()).build());
  }

  @Test
  void aVerifiedClientCertificateIsTheIdentityAndNoCertificateIsNone() throws Exception {
    DaemonConfig config = DaemonConfig.defaults().withPort(0).withDataDir(temp.resolve("data")).withWorkers(1);
    config = config.withAccess(config.access().withTls(temp.resolve("server.pem"), temp.resolve("server.key"),
        temp.resolve("ca.pem")));
    DaemonServer server = cleanup.register(DaemonComponent.create(config).server());
    InetSocketAddress bound = server.startNetty();

    ManagedChannel alice = channel(bound.getPort(), true);
    assertEquals(0, ModelServiceGrpc.newBlockingStub(alice).withDeadlineAfter(20, TimeUnit.SECONDS)
        .listModels(ListModelsRequest.getDefaultInstance()).getModelsCount());
    assertEquals(true, Files.isDirectory(temp.resolve("data/tenants/alice/models")),
        "alice's calls use alice's model store");

    ManagedChannel anonymous = channel(bound.getPort(), false);
    StatusRuntimeException refused = assertThrows(StatusRuntimeException.class, () -> ModelServiceGrpc
        .newBlockingStub(anonymous).withDeadlineAfter(20, TimeUnit.SECONDS)
        .listModels(ListModelsRequest.getDefaultInstance()));
    assertEquals(Status.Code.UNAUTHENTICATED, refused.getStatus().getCode());
    assertEquals(ServingStatus.SERVING, HealthGrpc.newBlockingStub(anonymous).withDeadlineAfter(20, TimeUnit.SECONDS)
        .check(HealthCheckRequest.getDefaultInstance()).getStatus(), "health needs no identity, even over TLS");
  }
}
