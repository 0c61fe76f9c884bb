package org.abscan.server.testing;

import dagger.Module;
import dagger.Provides;
import org.abscan.engine.ScanEngine;

/** Replaces the production EngineModule in {@link TestDaemonComponent}. */
@Module
public final class FakeEngineModule {
  private final FakeScanEngine engine;

  public FakeEngineModule(FakeScanEngine engine) {
    this.engine = engine;
  }

  @Provides
  ScanEngine scanEngine() {
    return engine;
  }
}
