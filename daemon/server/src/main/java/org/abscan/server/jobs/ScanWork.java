package org.abscan.server.jobs;

import java.util.function.Consumer;
import org.abscan.engine.Cancellation;
import org.abscan.proto.scan.v1.ScanEvent;
import org.abscan.proto.scan.v1.ScanReport;

/** What a worker runs for a scan: typically the engine's {@code scan}, with the model and seeds bound. */
public interface ScanWork extends AutoCloseable {
  /** Emits unstamped engine events and returns the report. */
  ScanReport run(Consumer<ScanEvent> events, Cancellation cancellation);

  /** Releases what the work holds (the loaded model), whether it ran or not. */
  @Override
  default void close() {}
}
