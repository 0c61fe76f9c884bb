package org.abscan.server.services;

import java.util.function.Consumer;
import org.abscan.engine.Cancellation;
import org.abscan.engine.ScanEngine;
import org.abscan.engine.ScanInput;
import org.abscan.proto.scan.v1.ScanEvent;
import org.abscan.proto.scan.v1.ScanReport;
import org.abscan.proto.scan.v1.ScanRequest;
import org.abscan.server.jobs.ScanWork;

/** A queued scan: the engine run on a prepared model and seeds, which it releases when done. */
final class EngineScanWork implements ScanWork {
  private final ScanEngine engine;
  private final PreparedInput input;
  private final ScanRequest request;

  EngineScanWork(ScanEngine engine, PreparedInput input, ScanRequest request) {
    this.engine = engine;
    this.input = input;
    this.request = request;
  }

  @Override
  public ScanReport run(Consumer<ScanEvent> events, Cancellation cancellation) {
    ScanInput scanInput = new ScanInput(input.model(), input.seeds(), request.getPreprocessing(),
        request.getParameters(), input.resolved().sha256(), input.resolved().format());
    return engine.scan(scanInput, events, cancellation);
  }

  @Override
  public void close() {
    input.close();
  }
}
