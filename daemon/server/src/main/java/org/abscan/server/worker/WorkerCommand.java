package org.abscan.server.worker;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.abscan.server.config.DaemonConfig;
import org.abscan.server.config.WorkerConfig;
import org.abscan.server.logging.LoggingSetup;

/**
 * The command line of a worker JVM: the daemon's own java and classpath (so the worker runs exactly the code
 * and built-in plugins the daemon has), the configured heap, and {@link WorkerMain}.
 */
final class WorkerCommand {
  private WorkerCommand() {}

  static List<String> of(DaemonConfig config, Path socket, Path scratch) {
    List<String> command = new ArrayList<>();
    command.add(javaExecutable());
    command.add("-Xss4m");
    command.add("-XX:+UseParallelGC");
    // A heap exhausted by a model ends the worker (then respawned) instead of leaving it half-alive.
    command.add("-XX:+ExitOnOutOfMemoryError");
    if (!config.worker().heap().isEmpty()) {
      command.add("-Xmx" + config.worker().heap());
    }
    command.add("-D" + LoggingSetup.FORMAT_PROPERTY + "=" + config.logFormat());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(WorkerMain.class.getName());
    command.add("--socket");
    command.add(socket.toString());
    command.add("--scratch-dir");
    command.add(scratch.toString());
    for (Path dir : config.pluginDirs()) {
      command.add("--plugin-dir");
      command.add(dir.toAbsolutePath().toString());
    }
    return command;
  }

  /**
   * What the worker's environment adds to the daemon's: on a GPU host with {@code --worker-gpus}, the slot's
   * one visible CUDA device, so workers do not share (and fight over memory on) the same card.
   */
  static Map<String, String> environment(WorkerConfig worker, int slotIndex) {
    return worker.gpuFor(slotIndex)
        .map(gpu -> Map.of("CUDA_VISIBLE_DEVICES", gpu))
        .orElse(Map.of());
  }

  private static String javaExecutable() {
    return ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }
}
