package org.abscan.server.worker;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.protobuf.services.HealthStatusManager;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.abscan.engine.AbsEngine;
import org.abscan.engine.TriggerApplierRegistry;
import org.abscan.engine.reverse.TriggerReverseEngineer;
import org.abscan.server.logging.LoggingSetup;
import org.abscan.server.models.ModelLoaders;
import org.abscan.server.plugins.PluginManager;
import org.abscan.server.plugins.PluginTriggerApplierRegistry;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * A worker process: the plugins and the engine behind abscan.worker.v1 on a Unix domain socket, one task at a
 * time. Started and supervised by the daemon's {@link WorkerPool}; not meant to be run by hand.
 *
 * <p>Arguments: {@code --socket PATH --scratch-dir DIR [--plugin-dir DIR]...}. Prints {@value #READY_LINE} on
 * stdout once it serves. It exits when its stdin reaches end of file: the daemon holds the other end, so a
 * daemon that exits or is killed (even with SIGKILL) takes its workers with it.
 */
public final class WorkerMain {
  public static final String READY_LINE = "abscan-worker ready";
  /** What the daemon writes to a worker's stdin before closing it to stop the worker on purpose. */
  static final int STOP_BYTE = 'q';
  /** Internal messages carry whole seed sets and reports; the peer is the daemon itself. */
  static final int MAX_MESSAGE_BYTES = Integer.MAX_VALUE;

  static {
    LoggingSetup.bridgeJul();
  }

  private WorkerMain() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    Path socket = null;
    Path scratch = null;
    List<Path> pluginDirs = new ArrayList<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--socket" -> socket = Path.of(args[i + 1]);
        case "--scratch-dir" -> scratch = Path.of(args[i + 1]);
        case "--plugin-dir" -> pluginDirs.add(Path.of(args[i + 1]));
        default -> throw new IllegalArgumentException("unknown worker argument " + args[i]);
      }
    }
    if (socket == null || scratch == null) {
      throw new IllegalArgumentException("usage: WorkerMain --socket PATH --scratch-dir DIR [--plugin-dir DIR]...");
    }
    watchParent(socket);
    Logger log = LogManager.getLogger(WorkerMain.class);
    PluginManager plugins = PluginManager.load(WorkerMain.class.getClassLoader(), pluginDirs);
    TriggerApplierRegistry triggers = new PluginTriggerApplierRegistry(plugins, scratch);
    ModelLoaders loaders = new ModelLoaders(plugins, scratch);
    WorkerTasks tasks = new WorkerTasks(loaders, new AbsEngine(triggers, new TriggerReverseEngineer(triggers)),
        triggers);
    ExecutorService taskThread = Executors.newSingleThreadExecutor(r -> new Thread(r, "abscan-worker-task"));
    EpollEventLoopGroup loop = new EpollEventLoopGroup(1);
    HealthStatusManager health = new HealthStatusManager();
    Server server = NettyServerBuilder.forAddress(new DomainSocketAddress(socket.toString()))
        .channelType(EpollServerDomainSocketChannel.class)
        .bossEventLoopGroup(loop)
        .workerEventLoopGroup(loop)
        .maxInboundMessageSize(MAX_MESSAGE_BYTES)
        .addService(new WorkerService(tasks, taskThread))
        .addService(health.getHealthService())
        .build()
        .start();
    log.info("worker pid {} serving on {}", ProcessHandle.current().pid(), socket);
    System.out.println(READY_LINE);
    System.out.flush();
    server.awaitTermination();
  }

  /**
   * Ends this JVM at once when its stdin reaches end of file. The daemon sends {@value #STOP_BYTE} first when it
   * stops us on purpose; end of file without it means the daemon died (even SIGKILL closes its end of the pipe),
   * and then nobody else will remove the private socket directory, so the last worker out does.
   */
  private static void watchParent(Path socket) {
    Thread watcher = new Thread(() -> {
      boolean toldToStop = false;
      try (InputStream in = System.in) {
        int b;
        while ((b = in.read()) >= 0) {
          toldToStop |= b == STOP_BYTE;
        }
      } catch (IOException e) {
        // Treated like end of file: the parent is unreachable.
      }
      LogManager.getLogger(WorkerMain.class).info(toldToStop ? "stopped by the daemon; exiting"
          : "stdin closed without a stop: the daemon died; exiting");
      if (!toldToStop) {
        try {
          java.nio.file.Files.deleteIfExists(socket);
          java.nio.file.Files.deleteIfExists(socket.getParent());
        } catch (IOException e) {
          // Another worker's socket is still there, or the directory is gone already.
        }
      }
      LoggingSetup.shutdown();
      // halt, not exit: a TensorFlow run in progress must not delay the end, and no hook needs to run.
      Runtime.getRuntime().halt(0);
    }, "abscan-worker-parent-watch");
    watcher.setDaemon(true);
    watcher.start();
  }
}
