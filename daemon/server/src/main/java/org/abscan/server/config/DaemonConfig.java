package org.abscan.server.config;

import java.nio.file.Path;
import java.util.List;

/**
 * PLACEHOLDER shape until feat/server merges (the server helper owns and may extend this record; the fields
 * and withers below are the contract the CLI relies on).
 */
public record DaemonConfig(
    String host, int port, Path dataDir, List<Path> modelRoots, List<Path> pluginDirs) {
  public static DaemonConfig defaults() {
    return new DaemonConfig("127.0.0.1", 50051, Path.of(System.getProperty("user.home"), ".abscan"),
        List.of(), List.of());
  }

  public DaemonConfig withModelRoots(List<Path> roots) {
    return new DaemonConfig(host, port, dataDir, List.copyOf(roots), pluginDirs);
  }

  public DaemonConfig withDataDir(Path dir) {
    return new DaemonConfig(host, port, dir, modelRoots, pluginDirs);
  }

  public DaemonConfig withPluginDirs(List<Path> dirs) {
    return new DaemonConfig(host, port, dataDir, modelRoots, List.copyOf(dirs));
  }
}
