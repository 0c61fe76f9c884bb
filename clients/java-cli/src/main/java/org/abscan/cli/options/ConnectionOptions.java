package org.abscan.cli.options;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Where a command's calls go and how they are authenticated and bounded in time. */
public final class ConnectionOptions {
  @Option(names = "--server", paramLabel = "HOST:PORT",
      description = "Daemon to call. Without it abscan starts one inside this process (embedded mode).")
  public String server;

  @Option(names = "--token", paramLabel = "TOKEN",
      description = "Bearer token sent with every call (default: the ABSCAN_TOKEN environment variable).")
  public String token;

  @Option(names = "--deadline", paramLabel = "SECONDS",
      description = "Give up (exit 4) when the whole command takes longer than this.")
  public Double deadlineSeconds;

  @Option(names = "--data-dir", paramLabel = "DIR",
      description = "Embedded mode: keep the daemon's state here (default: a temporary directory removed on exit).")
  public Path dataDir;

  @Option(names = "--plugin-dir", paramLabel = "DIR",
      description = "Embedded mode: also load plugin jars from this directory (repeatable).")
  public List<Path> pluginDirs = new ArrayList<>();
}
