package org.abscan.server;

import io.grpc.ManagedChannel;
import org.abscan.server.config.DaemonConfig;

/**
 * PLACEHOLDER until feat/server merges. Contract: the whole daemon (same services, same engine) on an
 * in-process transport inside the caller's JVM, so the CLI has one code path for local and remote scans.
 */
public final class EmbeddedDaemon implements AutoCloseable {
  private EmbeddedDaemon() {}

  /** Starts the daemon in-process. */
  public static EmbeddedDaemon start(DaemonConfig config) {
    throw new UnsupportedOperationException("server not merged yet");
  }

  /** A channel to the in-process daemon; closed by {@link #close()}. */
  public ManagedChannel channel() {
    throw new UnsupportedOperationException("server not merged yet");
  }

  /** Graceful shutdown: NOT_SERVING, drain, stop. */
  @Override
  public void close() {}
}
