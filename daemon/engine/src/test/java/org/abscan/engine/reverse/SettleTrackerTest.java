package org.abscan.engine.reverse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.abscan.engine.ScanParameterDefaults;
import org.abscan.proto.scan.v1.ScanParameters;
import org.junit.jupiter.api.Test;

class SettleTrackerTest {
  @Test
  void aTriggerFlippingEveryImageWithinTheBoundSettles() {
    SettleTracker tracker = new SettleTracker(3, 0.06f, 10, 1e-3f);
    // 0 flips all within the bound; 1 flips all but is too large; 2 flips some.
    tracker.record(1, new float[] {-1f, -1f, -1f}, new float[] {0.02f, 0.08f, 0.01f},
        new float[] {1f, 1f, 0.5f}, new float[3]);
    assertFalse(tracker.isActive(0));
    assertTrue(tracker.isActive(1));
    assertTrue(tracker.isActive(2));
    assertArrayEquals(new float[] {0f, 1f, 1f}, tracker.activeFlags());
    assertEquals(2, tracker.activeCount());
    tracker.record(2, new float[] {-1f, -2f, -2f}, new float[] {0.5f, 0.05f, 0.01f},
        new float[] {0f, 1f, 0.5f}, new float[3]);
    assertFalse(tracker.isActive(0), "settled triggers stay settled");
    assertFalse(tracker.isActive(1));
    assertArrayEquals(new int[] {1, 2, 2}, tracker.steps());
    assertArrayEquals(new int[] {1, 2, 0}, tracker.foundAt());
  }

  @Test
  void aFoundTriggerConsolidatesUntilItFlipsEveryImageConfidentlyOrForAFewSteps() {
    // Consolidation of 5 steps. 0 becomes confident 2 steps after it is found; 1 never does; 2 is found late.
    SettleTracker tracker = new SettleTracker(3, 0.06f, 100, 1e-3f, 0f, Integer.MAX_VALUE, 5);
    for (int step = 1; step <= 20; step++) {
      float[] flips = {step >= 3 ? 1f : 0.5f, step >= 4 ? 1f : 0.9f, step >= 12 ? 1f : 0.8f};
      float[] confident = {step >= 5 ? 1f : 0.5f, 0.9f, step >= 12 ? 1f : 0f};
      tracker.record(step, new float[] {-step, -step, -step}, new float[] {0.01f, 0.01f, 0.01f}, flips, confident);
    }
    assertArrayEquals(new int[] {3, 4, 12}, tracker.foundAt(), "found when it first flips every image");
    assertArrayEquals(new int[] {5, 9, 12}, tracker.steps(),
        "confident at 5; 5 steps of consolidation after 4; confident on the step it is found");
  }

  @Test
  void consolidationCountsFromTheFirstFlipOfEveryImage() {
    SettleTracker tracker = new SettleTracker(1, 0.06f, 100, 1e-3f, 0f, Integer.MAX_VALUE, 5);
    float[][] flips = {{1f}, {0.9f}, {0.9f}, {0.9f}, {0.9f}, {0.9f}, {1f}};
    for (int step = 1; step <= flips.length; step++) {
      tracker.record(step, new float[] {-step}, new float[] {0.01f}, flips[step - 1], new float[] {0f});
    }
    // Lost at step 2, back at 7: five steps after it was first found, and flipping every image again.
    assertFalse(tracker.isActive(0));
    assertArrayEquals(new int[] {1}, tracker.foundAt());
    assertArrayEquals(new int[] {7}, tracker.steps());
  }

  @Test
  void aLossThatStopsMovingConverges() {
    SettleTracker tracker = new SettleTracker(2, 0.06f, 10, 1e-3f);
    for (int step = 1; step <= 30; step++) {
      // Trigger 0 plateaus from step 5; trigger 1 keeps improving by 1 % per step.
      float plateau = step < 5 ? -step : -5f;
      float improving = (float) -Math.pow(1.01, step);
      tracker.record(step, new float[] {plateau, improving}, new float[] {0.01f, 0.01f}, new float[] {0f, 0f},
          new float[2]);
    }
    assertFalse(tracker.isActive(0));
    assertTrue(tracker.isActive(1));
    assertEquals(15, tracker.steps()[0], "settles one window after the plateau began");
    assertEquals(30, tracker.steps()[1]);
  }

  @Test
  void aNonFiniteLossStopsTheTrigger() {
    SettleTracker tracker = new SettleTracker(1, 0.06f, 10, 1e-3f);
    tracker.record(1, new float[] {Float.NaN}, new float[] {0.01f}, new float[] {0f}, new float[] {0f});
    assertEquals(0, tracker.activeCount());
  }

  @Test
  void aTriggerWhoseFlipRatePlateausFarBelowTheThresholdStops() {
    // Plateau rule: below 0.44 flips, no flip gain for a 10-step window, after at least 20 steps.
    SettleTracker tracker = new SettleTracker(3, 0.06f, 10, 1e-3f, 0.44f, 20, 0);
    for (int step = 1; step <= 60; step++) {
      // The loss keeps improving for all three, so only the plateau rule can stop one.
      float loss = (float) -Math.pow(1.05, step);
      float stuck = 0.2f; // flat from the start: hopeless once the 20 minimum steps are done
      float climbing = Math.min(0.4f, step / 100f); // gains every step until step 40, then flat
      float high = 0.6f; // flat but above the hopeless line: keeps running
      tracker.record(step, new float[] {loss, loss, loss}, new float[] {0.01f, 0.01f, 0.01f},
          new float[] {stuck, climbing, high}, new float[3]);
    }
    assertEquals(20, tracker.steps()[0]);
    assertEquals(50, tracker.steps()[1], "one window after its last gain");
    assertTrue(tracker.isActive(2));
    assertEquals(60, tracker.steps()[2]);
  }

  @Test
  void withoutAHopelessLineThePlateauRuleIsOff() {
    SettleTracker tracker = new SettleTracker(1, 0.06f, 10, 1e-3f);
    for (int step = 1; step <= 40; step++) {
      tracker.record(step, new float[] {(float) -Math.pow(1.05, step)}, new float[] {0.01f}, new float[] {0f},
          new float[] {0f});
    }
    assertTrue(tracker.isActive(0));
  }

  @Test
  void aStepLimitStopsATriggerNotFoundByThenAndLeavesAFoundOneToConsolidate() {
    // Consolidation of 5 steps; triggers 0 and 1 limited to 10 steps, 2 not. 0 never flips every image, 1 does at
    // step 8, 2 never does.
    SettleTracker tracker = new SettleTracker(3, 0.06f, 100, 1e-3f, 0f, Integer.MAX_VALUE, 5);
    tracker.limitSteps(0, 10);
    tracker.limitSteps(1, 10);
    for (int step = 1; step <= 30; step++) {
      float loss = (float) -Math.pow(1.05, step); // improving: no convergence stop
      tracker.record(step, new float[] {loss, loss, loss}, new float[] {0.01f, 0.01f, 0.01f},
          new float[] {0.9f, step >= 8 ? 1f : 0.9f, 0.9f}, new float[] {0f, 0f, 0f});
    }
    assertArrayEquals(new int[] {10, 13, 30}, tracker.steps(), "0 at its limit, 1 five steps after it was found");
    assertArrayEquals(new int[] {0, 8, 0}, tracker.foundAt());
    assertTrue(tracker.isActive(2));
  }

  @Test
  void referenceTriggersGetTheSlowTriggerStepsAtTheScansLearningRate() {
    ScanParameters defaults = ScanParameters.newBuilder().build();
    assertEquals(ScanParameterDefaults.SLOW_TRIGGER_STEPS, ReverseSettings.from(defaults).referenceSteps());
    ScanParameters slowerRate = defaults.toBuilder().setLearningRate(ScanParameterDefaults.LEARNING_RATE / 2).build();
    assertEquals(2 * ScanParameterDefaults.SLOW_TRIGGER_STEPS, ReverseSettings.from(slowerRate).referenceSteps());
    ScanParameters ruleOff = defaults.toBuilder().setSlowTriggerSteps(-1).setReSteps(700).build();
    assertEquals(700, ReverseSettings.from(ruleOff).referenceSteps(), "the step cap when the rule is off");
    ScanParameters fewSteps = defaults.toBuilder().setReSteps(50).build();
    assertEquals(50, ReverseSettings.from(fewSteps).referenceSteps(), "never more than the step cap");
  }
}
