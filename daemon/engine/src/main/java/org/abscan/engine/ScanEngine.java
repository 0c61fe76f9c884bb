package org.abscan.engine;

import java.util.function.Consumer;
import org.abscan.proto.scan.v1.Candidate;
import org.abscan.proto.scan.v1.ScanEvent;
import org.abscan.proto.scan.v1.ScanReport;
import org.abscan.proto.scan.v1.StreamNSFResponse;
import org.abscan.proto.scan.v1.TriggerProgress;

/**
 * ABS behind a narrow interface: inputs in, events out. It knows nothing of gRPC, jobs, tenants or files on the
 * server, so the same engine runs embedded in the CLI, in the daemon, or in a worker process.
 *
 * <p>Inputs and events use the proto messages of {@code abscan.scan.v1} as plain data (the product's one
 * definition of a report), never gRPC. Every method checks {@link Cancellation} between TensorFlow runs and
 * then throws {@link java.util.concurrent.CancellationException}. Bad inputs raise
 * {@link org.abscan.spi.AbscanException} with category INVALID_ARGUMENT and one violation per bad field.
 */
public interface ScanEngine {
  /**
   * A full scan: stimulation, selection, reverse engineering, verdict. Emits {@code ModelLoaded},
   * {@code StimulationProgress}, {@code CandidatesSelected}, {@code TriggerProgress} and
   * {@code CandidateResult} events (without sequence, scan id or time: the caller stamps those), and returns
   * the report (also the caller's to emit).
   */
  ScanReport scan(ScanInput input, Consumer<ScanEvent> events, Cancellation cancellation);

  /** Stimulation analysis only, streaming each neuron's NSF and progress as it is computed. */
  void stimulate(NsfInput input, Consumer<StreamNSFResponse> events, Cancellation cancellation);

  /** Reverse-engineers one trigger, streaming optimisation progress; returns it with its REASR. */
  Candidate generateTrigger(
      TriggerInput input, Consumer<TriggerProgress> progress, Cancellation cancellation);
}
