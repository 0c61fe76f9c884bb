package org.abscan.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicLong;
import org.abscan.proto.scan.v1.CandidatesSelected;
import org.abscan.proto.scan.v1.ScanEvent;
import org.abscan.proto.scan.v1.StimulationProgress;
import org.abscan.proto.scan.v1.TriggerProgress;
import org.junit.jupiter.api.Test;

class TriggerTimelineTest {
  @Test
  void eachKindEndsAtItsLastProgressEventCountedFromSelection() {
    AtomicLong now = new AtomicLong();
    TriggerTimeline timeline = new TriggerTimeline(now::get);
    now.set(5_000_000_000L);
    timeline.accept(ScanEvent.newBuilder().setStimulationProgress(StimulationProgress.getDefaultInstance())
        .build());
    timeline.accept(ScanEvent.newBuilder().setCandidatesSelected(CandidatesSelected.getDefaultInstance()).build());
    now.addAndGet(1_000_000_000L);
    timeline.accept(progress("filter", 50));
    now.addAndGet(500_000_000L);
    timeline.accept(progress("pixel", 100));
    timeline.accept(progress("filter", 69));
    now.addAndGet(1_000_000_000L);
    timeline.accept(progress("pixel", 150)); // a closing event at a lower step keeps the maximum
    timeline.accept(progress("pixel", 40));
    assertEquals("filter 1.50 s (max candidate step 69, 21.7 ms/step), "
        + "pixel 2.50 s (max candidate step 150, 16.7 ms/step)", timeline.summary());
  }

  @Test
  void noProgressSaysSo() {
    assertEquals("no trigger progress", new TriggerTimeline(() -> 0L).summary());
  }

  private static ScanEvent progress(String trigger, int step) {
    return ScanEvent.newBuilder().setTriggerProgress(TriggerProgress.newBuilder().setTrigger(trigger)
        .setStep(step)).build();
  }
}
