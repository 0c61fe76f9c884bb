package org.abscan.server.jobs;

/**
 * How much the scheduler runs and holds.
 *
 * @param workers scans running at once
 * @param queueCapacity scans waiting at once, all tenants together
 * @param tenantMaxRunning scans one tenant may have running
 * @param tenantMaxQueued scans one tenant may have waiting
 */
public record SchedulerLimits(int workers, int queueCapacity, int tenantMaxRunning, int tenantMaxQueued) {
  public SchedulerLimits {
    if (workers <= 0 || queueCapacity <= 0 || tenantMaxRunning <= 0 || tenantMaxQueued <= 0) {
      throw new IllegalArgumentException("scheduler limits must be positive");
    }
  }
}
