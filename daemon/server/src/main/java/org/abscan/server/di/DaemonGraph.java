package org.abscan.server.di;

import org.abscan.server.grpc.DaemonServer;
import org.abscan.server.plugins.PluginManager;
import org.abscan.server.services.ScanBackend;

/** What a daemon component exposes; the production and test components both extend it. */
public interface DaemonGraph {
  DaemonServer server();

  PluginManager plugins();

  /** Where the engine runs (tests look at a worker pool through it). */
  ScanBackend scanBackend();
}
