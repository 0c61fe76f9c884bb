package org.abscan.server.config;

import java.time.Duration;

/**
 * Where accepted scans are kept and what a restart does with them.
 *
 * @param durable SQLite in the data directory (abscand) rather than memory (the CLI's embedded daemon)
 * @param rerunOnRestart whether scans running when the daemon died run again ({@code --on-restart rerun}) or end
 *     as INTERRUPTED ({@code interrupt}); scans still waiting are always queued again
 * @param retentionDays ended scans (and their reports) older than this are purged at start and daily; 0 keeps
 *     them
 */
public record JobsConfig(boolean durable, boolean rerunOnRestart, int retentionDays) {
  public static final int DEFAULT_RETENTION_DAYS = 30;

  public JobsConfig {
    if (retentionDays < 0) {
      throw new IllegalArgumentException("retention-days must be 0 (keep) or positive");
    }
  }

  public static JobsConfig inMemory() {
    return new JobsConfig(false, true, DEFAULT_RETENTION_DAYS);
  }

  public Duration retention() {
    return Duration.ofDays(retentionDays);
  }

  /** Parses {@code --on-restart}. */
  public static boolean parseOnRestart(String value) {
    return switch (value) {
      case "rerun" -> true;
      case "interrupt" -> false;
      default -> throw new IllegalArgumentException("on-restart must be rerun or interrupt, not " + value);
    };
  }
}
