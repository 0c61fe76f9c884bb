package org.abscan.cli.connect;

import io.grpc.Channel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.abscan.server.EmbeddedDaemon;
import org.abscan.server.config.DaemonConfig;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The daemon started inside the CLI's JVM. Its data directory is a temporary one, removed on close, unless
 * the user named one (then it persists, like a server's).
 */
final class EmbeddedConnection implements Connection {
  private static final Logger LOG = LogManager.getLogger(EmbeddedConnection.class);

  private final EmbeddedDaemon daemon;
  private final Path temporaryDataDir;

  private EmbeddedConnection(EmbeddedDaemon daemon, Path temporaryDataDir) {
    this.daemon = daemon;
    this.temporaryDataDir = temporaryDataDir;
  }

  static EmbeddedConnection start(Endpoint endpoint) {
    Path temporary = null;
    Path dataDir = endpoint.dataDir();
    try {
      if (dataDir == null) {
        temporary = Files.createTempDirectory("abscan-");
        dataDir = temporary;
      }
      return new EmbeddedConnection(EmbeddedDaemon.start(config(endpoint, dataDir)), temporary);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a data directory for the embedded daemon", e);
    } catch (RuntimeException e) {
      deleteTree(temporary);
      throw e;
    }
  }

  static DaemonConfig config(Endpoint endpoint, Path dataDir) {
    return DaemonConfig.defaults()
        .withModelRoots(endpoint.modelRoots())
        .withDataDir(dataDir)
        .withPluginDirs(endpoint.pluginDirs());
  }

  @Override
  public Channel channel() {
    return daemon.channel();
  }

  @Override
  public boolean sharesFilesystem() {
    return true;
  }

  @Override
  public void close() {
    try {
      daemon.close();
    } finally {
      deleteTree(temporaryDataDir);
    }
  }

  private static void deleteTree(Path root) {
    if (root == null || !Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> {
        try {
          Files.deleteIfExists(path);
        } catch (IOException e) {
          LOG.warn("cannot delete {}: {}", path, e.getMessage());
        }
      });
    } catch (IOException e) {
      LOG.warn("cannot delete the embedded daemon's data directory {}: {}", root, e.getMessage());
    }
  }
}
