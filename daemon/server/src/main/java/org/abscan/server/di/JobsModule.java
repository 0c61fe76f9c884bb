package org.abscan.server.di;

import dagger.Module;
import dagger.Provides;
import java.time.Clock;
import javax.inject.Singleton;
import org.abscan.server.config.DaemonConfig;
import org.abscan.server.jobs.InMemoryJobStore;
import org.abscan.server.jobs.JobScheduler;
import org.abscan.server.jobs.JobStore;
import org.abscan.server.jobs.SchedulerLimits;
import org.abscan.server.jobs.SqliteJobStore;
import org.abscan.server.services.InteractiveExecutor;

/** The scan queue and its workers, and the pool for StreamNSF/GenerateTrigger. */
@Module
public final class JobsModule {
  private JobsModule() {}

  @Provides
  @Singleton
  static JobStore jobStore(DaemonConfig config, Clock clock) {
    return config.jobs().durable()
        ? new SqliteJobStore(config.dataDir(), clock, config.jobs().retention())
        : new InMemoryJobStore();
  }

  @Provides
  @Singleton
  static JobScheduler jobScheduler(JobStore store, Clock clock, DaemonConfig config) {
    return new JobScheduler(store, clock, new SchedulerLimits(config.workers(), config.queueCapacity(),
        config.access().tenantMaxRunning(), config.access().tenantMaxQueued()));
  }

  @Provides
  @Singleton
  static InteractiveExecutor interactiveExecutor(DaemonConfig config) {
    return new InteractiveExecutor(config.workers(), config.queueCapacity());
  }
}
