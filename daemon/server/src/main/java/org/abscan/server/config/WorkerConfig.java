package org.abscan.server.config;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Worker processes: whether TensorFlow runs in supervised child JVMs (abscand, {@code --workers N} with N > 0)
 * or in the daemon's own JVM ({@code --workers 0}; the CLI's embedded daemon), and how they are supervised.
 *
 * @param processes whether scans run in worker processes (one per scan slot)
 * @param scanTimeout wall-clock limit of one task in a worker; {@link Duration#ZERO}: none
 * @param cancelGrace how long a cancelled task may take to stop before its worker is killed
 * @param maxScans tasks a worker runs before it is replaced; 0: no limit
 * @param maxRssMb resident memory (MiB) above which a worker is replaced after its task; 0: no limit
 * @param heap the worker JVM's -Xmx value ("1g"); empty: the JVM's default
 * @param gpus on a GPU host, the CUDA devices the worker slots are pinned to, round-robin (slot i gets
 *     {@code gpus[i % size]} as its only visible device, so a scan's {@code /GPU:0} is its slot's card);
 *     empty: workers inherit the daemon's devices
 * @param healthInterval how often idle workers are health-checked (one that does not answer is replaced before a
 *     scan can get it); {@link Duration#ZERO}: never
 */
public record WorkerConfig(boolean processes, Duration scanTimeout, Duration cancelGrace, int maxScans,
    long maxRssMb, String heap, List<String> gpus, Duration healthInterval) {
  public static final Duration DEFAULT_SCAN_TIMEOUT = Duration.ofHours(2);
  public static final Duration DEFAULT_CANCEL_GRACE = Duration.ofSeconds(10);
  public static final int DEFAULT_MAX_SCANS = 100;
  public static final long DEFAULT_MAX_RSS_MB = 4096;
  public static final String DEFAULT_HEAP = "1g";
  public static final Duration DEFAULT_HEALTH_INTERVAL = Duration.ofSeconds(30);
  private static final Pattern GPU = Pattern.compile("[0-9]+|(GPU|MIG)-[A-Za-z0-9/-]+");
  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)?");

  public WorkerConfig {
    Objects.requireNonNull(scanTimeout, "scanTimeout");
    Objects.requireNonNull(cancelGrace, "cancelGrace");
    Objects.requireNonNull(heap, "heap");
    Objects.requireNonNull(healthInterval, "healthInterval");
    gpus = List.copyOf(Objects.requireNonNull(gpus, "gpus"));
    for (String gpu : gpus) {
      if (!GPU.matcher(gpu).matches()) {
        throw new IllegalArgumentException(
            "worker-gpus entries must be CUDA device indexes or GPU-/MIG- UUIDs, not '" + gpu + "'");
      }
    }
    if (scanTimeout.isNegative() || cancelGrace.isNegative() || maxScans < 0 || maxRssMb < 0
        || healthInterval.isNegative()) {
      throw new IllegalArgumentException("scan-timeout, cancel-grace, worker-max-scans, worker-max-rss-mb and "
          + "worker-health-interval must not be negative");
    }
    if (!heap.isEmpty() && !heap.matches("\\d+[kKmMgG]?")) {
      throw new IllegalArgumentException("worker-heap must look like 512m or 2g, not " + heap);
    }
  }

  /** Workers that inherit the daemon's devices (no GPU pinning), health-checked at the default interval. */
  public WorkerConfig(boolean processes, Duration scanTimeout, Duration cancelGrace, int maxScans,
      long maxRssMb, String heap) {
    this(processes, scanTimeout, cancelGrace, maxScans, maxRssMb, heap, List.of());
  }

  /** Health-checked at the default interval. */
  public WorkerConfig(boolean processes, Duration scanTimeout, Duration cancelGrace, int maxScans,
      long maxRssMb, String heap, List<String> gpus) {
    this(processes, scanTimeout, cancelGrace, maxScans, maxRssMb, heap, gpus, DEFAULT_HEALTH_INTERVAL);
  }

  /** The device slot {@code index} is pinned to (its CUDA_VISIBLE_DEVICES), if any. */
  public Optional<String> gpuFor(int slotIndex) {
    return gpus.isEmpty() ? Optional.empty() : Optional.of(gpus.get(slotIndex % gpus.size()));
  }

  /** Parses the {@code --worker-gpus} value: "0,1", "GPU-1a2b…", or empty. */
  public static List<String> parseGpus(String text) {
    List<String> gpus = new java.util.ArrayList<>();
    for (String part : text.split(",")) {
      if (!part.isBlank()) {
        gpus.add(part.trim());
      }
    }
    return gpus;
  }

  /** The engine in the daemon's JVM: what the CLI's embedded daemon uses. */
  public static WorkerConfig inProcess() {
    return new WorkerConfig(false, DEFAULT_SCAN_TIMEOUT, DEFAULT_CANCEL_GRACE, DEFAULT_MAX_SCANS,
        DEFAULT_MAX_RSS_MB, DEFAULT_HEAP);
  }

  public WorkerConfig withProcesses(boolean value) {
    return new WorkerConfig(value, scanTimeout, cancelGrace, maxScans, maxRssMb, heap, gpus, healthInterval);
  }

  public WorkerConfig withHealthInterval(Duration value) {
    return new WorkerConfig(processes, scanTimeout, cancelGrace, maxScans, maxRssMb, heap, gpus, value);
  }

  /** Parses "90s", "10m", "2h", "500ms", a bare number of seconds, or ISO-8601 ("PT30S"). */
  public static Duration parseDuration(String text) {
    String value = text.trim().toLowerCase(Locale.ROOT);
    if (value.startsWith("pt") || value.startsWith("p")) {
      return Duration.parse(value.toUpperCase(Locale.ROOT));
    }
    Matcher m = DURATION.matcher(value);
    if (!m.matches()) {
      throw new IllegalArgumentException("not a duration (e.g. 30s, 10m, 2h): " + text);
    }
    long amount = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    return switch (unit) {
      case "ms" -> Duration.ofMillis(amount);
      case "m" -> Duration.ofMinutes(amount);
      case "h" -> Duration.ofHours(amount);
      default -> Duration.ofSeconds(amount);
    };
  }
}
