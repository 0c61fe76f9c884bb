package org.abscan.cli.connect;

import java.nio.file.Path;
import java.util.List;

/**
 * Where a command's calls go. {@code server} null means embedded: a daemon in this process that may read
 * files under {@code modelRoots}, keeps its state in {@code dataDir} (null: a temporary directory removed on
 * close) and loads extra plugins from {@code pluginDirs}.
 */
public record Endpoint(String server, List<Path> modelRoots, Path dataDir, List<Path> pluginDirs) {
  public Endpoint {
    modelRoots = List.copyOf(modelRoots);
    pluginDirs = List.copyOf(pluginDirs);
  }

  public boolean embedded() {
    return server == null;
  }
}
