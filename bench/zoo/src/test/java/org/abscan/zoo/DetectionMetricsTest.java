package org.abscan.zoo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DetectionMetricsTest {
  @Test
  void wilsonIntervalsMatchTheClosedForm() {
    // Reference values computed independently (Python, the textbook formula with z = 1.95996).
    assertArrayEquals(new double[] {0.05668, 0.50984}, DetectionMetrics.wilson(2, 10), 1e-5);
    assertArrayEquals(new double[] {0.79758, 0.99261}, DetectionMetrics.wilson(23, 24), 1e-5);
  }

  @Test
  void noneOfNStillBoundsTheRateFromAbove() {
    double[] interval = DetectionMetrics.wilson(0, 74);
    assertEquals(0, interval[0]);
    assertEquals(0.04935, interval[1], 1e-5);
    double[] all = DetectionMetrics.wilson(28, 28);
    assertEquals(1, all[1], 1e-12);
    assertTrue(all[0] > 0.87 && all[0] < 0.89, "lower bound of 28 of 28: " + all[0]);
  }

  @Test
  void anEmptySetHasNoInterval() {
    assertTrue(Double.isNaN(DetectionMetrics.wilson(0, 0)[0]));
  }
}
