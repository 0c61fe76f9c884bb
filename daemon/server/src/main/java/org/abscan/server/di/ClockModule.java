package org.abscan.server.di;

import dagger.Module;
import dagger.Provides;
import java.time.Clock;

/** Time comes from an injected clock so tests can fix it. */
@Module
public final class ClockModule {
  private ClockModule() {}

  @Provides
  static Clock clock() {
    return Clock.systemUTC();
  }
}
