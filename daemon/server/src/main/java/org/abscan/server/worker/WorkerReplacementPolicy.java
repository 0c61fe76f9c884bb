package org.abscan.server.worker;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.function.LongFunction;
import org.abscan.server.config.WorkerConfig;

/**
 * When {@link WorkerPool} replaces a worker and how long it waits to: a worker that ran {@code --worker-max-scans}
 * tasks or whose RSS exceeds {@code --worker-max-rss-mb} is recycled after a task; a failed one is restarted after a
 * backoff that doubles per consecutive failure (0.5 s up to 30 s), so that a crash loop cannot spin; an idle one
 * gets at most {@link #MAX_HEALTH_DEADLINE} (less when the check interval is shorter) to answer a health check.
 */
final class WorkerReplacementPolicy {
  static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
  /** The longest a health check of an idle worker may take (less when the interval is shorter). */
  static final Duration MAX_HEALTH_DEADLINE = Duration.ofSeconds(10);

  private final WorkerConfig limits;
  /** A process's resident set in KiB, if it can be read (RssProbe; a fake in tests). */
  private final LongFunction<OptionalLong> rssKb;

  WorkerReplacementPolicy(WorkerConfig limits) {
    this(limits, RssProbe::rssKb);
  }

  WorkerReplacementPolicy(WorkerConfig limits, LongFunction<OptionalLong> rssKb) {
    this.limits = limits;
    this.rssKb = rssKb;
  }

  /** Why a worker that finished its {@code tasks}-th task should be replaced before its next one, or null. */
  String recycleReason(int tasks, long pid) {
    if (limits.maxScans() > 0 && tasks >= limits.maxScans()) {
      return "it ran " + tasks + " tasks (--worker-max-scans " + limits.maxScans() + ")";
    }
    if (limits.maxRssMb() > 0) {
      OptionalLong kb = rssKb.apply(pid);
      if (kb.isPresent() && kb.getAsLong() / 1024 > limits.maxRssMb()) {
        return "RSS " + kb.getAsLong() / 1024 + " MiB > --worker-max-rss-mb " + limits.maxRssMb();
      }
    }
    return null;
  }

  /** 0 after a clean end, then 0.5 s doubling per consecutive failure, at most {@link #MAX_BACKOFF}. */
  static long backoffMillis(int failures) {
    return failures == 0 ? 0 : Math.min(MAX_BACKOFF.toMillis(), 500L << Math.min(16, failures - 1));
  }

  /** How long an idle worker has to answer a health check. */
  Duration healthDeadline() {
    Duration interval = limits.healthInterval();
    return interval.compareTo(MAX_HEALTH_DEADLINE) < 0 ? interval : MAX_HEALTH_DEADLINE;
  }
}
