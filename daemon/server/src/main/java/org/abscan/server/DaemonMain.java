package org.abscan.server;

import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import org.abscan.server.config.DaemonConfig;
import org.abscan.server.config.DaemonOptions;
import org.abscan.server.di.DaemonComponent;
import org.abscan.server.grpc.DaemonServer;
import org.abscan.server.logging.LoggingSetup;
import org.apache.logging.log4j.LogManager;
import picocli.CommandLine;

/** {@code abscand}: parses flags, wires the daemon and serves until the process is stopped. */
public final class DaemonMain {
  static {
    LoggingSetup.bridgeJul();
  }

  private DaemonMain() {}

  public static void main(String[] args) throws InterruptedException {
    DaemonOptions options = new DaemonOptions();
    CommandLine cli = new CommandLine(options);
    DaemonConfig config;
    try {
      cli.parseArgs(args);
      if (cli.isUsageHelpRequested()) {
        cli.usage(cli.getOut());
        return;
      }
      config = options.toConfig();
    } catch (CommandLine.ParameterException | IllegalArgumentException | UncheckedIOException e) {
      System.err.println("abscand: " + e.getMessage());
      cli.usage(System.err);
      System.exit(2);
      return;
    }
    // Before Log4j configures itself: the format selects the layout in log4j2.xml.
    LoggingSetup.useFormat(config.logFormat());
    LoggingSetup.disableLog4jShutdownHook();
    DaemonServer server;
    InetSocketAddress bound;
    try {
      server = DaemonComponent.create(config).server();
      bound = server.startNetty();
    } catch (RuntimeException e) {
      // Startup problems (duplicate plugins, port in use, unwritable data dir) are the operator's to fix.
      LogManager.getLogger(DaemonMain.class).fatal("abscand could not start: {}", e.getMessage(), e);
      LoggingSetup.shutdown();
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      LoggingSetup.shutdown();
    }, "abscand-shutdown"));
    // The one line scripts wait for (bin/abscand, tests): stdout, not the log.
    System.out.println("abscand listening on " + config.host() + ":" + bound.getPort());
    System.out.flush();
    server.awaitTermination();
  }
}
