package org.abscan.server.config;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * abscand's flags. A {@code --config} properties file may set the same things under the flag names without
 * dashes in front ({@code port=0}, {@code model-root=/a,/b}); a flag given on the command line wins over the
 * file, and the file over {@link DaemonConfig#defaults()}.
 */
@Command(name = "abscand", mixinStandardHelpOptions = true,
    description = "The abscan daemon: ABS trojan scanning as a gRPC service.")
public final class DaemonOptions {
  static final Set<String> KEYS = Set.of("host", "port", "data-dir", "model-root", "plugin-dir",
      "log-format", "max-upload-bytes", "max-message-bytes", "workers", "queue-capacity", "auth-tokens",
      "tls-cert", "tls-key", "tls-client-ca", "tenant-max-running", "tenant-max-queued", "max-seeds",
      "max-image-dimension", "job-store", "on-restart", "retention-days", "scan-timeout", "cancel-grace",
      "worker-max-scans", "worker-max-rss-mb", "worker-heap", "worker-gpus", "worker-health-interval");

  @Option(names = "--host", description = "Interface to bind (default 127.0.0.1).")
  String host;

  @Option(names = "--port", description = "TCP port; 0 picks a free one (default 50051).")
  Integer port;

  @Option(names = "--data-dir", description = "Where uploaded models are stored (default ~/.abscan).")
  Path dataDir;

  @Option(names = "--model-root", description = "A directory server paths may point into (repeatable).")
  List<Path> modelRoots;

  @Option(names = "--plugin-dir", description = "A directory of plugin sub-directories (repeatable).")
  List<Path> pluginDirs;

  @Option(names = "--config", description = "A .properties file with the same keys as the flags.")
  Path configFile;

  @Option(names = "--log-format", description = "text or json (default text).")
  String logFormat;

  @Option(names = "--max-upload-bytes", description = "Largest model upload.")
  Long maxUploadBytes;

  @Option(names = "--max-message-bytes", description = "Largest inbound gRPC message.")
  Integer maxMessageBytes;

  @Option(names = "--workers", description = "Worker processes, one scan each at a time (default 1). 0 runs"
      + " TensorFlow in the daemon's own JVM on max(1, cores/2) threads, unisolated.")
  Integer workers;

  @Option(names = "--scan-timeout", description = "Wall-clock limit of a scan (or StreamNSF/GenerateTrigger"
      + " call) in a worker: the worker is killed and the scan FAILS with TIMEOUT. 30s, 10m, 2h; 0 = none"
      + " (default 2h).")
  String scanTimeout;

  @Option(names = "--cancel-grace", description = "How long a cancelled scan may take to stop cooperatively"
      + " before its worker is killed (default 10s).")
  String cancelGrace;

  @Option(names = "--worker-max-scans", description = "Replace a worker after this many tasks; 0 = never"
      + " (default 100).")
  Integer workerMaxScans;

  @Option(names = "--worker-max-rss-mb", description = "Replace a worker whose resident memory exceeds this"
      + " after a task; 0 = never (default 4096).")
  Long workerMaxRssMb;

  @Option(names = "--worker-heap", description = "Java heap (-Xmx) of each worker JVM, e.g. 512m, 2g"
      + " (default 1g).")
  String workerHeap;

  @Option(names = "--worker-gpus", description = "On a GPU host, pin worker slots to these CUDA devices,"
      + " round-robin: e.g. --workers 2 --worker-gpus 0,1 gives each worker one card (its /GPU:0). Indexes or"
      + " GPU-/MIG- UUIDs; default: workers see the daemon's devices.")
  String workerGpus;

  @Option(names = "--worker-health-interval", description = "Health-check idle workers this often; one that does"
      + " not answer within the interval (at most 10s) is replaced before a scan can get it. 30s, 1m; 0 = never"
      + " (default 30s).")
  String workerHealthInterval;

  @Option(names = "--queue-capacity", description = "Scans that may wait for a worker.")
  Integer queueCapacity;

  @Option(names = "--auth-tokens", description = "File of 'TOKEN [TENANT]' lines ('#' comments; re-read when it"
      + " changes). Every call but health then needs 'authorization: Bearer TOKEN'.")
  Path authTokens;

  @Option(names = "--tls-cert", description = "Server certificate chain (PEM); with --tls-key serves TLS.")
  Path tlsCert;

  @Option(names = "--tls-key", description = "Server private key (PEM, PKCS#8).")
  Path tlsKey;

  @Option(names = "--tls-client-ca", description = "CA for client certificates (mTLS); the CN is the tenant.")
  Path tlsClientCa;

  @Option(names = "--tenant-max-running", description = "Scans one tenant may run at once (default: no limit).")
  Integer tenantMaxRunning;

  @Option(names = "--tenant-max-queued", description = "Scans one tenant may have waiting (default: no limit).")
  Integer tenantMaxQueued;

  @Option(names = "--max-seeds", description = "Seed images per request (default 5000).")
  Integer maxSeeds;

  @Option(names = "--max-image-dimension", description = "Largest seed image width or height (default 4096).")
  Integer maxImageDimension;

  @Option(names = "--job-store", description = "sqlite (default: <data-dir>/jobs.db, scans survive restarts) or"
      + " memory.")
  String jobStore;

  @Option(names = "--on-restart", description = "Scans that were running when the daemon died: rerun (default)"
      + " or interrupt (end them as INTERRUPTED). Waiting scans are always queued again.")
  String onRestart;

  @Option(names = "--retention-days", description = "Purge ended scans and their reports after this many days,"
      + " at start and daily; 0 keeps them (default 30).")
  Integer retentionDays;

  /**
   * @throws IllegalArgumentException for an unknown key or a bad value in the file, or a bad combination
   * @throws UncheckedIOException when the file cannot be read
   */
  public DaemonConfig toConfig() {
    Properties file = configFile == null ? new Properties() : readProperties(configFile);
    for (String key : file.stringPropertyNames()) {
      if (!KEYS.contains(key)) {
        throw new IllegalArgumentException("unknown key '" + key + "' in " + configFile + "; known: "
            + KEYS.stream().sorted().toList());
      }
    }
    DaemonConfig config = DaemonConfig.defaults();
    config = config.withHost(pick(host, file, "host", Function.identity(), config.host()));
    config = config.withPort(pick(port, file, "port", Integer::valueOf, config.port()));
    config = config.withDataDir(pick(dataDir, file, "data-dir", Path::of, config.dataDir()));
    config = config.withModelRoots(pick(modelRoots, file, "model-root", DaemonOptions::paths,
        config.modelRoots()));
    config = config.withPluginDirs(pick(pluginDirs, file, "plugin-dir", DaemonOptions::paths,
        config.pluginDirs()));
    config = config.withLogFormat(pick(logFormat, file, "log-format", Function.identity(), config.logFormat()));
    config = config.withMaxUploadBytes(pick(maxUploadBytes, file, "max-upload-bytes", Long::valueOf,
        config.maxUploadBytes()));
    config = config.withMaxMessageBytes(pick(maxMessageBytes, file, "max-message-bytes", Integer::valueOf,
        config.maxMessageBytes()));
    int workerCount = pick(workers, file, "workers", Integer::valueOf, 1);
    if (workerCount < 0) {
      throw new IllegalArgumentException("workers must be 0 (in-process) or positive, not " + workerCount);
    }
    if (workerCount > 0) {
      config = config.withWorkers(workerCount);
    }
    config = config.withWorker(worker(file, workerCount > 0));
    config = config.withQueueCapacity(pick(queueCapacity, file, "queue-capacity", Integer::valueOf,
        config.queueCapacity()));
    config = config.withAccess(access(file, config.access()));
    String store = pick(jobStore, file, "job-store", Function.identity(), "sqlite");
    if (!store.equals("sqlite") && !store.equals("memory")) {
      throw new IllegalArgumentException("job-store must be sqlite or memory, not " + store);
    }
    return config.withJobs(new JobsConfig(store.equals("sqlite"),
        JobsConfig.parseOnRestart(pick(onRestart, file, "on-restart", Function.identity(), "rerun")),
        pick(retentionDays, file, "retention-days", Integer::valueOf, JobsConfig.DEFAULT_RETENTION_DAYS)));
  }

  private WorkerConfig worker(Properties file, boolean processes) {
    return new WorkerConfig(processes,
        pick(scanTimeout, file, "scan-timeout", WorkerConfig::parseDuration, WorkerConfig.DEFAULT_SCAN_TIMEOUT,
            WorkerConfig::parseDuration),
        pick(cancelGrace, file, "cancel-grace", WorkerConfig::parseDuration, WorkerConfig.DEFAULT_CANCEL_GRACE,
            WorkerConfig::parseDuration),
        pick(workerMaxScans, file, "worker-max-scans", Integer::valueOf, WorkerConfig.DEFAULT_MAX_SCANS),
        pick(workerMaxRssMb, file, "worker-max-rss-mb", Long::valueOf, WorkerConfig.DEFAULT_MAX_RSS_MB),
        pick(workerHeap, file, "worker-heap", Function.identity(), WorkerConfig.DEFAULT_HEAP),
        pick(workerGpus, file, "worker-gpus", WorkerConfig::parseGpus, List.of(), WorkerConfig::parseGpus),
        pick(workerHealthInterval, file, "worker-health-interval", WorkerConfig::parseDuration,
            WorkerConfig.DEFAULT_HEALTH_INTERVAL, WorkerConfig::parseDuration));
  }

  /** For flags kept as text on the command line and parsed like the file's value. */
  private <T> T pick(String flag, Properties file, String key, Function<String, T> parse, T fallback,
      Function<String, T> parseFlag) {
    if (flag != null) {
      try {
        return parseFlag.apply(flag);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("bad value for --" + key + ": " + flag, e);
      }
    }
    return pick(null, file, key, parse, fallback);
  }

  private AccessConfig access(Properties file, AccessConfig defaults) {
    AccessConfig access = defaults.withAuthTokensFile(pick(authTokens, file, "auth-tokens", Path::of,
        defaults.authTokensFile()));
    access = access.withTls(pick(tlsCert, file, "tls-cert", Path::of, defaults.tlsCert()),
        pick(tlsKey, file, "tls-key", Path::of, defaults.tlsKey()),
        pick(tlsClientCa, file, "tls-client-ca", Path::of, defaults.tlsClientCa()));
    access = access.withTenantLimits(
        pick(tenantMaxRunning, file, "tenant-max-running", Integer::valueOf, defaults.tenantMaxRunning()),
        pick(tenantMaxQueued, file, "tenant-max-queued", Integer::valueOf, defaults.tenantMaxQueued()));
    return access.withSeedLimits(pick(maxSeeds, file, "max-seeds", Integer::valueOf, defaults.maxSeeds()),
        pick(maxImageDimension, file, "max-image-dimension", Integer::valueOf, defaults.maxImageDimension()));
  }

  private <T> T pick(T flag, Properties file, String key, Function<String, T> parse, T fallback) {
    if (flag != null) {
      return flag;
    }
    String value = file.getProperty(key);
    if (value == null) {
      return fallback;
    }
    try {
      return parse.apply(value.trim());
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("bad value for '" + key + "' in " + configFile + ": " + value, e);
    }
  }

  private static List<Path> paths(String commaSeparated) {
    return Arrays.stream(commaSeparated.split(",")).map(String::trim).filter(s -> !s.isEmpty())
        .map(Path::of).toList();
  }

  private static Properties readProperties(Path path) {
    Properties properties = new Properties();
    try (Reader in = Files.newBufferedReader(path)) {
      properties.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read config file " + path + ": " + e.getMessage(), e);
    }
    return properties;
  }
}
