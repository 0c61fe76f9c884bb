package org.abscan.server.di;

import dagger.Module;
import dagger.Provides;
import javax.inject.Singleton;
import org.abscan.engine.AbsEngine;
import org.abscan.engine.ScanEngine;
import org.abscan.engine.TriggerApplierRegistry;
import org.abscan.engine.reverse.TriggerReverseEngineer;

/** The ABS engine. Tests replace this module with one that provides a fake engine. */
@Module
public final class EngineModule {
  private EngineModule() {}

  @Provides
  @Singleton
  static ScanEngine scanEngine(TriggerApplierRegistry registry) {
    return new AbsEngine(registry, new TriggerReverseEngineer(registry));
  }
}
