package org.abscan.server.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Everything the daemon is configured with. Built by {@code DaemonMain} from flags and a properties file, or by
 * an embedding caller (the CLI) from {@link #defaults()} and the withers.
 *
 * @param host interface the netty server binds (ignored in embedded mode)
 * @param port TCP port; 0 picks a free one
 * @param dataDir where uploaded models live ({@code <dataDir>/models/<sha256>/})
 * @param modelRoots directories server-side paths (models, seed folders) must resolve inside
 * @param pluginDirs directories whose sub-directories are third-party plugins
 * @param logFormat "text" or "json"
 * @param maxUploadBytes cap on one uploaded model (declared and received bytes)
 * @param maxMessageBytes max inbound gRPC message
 * @param workers scans that run at once: worker processes when {@code worker.processes()}, else engine threads
 *     (also the threads for StreamNSF/GenerateTrigger)
 * @param queueCapacity scans that may wait for a worker (all tenants); more are refused with RESOURCE_EXHAUSTED
 * @param access authentication, TLS and per-tenant and per-request limits
 * @param jobs the job store and restart policy
 * @param worker whether scans run in worker processes, and their supervision
 */
public record DaemonConfig(
    String host,
    int port,
    Path dataDir,
    List<Path> modelRoots,
    List<Path> pluginDirs,
    String logFormat,
    long maxUploadBytes,
    int maxMessageBytes,
    int workers,
    int queueCapacity,
    AccessConfig access,
    JobsConfig jobs,
    WorkerConfig worker) {
  public static final int DEFAULT_PORT = 50051;
  public static final long DEFAULT_MAX_UPLOAD_BYTES = 1L << 30;
  public static final int DEFAULT_MAX_MESSAGE_BYTES = 64 << 20;
  public static final int DEFAULT_QUEUE_CAPACITY = 16;

  public DaemonConfig {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(dataDir, "dataDir");
    modelRoots = List.copyOf(modelRoots);
    pluginDirs = List.copyOf(pluginDirs);
    Objects.requireNonNull(access, "access");
    Objects.requireNonNull(jobs, "jobs");
    Objects.requireNonNull(worker, "worker");
    if (!logFormat.equals("text") && !logFormat.equals("json")) {
      throw new IllegalArgumentException("log format must be text or json, not " + logFormat);
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    if (maxUploadBytes <= 0 || maxMessageBytes <= 0 || workers <= 0 || queueCapacity <= 0) {
      throw new IllegalArgumentException(
          "max-upload-bytes, max-message-bytes, workers and queue-capacity must be positive");
    }
  }

  public static DaemonConfig defaults() {
    return new DaemonConfig(
        "127.0.0.1",
        DEFAULT_PORT,
        Path.of(System.getProperty("user.home"), ".abscan"),
        List.of(),
        List.of(),
        "text",
        DEFAULT_MAX_UPLOAD_BYTES,
        DEFAULT_MAX_MESSAGE_BYTES,
        Math.max(1, Runtime.getRuntime().availableProcessors() / 2),
        DEFAULT_QUEUE_CAPACITY,
        AccessConfig.open(),
        JobsConfig.inMemory(),
        WorkerConfig.inProcess());
  }

  public DaemonConfig withHost(String value) {
    return new DaemonConfig(value, port, dataDir, modelRoots, pluginDirs, logFormat, maxUploadBytes,
        maxMessageBytes, workers, queueCapacity, access, jobs, worker);
  }

  public DaemonConfig withPort(int value) {
    return new DaemonConfig(host, value, dataDir, modelRoots, pluginDirs, logFormat, maxUploadBytes,
        maxMessageBytes, workers, queueCapacity, access, jobs, worker);
  }

  public DaemonConfig withDataDir(Path value) {
    return new DaemonConfig(host, port, value, modelRoots, pluginDirs, logFormat, maxUploadBytes,
        maxMessageBytes, workers, queueCapacity, access, jobs, worker);
  }

  public DaemonConfig withModelRoots(List<Path> value) {
    return new DaemonConfig(host, port, dataDir, value, pluginDirs, logFormat, maxUploadBytes,
        maxMessageBytes, workers, queueCapacity, access, jobs, worker);
  }

  public DaemonConfig withPluginDirs(List<Path> value) {
    return new DaemonConfig(host, port, dataDir, modelRoots, value, logFormat, maxUploadBytes,
        maxMessageBytes, workers, queueCapacity, access, jobs, worker);
  }

  public DaemonConfig withLogFormat(String value) {
    return new DaemonConfig(host, port, dataDir, modelRoots, pluginDirs, value, maxUploadBytes,
        maxMessageBytes, workers, queueCapacity, access, jobs, worker);
  }

  public DaemonConfig withMaxUploadBytes(long value) {
    return new DaemonConfig(host, port, dataDir, modelRoots, pluginDirs, logFormat, value,
        maxMessageBytes, workers, queueCapacity, access, jobs, worker);
  }

  public DaemonConfig withMaxMessageBytes(int value) {
    return new DaemonConfig(host, port, dataDir, modelRoots, pluginDirs, logFormat, maxUploadBytes,
        value, workers, queueCapacity, access, jobs, worker);
  }

  public DaemonConfig withWorkers(int value) {
    return new DaemonConfig(host, port, dataDir, modelRoots, pluginDirs, logFormat, maxUploadBytes,
        maxMessageBytes, value, queueCapacity, access, jobs, worker);
  }

  public DaemonConfig withQueueCapacity(int value) {
    return new DaemonConfig(host, port, dataDir, modelRoots, pluginDirs, logFormat, maxUploadBytes,
        maxMessageBytes, workers, value, access, jobs, worker);
  }

  public DaemonConfig withAccess(AccessConfig value) {
    return new DaemonConfig(host, port, dataDir, modelRoots, pluginDirs, logFormat, maxUploadBytes,
        maxMessageBytes, workers, queueCapacity, value, jobs, worker);
  }

  public DaemonConfig withJobs(JobsConfig value) {
    return new DaemonConfig(host, port, dataDir, modelRoots, pluginDirs, logFormat, maxUploadBytes,
        maxMessageBytes, workers, queueCapacity, access, value, worker);
  }

  public DaemonConfig withWorker(WorkerConfig value) {
    return new DaemonConfig(host, port, dataDir, modelRoots, pluginDirs, logFormat, maxUploadBytes,
        maxMessageBytes, workers, queueCapacity, access, jobs, value);
  }
}
