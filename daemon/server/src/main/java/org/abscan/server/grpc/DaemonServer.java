package org.abscan.server.grpc;

import io.grpc.BindableService;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import javax.inject.Inject;
import javax.inject.Named;
import javax.inject.Singleton;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import javax.net.ssl.SSLException;
import org.abscan.server.auth.AuthInterceptor;
import org.abscan.server.config.AccessConfig;
import org.abscan.server.config.DaemonConfig;
import org.abscan.server.jobs.JobScheduler;
import org.abscan.server.services.InteractiveExecutor;
import org.abscan.server.services.ScanBackend;
import org.abscan.server.services.ScanRecovery;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The daemon's gRPC endpoints: the same services (plus health and reflection) on netty for remote clients
 * and/or on an in-process transport for the embedded daemon. Shutdown is graceful: health goes NOT_SERVING
 * first so load balancers stop routing, then calls drain for a while before the rest is cut.
 */
@Singleton
public final class DaemonServer implements AutoCloseable {
  private static final Logger LOG = LogManager.getLogger(DaemonServer.class);
  static final long DRAIN_SECONDS = 10;

  private final DaemonConfig config;
  private final Set<BindableService> services;
  private final HealthStatusManager health;
  private final ExecutorService executor;
  private final JobScheduler scheduler;
  private final InteractiveExecutor interactive;
  private final Optional<AuthInterceptor> auth;
  private final ScanRecovery recovery;
  private final ScanBackend backend;
  private final List<Server> servers = new ArrayList<>();
  private final List<ManagedChannel> channels = new ArrayList<>();
  private boolean closed;

  @Inject
  DaemonServer(DaemonConfig config, Set<BindableService> services, HealthStatusManager health,
      @Named("grpc") ExecutorService executor, JobScheduler scheduler, InteractiveExecutor interactive,
      Optional<AuthInterceptor> auth, ScanRecovery recovery, ScanBackend backend) {
    this.backend = backend;
    this.auth = auth;
    this.recovery = recovery;
    this.config = config;
    this.services = services;
    this.health = health;
    this.executor = executor;
    this.scheduler = scheduler;
    this.interactive = interactive;
  }

  /** Serves on {@code config.host():config.port()} (port 0: a free one) and returns the bound address. */
  public synchronized InetSocketAddress startNetty() {
    NettyServerBuilder netty = NettyServerBuilder.forAddress(new InetSocketAddress(config.host(), config.port()));
    if (config.access().tlsCert() != null) {
      netty.sslContext(sslContext(config.access()));
    }
    Server server = start(netty);
    InetSocketAddress bound = (InetSocketAddress) server.getListenSockets().get(0);
    LOG.info("serving gRPC on {}:{}", config.host(), bound.getPort());
    return bound;
  }

  /**
   * TLS with the configured key; with a client CA, client certificates are requested and verified but stay
   * optional, so token holders without a certificate can still connect (the interceptor decides).
   */
  private static SslContext sslContext(AccessConfig access) {
    try {
      SslContextBuilder ssl = GrpcSslContexts.forServer(access.tlsCert().toFile(), access.tlsKey().toFile());
      if (access.tlsClientCa() != null) {
        ssl.trustManager(access.tlsClientCa().toFile()).clientAuth(ClientAuth.OPTIONAL);
      }
      return ssl.build();
    } catch (SSLException | IllegalArgumentException e) {
      throw new IllegalArgumentException("cannot set up TLS from " + access.tlsCert() + " and "
          + access.tlsKey() + ": " + e.getMessage(), e);
    }
  }

  /** Serves on an in-process transport with a unique name; returns the name. */
  public synchronized String startInProcess() {
    String name = "abscand-" + UUID.randomUUID();
    start(InProcessServerBuilder.forName(name));
    return name;
  }

  /** A channel to an in-process server started here; closed with the daemon. */
  public synchronized ManagedChannel inProcessChannel(String name) {
    ManagedChannel channel = InProcessChannelBuilder.forName(name)
        .maxInboundMessageSize(config.maxMessageBytes())
        .build();
    channels.add(channel);
    return channel;
  }

  private Server start(ServerBuilder<?> builder) {
    if (closed) {
      throw new IllegalStateException("the daemon is closed");
    }
    // Scans accepted before a restart are queued again before new ones can be accepted ahead of them.
    recovery.run();
    builder.executor(executor)
        .maxInboundMessageSize(config.maxMessageBytes())
        .addService(health.getHealthService())
        .addService(ProtoReflectionServiceV1.newInstance());
    // Interceptors added last run first: the access log also records refused (UNAUTHENTICATED) calls.
    auth.ifPresent(builder::intercept);
    builder.intercept(new CallLogInterceptor());
    services.forEach(builder::addService);
    Server server;
    try {
      server = builder.build().start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the gRPC server on " + config.host() + ":"
          + config.port() + ": " + e.getMessage(), e);
    }
    servers.add(server);
    health.setStatus("", ServingStatus.SERVING);
    for (BindableService service : services) {
      health.setStatus(service.bindService().getServiceDescriptor().getName(), ServingStatus.SERVING);
    }
    return server;
  }

  /** Blocks until every server has terminated. */
  public void awaitTermination() throws InterruptedException {
    for (Server server : List.copyOf(servers)) {
      server.awaitTermination();
    }
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    health.enterTerminalState(); // NOT_SERVING for every service, and it stays so
    channels.forEach(ManagedChannel::shutdown);
    servers.forEach(Server::shutdown);
    // Scans end (cancelled or interrupted) so their streams close and the drain can finish.
    scheduler.close();
    interactive.close();
    // Workers stop after the scheduler: running scans were asked to cancel and had their chance to end.
    backend.close();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DRAIN_SECONDS);
    try {
      for (Server server : servers) {
        if (!server.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
          LOG.warn("calls still open after {} s; cutting them", DRAIN_SECONDS);
          server.shutdownNow();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      servers.forEach(Server::shutdownNow);
    }
    channels.forEach(ManagedChannel::shutdownNow);
    executor.shutdownNow();
    LOG.info("daemon stopped");
  }
}
