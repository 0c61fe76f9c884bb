package org.abscan.server.di;

import dagger.Module;
import dagger.Provides;
import javax.inject.Provider;
import javax.inject.Singleton;
import org.abscan.server.config.DaemonConfig;
import org.abscan.server.services.InProcessBackend;
import org.abscan.server.services.ScanBackend;
import org.abscan.server.services.WorkerBackend;
import org.abscan.server.worker.WorkerPool;

/**
 * Where the engine runs: worker processes when configured ({@code --workers N > 0}), else this JVM. Only the
 * chosen backend is built, so an in-process daemon starts no pool and a worker daemon never builds an engine.
 */
@Module
public final class WorkersModule {
  private WorkersModule() {}

  @Provides
  @Singleton
  static ScanBackend scanBackend(DaemonConfig config, Provider<InProcessBackend> inProcess,
      Provider<WorkerBackend> workers) {
    return config.worker().processes() ? workers.get() : inProcess.get();
  }

  @Provides
  @Singleton
  static WorkerPool workerPool(DaemonConfig config) {
    return new WorkerPool(config);
  }
}
