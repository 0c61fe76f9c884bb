package org.abscan.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.abscan.proto.scan.v1.ScanEvent;
import org.abscan.proto.scan.v1.TriggerProgress;

/**
 * Per trigger kind, when its reverse engineering ended, seen from the client: the seconds from the
 * candidates-selected event to the kind's last progress event (the engine closes every batch with one event per
 * trigger) and the most steps any of its reported triggers took (the baseline neurons' triggers ride in the pixel
 * batch but their progress is not streamed, so a baseline trigger may run longer than this). The report's RE time
 * is one figure for all kinds, which run side by side; this splits it. Evaluation on the held-out images after
 * the last step is not included.
 */
final class TriggerTimeline implements Consumer<ScanEvent> {
  private final LongSupplier clock;
  private long selectedAt = -1;
  private final Map<String, Long> endedAt = new LinkedHashMap<>();
  private final Map<String, Integer> maxStep = new LinkedHashMap<>();

  TriggerTimeline() {
    this(System::nanoTime);
  }

  /** With an injected nanosecond clock, for tests. */
  TriggerTimeline(LongSupplier clock) {
    this.clock = clock;
  }

  @Override
  public void accept(ScanEvent event) {
    long now = clock.getAsLong();
    if (event.hasCandidatesSelected()) {
      selectedAt = now;
    } else if (event.hasTriggerProgress() && selectedAt >= 0) {
      TriggerProgress p = event.getTriggerProgress();
      endedAt.put(p.getTrigger(), now);
      maxStep.merge(p.getTrigger(), p.getStep(), Math::max);
    }
  }

  /** "pixel 2.41 s (max candidate step 166, 14.5 ms/step), filter ..." in the order the kinds first reported. */
  String summary() {
    if (endedAt.isEmpty()) {
      return "no trigger progress";
    }
    StringBuilder out = new StringBuilder();
    for (Map.Entry<String, Long> e : endedAt.entrySet()) {
      double seconds = (e.getValue() - selectedAt) / 1e9;
      int steps = maxStep.get(e.getKey());
      if (out.length() > 0) {
        out.append(", ");
      }
      out.append(String.format("%s %.2f s (max candidate step %d, %.1f ms/step)", e.getKey(), seconds, steps,
          steps > 0 ? seconds * 1000 / steps : 0.0));
    }
    return out.toString();
  }
}
