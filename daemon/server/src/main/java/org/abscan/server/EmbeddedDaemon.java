package org.abscan.server;

import io.grpc.ManagedChannel;
import org.abscan.server.config.DaemonConfig;
import org.abscan.server.di.DaemonComponent;
import org.abscan.server.di.DaemonGraph;
import org.abscan.server.grpc.DaemonServer;
import org.abscan.server.logging.LoggingSetup;

/**
 * The whole daemon (same services, same engine) on an in-process transport inside the caller's JVM, so the CLI
 * has one code path for local and remote scans.
 */
public final class EmbeddedDaemon implements AutoCloseable {
  static {
    LoggingSetup.bridgeJul();
  }

  private final DaemonServer server;
  private final ManagedChannel channel;

  private EmbeddedDaemon(DaemonServer server, ManagedChannel channel) {
    this.server = server;
    this.channel = channel;
  }

  /** Starts the daemon in-process. */
  public static EmbeddedDaemon start(DaemonConfig config) {
    return start(DaemonComponent.create(config));
  }

  /** Starts the daemon of an already built graph (tests pass one with a fake engine). */
  public static EmbeddedDaemon start(DaemonGraph graph) {
    DaemonServer server = graph.server();
    String name = server.startInProcess();
    return new EmbeddedDaemon(server, server.inProcessChannel(name));
  }

  /** A channel to the in-process daemon; closed by {@link #close()}. */
  public ManagedChannel channel() {
    return channel;
  }

  /** Graceful shutdown: NOT_SERVING, drain, stop. */
  @Override
  public void close() {
    server.close();
  }
}
